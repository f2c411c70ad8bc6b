#pragma once

#include "core/requestrecord.h"
#include "metrics/rating.h"
#include "sweep/sweepfiles.h"
#include "views/resultdocument.h"

#include <QString>

#include <limits>
#include <optional>
#include <vector>

namespace ts {

// The guide's three hands-on exercises (实战练习), run against the built-in server, and the
// answers to their questions computed from the user's own results. Widget-free: the panel in
// ui/exercises shows them, and maps ExerciseSettings onto the form.

// What a step's "Set it for me" sets, as plain values (the form applies them).
struct ExerciseSettings
{
    enum class Kind : quint8 { SingleRun, ConcurrencySweep };

    Kind kind = Kind::SingleRun;
    QString demoPreset = QStringLiteral("classroom");     // a built-in server preset
    int inputLen = 128;                                    // random dataset, exact lengths
    int outputLen = 24;
    int numPrompts = 10;
    double requestRate = std::numeric_limits<double>::infinity();
    int maxConcurrency = 0;                                // 0 = no limit
    // Concurrency sweep: the levels, and requests per level = max(multiplier x level, minimum).
    std::vector<double> sweepLevels;
    double sweepMultiplier = 2.0;
    int sweepMinPrompts = 2;
};

// What a step asks; each has an answer computed from results.
enum class ExerciseQuestion : quint8 {
    LongestTtftRequest,     // typed: a request number (as the requests table shows it)
    MeanTtft,               // typed: milliseconds
    KneeLevel,              // typed: a concurrency
    MaxStableLevel,         // typed: a concurrency
    OutputThroughput,       // typed: tokens/s
    HigherThroughputConfig, // typed: the concurrency of the configuration with more throughput
};

struct ExerciseStep
{
    QString title;
    QString todo;           // what to set and run
    QString watch;          // what to look at while it runs
    QString question;
    QString answerHint;     // what to type, e.g. "a request number"
    ExerciseQuestion kind = ExerciseQuestion::LongestTtftRequest;
    std::optional<ExerciseSettings> settings;   // nullopt: keeps the previous step's settings
    QString watchTab;       // "timeline", "summary", "sweep" or "compare"
};

struct Exercise
{
    QString id;             // "basics", "load", "tuning": stable
    QString title;
    QString goal;
    std::vector<ExerciseStep> steps;
};

// The three exercises in the user's language (context "ts::Exercises").
std::vector<Exercise> exercises();

// ---- Exercise 1: one run ----

struct LongestTtft
{
    int recordIndex = -1;       // position in the records
    int requestNumber = -1;     // RequestRecord::index, as the requests table shows it
    double ttft = 0.0;          // seconds
    double queueTime = 0.0;     // seconds on the client before it was sent
    int inFlightAtSend = 0;     // other requests sent before it and not yet finished
};

// Other requests in flight when records[i] was sent: sent earlier (at the same instant, an
// earlier position in the workload) and not yet finished.
int inFlightAtSend(const std::vector<RequestRecord> &records, std::size_t i);
// The successful request that waited longest for its first token; nullopt without one.
std::optional<LongestTtft> longestTtft(const std::vector<RequestRecord> &records);
// "Request #7 waited 2.1 s for its first token: 4 requests were already ..." (translated).
// serverSlots: the built-in server's sequence slots, when known.
QString longestTtftExplanation(const LongestTtft &longest, std::optional<int> serverSlots);

struct RunRatings
{
    double meanTtftMs = 0.0;
    double meanTpotMs = 0.0;
    Rating ttft = Rating::NeedsWork;
    Rating tpot = Rating::NeedsWork;
};
RunRatings rateRun(const BenchmarkMetrics &metrics, const RatingThresholds &thresholds = {});
// Both means, their ratings and the guide's limits, in one paragraph (translated).
QString runRatingsText(const RunRatings &ratings, const RatingThresholds &thresholds = {});

// ---- Exercise 2: a concurrency sweep ----

// Whether the typed level is the target or one of the levels next to it in the sweep.
bool withinOneLevel(const std::vector<double> &levels, double typed, double target);

// ---- Exercise 3: configurations compared ----

struct ConfigurationComparison
{
    int higherThroughput = -1;      // position in the runs given
    int lowerP99Ttft = -1;
    std::vector<QString> names;     // per run, e.g. "concurrency 4" (translated)
    std::vector<double> outputThroughput;   // tokens/s
    std::vector<double> p99TtftMs;
};
// "concurrency 4", "no concurrency limit", with ", 2 requests/s" when the rate is finite.
QString configurationName(const BenchmarkConfig &config);
// The p99 of successful requests' TTFT in ms (from the records, else the stored summary).
double p99TtftMs(const ResultDocument &doc);
// Over two or more runs; nullopt with fewer.
std::optional<ConfigurationComparison> compareConfigurations(const std::vector<ResultDocument> &runs);
// Which gives more throughput, which the lower p99 TTFT, and the trade-off, in a sentence.
QString comparisonText(const ConfigurationComparison &comparison);

// ---- Checking answers ----

// What the exercises have seen so far: runs (oldest first) and the last sweep.
struct ExerciseEvidence
{
    std::vector<ResultDocument> runs;
    std::optional<SweepResult> sweep;
    std::optional<int> serverSlots;     // the built-in server's slots in the last run, if known

    const ResultDocument *lastRun() const { return runs.empty() ? nullptr : &runs.back(); }
};

struct ExerciseAnswer
{
    bool available = false;     // the results needed are there
    bool correct = false;       // for a check: the typed value matches
    QString text;               // translated; says what is missing when not available
    int recordIndex = -1;       // a request to show in the timeline, or -1
    QString tab;                // where to look: "timeline", "summary", "sweep", "compare"
};

// The answer from the user's own results.
ExerciseAnswer answerFrom(ExerciseQuestion question, const ExerciseEvidence &evidence);
// The typed value compared with that answer; the text says whether it matches and why.
ExerciseAnswer checkAnswer(ExerciseQuestion question, const QString &typed,
                           const ExerciseEvidence &evidence);

} // namespace ts
