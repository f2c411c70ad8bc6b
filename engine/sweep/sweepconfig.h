#pragma once

#include "core/benchmarkconfig.h"

#include <QString>
#include <QUrl>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace ts {

class Tokenizer;

// Builds the prompts of one level. On failure returns no prompts and sets *error (translated);
// the sweep then ends at that level with stop reason "error".
using SweepPromptSource =
    std::function<std::vector<PromptSpec>(int levelIndex, int numPrompts, std::uint64_t seed, QString *error)>;

// What a sweep varies from level to level.
enum class SweepMode : quint8 {
    Concurrency,   // the guide's method 1: --max-concurrency = level, requests released at once
    RequestRate,   // the guide's method 2: --request-rate = level, with a fixed concurrency cap
};

QString sweepModeName(SweepMode mode);              // "concurrency" | "rate"

// When a level counts as past the server's limit. Rules apply to every finished level; the
// first level that breaks one ends the sweep (unless stopAtLimit is false).
struct SweepStopRules
{
    double minSuccessRatePercent = 95.0;             // "success_rate" below this
    std::optional<double> maxP99TtftMs;              // "slo_ttft" when p99 TTFT is above
    std::optional<double> maxP99TpotMs;              // "slo_tpot"
    std::optional<double> maxP99E2elMs;              // "slo_e2el"
    // "throughput_plateau": output tokens/s of a level rose less than this many percent over
    // the best earlier level. 0 turns the rule off.
    double minThroughputGainPercent = 5.0;
    bool stopAtLimit = true;                         // false: run every level, rules only mark them
};

// A whole sweep: the run every level shares, the levels, and what to do with the results.
struct SweepConfig
{
    SweepMode mode = SweepMode::Concurrency;
    std::vector<double> levels;                      // concurrency (whole numbers) or req/s; rising
    // The run flags every level shares. Per level the sweep sets load.maxConcurrency
    // (concurrency mode) or load.requestRate (rate mode), load.numPrompts, load.seed + level
    // index (so a level's prompts differ from the previous level's and a prefix cache cannot
    // serve them), and adds e2el to the percentile metrics and 99 to the percentiles so
    // every level has the numbers the rules and charts need.
    BenchmarkConfig base;

    // Requests per level: fixedPromptsPerLevel if set; otherwise
    // max(ceil(multiplier * level), minPromptsPerLevel), where the multiplier defaults to 5
    // in concurrency mode (five requests per slot: the guide's "5-10 times the concurrency")
    // and to 30 in rate mode (about 30 seconds of arrivals).
    std::optional<int> fixedPromptsPerLevel;
    std::optional<double> promptsPerLevelMultiplier;
    int minPromptsPerLevel = 50;

    SweepStopRules rules;

    // Where a level's prompts come from; empty: vLLM's random dataset from base.random (with
    // exact lengths when a tokenizer is set). See sweepprompts.h for the dataset sources.
    SweepPromptSource promptSource;
    // Counts output tokens on the client when the server sends no usage (every level's
    // BenchmarkRunner gets it), and gives the default random prompts exact lengths.
    std::shared_ptr<const Tokenizer> tokenizer;

    // Files. With resultDir empty nothing is written by the sweep itself.
    QString resultDir;
    // Empty: each level is named as vLLM names a run (defaultResultFileName, which carries the
    // concurrency or the rate), the summary "sweep-{concurrency|rate}-{label}-{model}-{date}".
    // Otherwise "{prefix}-c{N}.json" / "{prefix}-r{RATE}.json" and "{prefix}-summary.json/.csv".
    QString filePrefix;
    bool saveDetailed = false;                       // per-request arrays in the level files
    // Where each level journals its requests (results/journal.h), removed once the level's file
    // is written (kept when that fails); empty: no journal.
    QString journalDirectory;

    // The server's own view from its Prometheus /metrics during the sweep.
    bool scrapeServerMetrics = true;
    QUrl metricsUrl;                                 // empty: <base URL>/metrics
    std::chrono::milliseconds scrapeInterval { 1000 };

    double promptsMultiplier() const;
    int promptsForLevel(double level) const;
    // The run of level `index`.
    BenchmarkConfig levelConfig(int index) const;
};

// 1, 5, 10, 20, 50, 100, 200, 500 (the guide's loop).
std::vector<double> defaultConcurrencyLevels();

// "1,5,10" (commas or blanks). Concurrency levels must be whole numbers of at least 1, rates
// positive numbers; the list must rise. On a bad list returns nullopt and sets *error.
std::optional<std::vector<double>> parseSweepLevels(const QString &text, SweepMode mode, QString *error);

// Why the sweep cannot run, as one translated sentence; empty when it can.
QString sweepValidationError(const SweepConfig &config);

// A level for people and file names: "16" or "2.5".
QString sweepLevelText(double level);

} // namespace ts
