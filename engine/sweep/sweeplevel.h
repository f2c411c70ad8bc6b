#pragma once

#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"
#include "prometheus/metricsscraper.h"
#include "sweep/sweepconfig.h"

#include <QLatin1String>
#include <QStringList>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace ts {

// Stable keys of the stop rules (and of SweepVerdict::stopReason, which adds "completed",
// "stopped" and "error"). Files and scripts use these; people see sweepRuleText().
namespace SweepRule {
inline constexpr QLatin1String SuccessRate("success_rate");
inline constexpr QLatin1String SloTtft("slo_ttft");
inline constexpr QLatin1String SloTpot("slo_tpot");
inline constexpr QLatin1String SloE2el("slo_e2el");
inline constexpr QLatin1String ThroughputPlateau("throughput_plateau");
} // namespace SweepRule

// What the server said about itself during one level (from its /metrics).
struct ServerLevelStats
{
    ServerKind kind = ServerKind::Unknown;
    int samples = 0;
    std::optional<double> maxRunning;
    std::optional<double> meanRunning;
    std::optional<double> medianWaiting;     // half the scrapes saw at least this many queued
    std::optional<double> maxWaiting;
    std::optional<double> maxKvCacheUsage;   // 0..1
    std::optional<double> meanPromptTokensPerS;
    std::optional<double> meanGenerationTokensPerS;

    // The server's own queue held a tenth of the requests in flight (at least one) for most
    // of the level. A few requests waiting for the scheduler's next step are normal at any load
    // and say nothing about the server being full.
    bool queueGrew(double inFlight) const
    {
        return medianWaiting && *medianWaiting >= std::max(1.0, 0.1 * inFlight);
    }
};

// The scrapes whose replies arrived in [fromNs, toNs]; nullopt when there are none.
std::optional<ServerLevelStats> serverLevelStats(const std::vector<ServerMetricsSample> &samples,
                                                 std::int64_t fromNs, std::int64_t toNs);

// One finished level of a sweep.
struct SweepLevelResult
{
    int index = 0;                    // position in SweepConfig::levels
    double level = 0.0;               // concurrency or req/s
    RunResult run;                    // the full run, records included
    BenchmarkMetrics metrics;         // computeMetrics() of the run with the level's config
    double successRatePercent = 0.0;
    // Little's law on the client's timestamps: requests in flight on average (sum of E2EL over
    // the duration), and of those, how many were past their first token (sum of E2EL - TTFT of
    // successful requests over the duration). When the second stops following the first, the
    // rest are waiting: in the server's queue, or in prefill.
    double meanInFlight = 0.0;
    double meanGenerating = 0.0;
    // Output tokens/s against the best earlier level, in percent (the plateau rule's number).
    std::optional<double> throughputGainPercent;
    // Against the previous level, per doubling of the level: (T_i / T_{i-1})^(1 / log2(L_i / L_{i-1})) - 1,
    // in percent. 100 would be perfect scaling.
    std::optional<double> gainPerDoublingPercent;
    std::optional<ServerLevelStats> server;
    QStringList brokenRules;          // SweepRule keys, in the order of the rules
    bool partial = false;             // the user stopped the sweep during this level
    QString resultFile;               // the level's result JSON, when saved
    QString saveError;                // translated, when saving failed

    // Whether the rules and the verdict look at this level.
    bool evaluated() const { return !partial && run.error.isEmpty(); }
};

// The numbers of a finished level that depend on it alone.
SweepLevelResult analyzeLevel(int index, double level, RunResult run);

// Gains against the earlier levels (those that were evaluated) and the rules this level breaks.
void evaluateLevel(SweepLevelResult &level, const std::vector<SweepLevelResult> &earlier,
                   const SweepStopRules &rules);

// The p99 of a metric ("ttft", "tpot", "e2el") in milliseconds, if computed.
std::optional<double> p99Ms(const BenchmarkMetrics &metrics, QStringView metric);

} // namespace ts

Q_DECLARE_METATYPE(ts::SweepLevelResult)
