#pragma once

#include "core/benchmarkconfig.h"
#include "core/requestrecord.h"
#include "metrics/statistics.h"

#include <QStringView>
#include <QtGlobal>

#include <optional>
#include <vector>

namespace ts {

// The aggregate numbers of a run, with vLLM's definitions (see docs/result-format.md).
// Only successful requests count for token sums and latency statistics.
struct BenchmarkMetrics
{
    int completed = 0;                  // successful requests
    int failed = 0;
    qint64 totalInputTokens = 0;
    qint64 totalOutputTokens = 0;
    double duration = 0.0;              // seconds
    double requestThroughput = 0.0;     // completed / duration
    std::optional<double> requestGoodput;   // good / duration; nullopt without SLOs
    double outputThroughput = 0.0;      // output tokens / duration
    double totalTokenThroughput = 0.0;  // (input + output tokens) / duration
    double maxOutputTokensPerS = 0.0;   // most output chunks in one 1-second bucket
    int maxConcurrentRequests = 0;      // exact peak of requests in flight
    // Milliseconds, over successful requests; queueMs is the client queue time.
    MetricSummary ttftMs, tpotMs, itlMs, e2elMs, queueMs;
    bool outputTokensEstimated = false; // some successful request's count came from chunks

    // Reasoning models. TTFT keeps vLLM's meaning: the first content of either kind.
    // reasoningRequests: successful requests that reasoned (a first reasoning token, or
    // reasoning tokens counted); the time statistics are over those whose stream told reasoning
    // apart (RequestRecord::ttfrt set), ttfat over those of them that also answered.
    int reasoningRequests = 0;
    MetricSummary ttfrtMs;              // time to first reasoning token
    MetricSummary ttfatMs;              // time to first answer token
    qint64 totalReasoningTokens = 0;    // from the server, else the reasoning chunks
    bool hasReasoning() const { return reasoningRequests > 0; }
    // Reasoning tokens per request that reasoned; 0 without any.
    double meanReasoningTokens() const;

    int total() const { return completed + failed; }
    // Percentage of finished requests that succeeded; 0 when none finished.
    double successRatePercent() const;
    // The summary for a metric name: vLLM's "ttft", "tpot", "itl", "e2el", or "queue", "ttfrt",
    // "ttfat".
    const MetricSummary *summary(QStringView metric) const;
    MetricSummary *summary(QStringView metric);
};

BenchmarkMetrics computeMetrics(const std::vector<RequestRecord> &records, double durationS,
                                const MetricsConfig &cfg);

// The pieces of computeMetrics, for callers (live views) that need only one of them.
// Output chunks of the successful requests per 1-second bucket, as vLLM counts them for its
// peak: buckets from the earliest successful start over the successful requests' span; chunks
// outside it are dropped.
struct OutputChunkBuckets
{
    double start = 0.0;
    std::vector<int> perSecond;

    // The bucket of a chunk that arrived at time (on the run's axis), or -1 outside them.
    qint64 bucketOf(double time) const;
    // The first fullest bucket, -1 when there is none.
    qint64 fullest() const;
};
OutputChunkBuckets outputChunksPerSecond(const std::vector<RequestRecord> &records);
// Arrival times of a request's content chunks on the run's axis: the first at ttft, the rest
// by adding each gap. None for a reply that generated nothing (an embedding).
template<typename F>
void forEachChunkTime(const RequestRecord &r, F &&f)
{
    if (r.outputTokens == 0 && r.contentChunks == 0 && r.itl.empty())
        return;
    double t = r.startTime + r.ttft;
    f(t);
    for (double gap : r.itl) {
        t += gap;
        f(t);
    }
}
// Peak count of output chunks per 1-second bucket (outputChunksPerSecond()).
double maxOutputTokensPerSecond(const std::vector<RequestRecord> &records);
// Peak number of requests in flight over [startTime, startTime + latency], all requests.
// At equal times an end sorts before a start, so back-to-back requests do not overlap.
int maxConcurrentRequests(const std::vector<RequestRecord> &records);
// Requests meeting every given SLO (milliseconds); TPOT of a request with <= 1 output token
// counts as 0. Returns 0 when no SLO is given.
int goodRequestCount(const std::vector<RequestRecord> &records, const MetricsConfig &cfg);

// One bucket of a per-second time series for charts. Times are measured from the start of
// the run (startTime 0), so buckets line up with the run's elapsed time.
struct TimeBucket
{
    double start = 0.0;         // seconds since the run began
    int outputChunks = 0;       // content chunks that arrived in the bucket (successful requests)
    int started = 0;            // requests sent in the bucket
    int succeeded = 0;          // requests that finished successfully in the bucket
    int failed = 0;             // requests that failed in the bucket
};

std::vector<TimeBucket> timeSeries(const std::vector<RequestRecord> &records,
                                   double bucketWidthS = 1.0);

} // namespace ts
