#pragma once

#include "sweep/sweepconfig.h"
#include "sweep/sweeplevel.h"

#include <QString>

#include <optional>
#include <vector>

namespace ts {

// Where requests began to wait, and who says so.
enum class SaturationSource : quint8 {
    None,
    Server,   // the server's own waiting queue (its /metrics) held requests for most of a level
    Client,   // estimated from the client's timestamps, when the server publishes no metrics:
              // the median TTFT grew by more than a fifth of the median decode time over the
              // first level, or the load grew by half while the requests generating at once
              // (SweepLevelResult::meanGenerating) grew by less than 15%
};

// A limit and the first level that reached it.
struct SweepLimitHit
{
    // A SweepRule key, or "kv_cache" (the server's KV cache 95% full or more),
    // "server_queue" (its waiting queue grew), "client_queue" (the client's estimate of it).
    QString key;
    int levelIndex = 0;
    double level = 0.0;
};

// What a sweep found, in numbers; sweepVerdictText() says it in words.
struct SweepVerdict
{
    SweepMode mode = SweepMode::Concurrency;
    // Why the highest stable level is where it is: the first rule broken after it (a SweepRule
    // key), or "completed" (every level passed), "stopped" (by the user), "error" (a run could
    // not go on).
    QString stopReason;
    std::optional<int> stopLevelIndex;          // the level that broke the rule, failed or was stopped
    std::optional<double> maxStableLevel;       // the last level before the first limit of any kind
    std::optional<double> peakOutputThroughput; // tokens/s, over the evaluated levels
    std::optional<double> peakAtLevel;
    // The knee: the lowest level that reached KneeFraction of the peak throughput, when a
    // higher level was measured too (otherwise throughput may still be rising: no knee).
    std::optional<double> kneeLevel;
    // Concurrency efficiency: output throughput gained per doubling of the level, in percent,
    // from the first level to the knee and from the knee to the last level (or, without a
    // knee, over all levels in gainPerDoublingBeforeKneePercent).
    std::optional<double> gainPerDoublingBeforeKneePercent;
    std::optional<double> gainPerDoublingAfterKneePercent;
    std::optional<double> saturationLevel;      // first level where requests queued
    SaturationSource saturationSource = SaturationSource::None;
    std::optional<double> serverMaxRunning;     // the most requests the server ran at once
    std::vector<SweepLimitHit> limits;          // every limit reached, the first one first
    int evaluatedLevels = 0;

    static constexpr double KneeFraction = 0.9;
};

// The verdict over the levels measured so far. userStopped: the user ended the sweep.
SweepVerdict computeVerdict(const SweepConfig &config, const std::vector<SweepLevelResult> &levels,
                            bool userStopped);

// The verdict in plain words, one paragraph per line, in the user's language (context
// "ts::Sweep"): the highest stable level and why the sweep stopped there, the peak throughput
// and where, the knee, the concurrency efficiency, and which limit was reached first.
QString sweepVerdictText(const SweepConfig &config, const std::vector<SweepLevelResult> &levels,
                         const SweepVerdict &verdict);

// A level for people: "concurrency 16" or "2.5 requests/s" (translated).
QString sweepLevelPhrase(SweepMode mode, double level);
// A limit key for people: "the success rate", "the p99 TTFT limit", ... (translated).
QString sweepLimitName(const QString &key);

} // namespace ts
