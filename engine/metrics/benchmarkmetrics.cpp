#include "metrics/benchmarkmetrics.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace ts {

namespace {

// vLLM compares SLOs in seconds (ms / 1000 >= value); doing the same keeps borderline
// requests on the same side of the line.
constexpr double MsPerS = 1000.0;

} // namespace

double BenchmarkMetrics::successRatePercent() const
{
    const int n = total();
    return n > 0 ? 100.0 * double(completed) / double(n) : 0.0;
}

const MetricSummary *BenchmarkMetrics::summary(QStringView metric) const
{
    if (metric == u"ttft")
        return &ttftMs;
    if (metric == u"tpot")
        return &tpotMs;
    if (metric == u"itl")
        return &itlMs;
    if (metric == u"e2el")
        return &e2elMs;
    if (metric == u"queue")
        return &queueMs;
    if (metric == u"ttfrt")
        return &ttfrtMs;
    if (metric == u"ttfat")
        return &ttfatMs;
    return nullptr;
}

double BenchmarkMetrics::meanReasoningTokens() const
{
    return reasoningRequests > 0 ? double(totalReasoningTokens) / double(reasoningRequests) : 0.0;
}

MetricSummary *BenchmarkMetrics::summary(QStringView metric)
{
    return const_cast<MetricSummary *>(std::as_const(*this).summary(metric));
}

qint64 OutputChunkBuckets::bucketOf(double time) const
{
    const auto bucket = qint64(time - start);   // truncates toward zero like Python's int()
    return bucket >= 0 && bucket < qint64(perSecond.size()) ? bucket : -1;
}

qint64 OutputChunkBuckets::fullest() const
{
    if (perSecond.empty())
        return -1;
    return qint64(std::max_element(perSecond.begin(), perSecond.end()) - perSecond.begin());
}

OutputChunkBuckets outputChunksPerSecond(const std::vector<RequestRecord> &records)
{
    double minStart = 0.0;
    double maxEnd = 0.0;
    bool any = false;
    for (const RequestRecord &r : records) {
        if (!r.success)
            continue;
        minStart = any ? std::min(minStart, r.startTime) : r.startTime;
        maxEnd = any ? std::max(maxEnd, r.startTime + r.latency) : r.startTime + r.latency;
        any = true;
    }
    OutputChunkBuckets buckets;
    if (!any)
        return buckets;
    // vLLM sizes the buckets from the successful requests' span and drops chunks outside it.
    buckets.start = minStart;
    buckets.perSecond.assign(std::size_t(std::max<qint64>(qint64(std::ceil(maxEnd - minStart)) + 1, 0)), 0);
    for (const RequestRecord &r : records) {
        if (!r.success)
            continue;
        forEachChunkTime(r, [&](double t) {
            if (const qint64 bucket = buckets.bucketOf(t); bucket >= 0)
                ++buckets.perSecond[std::size_t(bucket)];
        });
    }
    return buckets;
}

double maxOutputTokensPerSecond(const std::vector<RequestRecord> &records)
{
    const OutputChunkBuckets buckets = outputChunksPerSecond(records);
    const qint64 fullest = buckets.fullest();
    return fullest < 0 ? 0.0 : double(buckets.perSecond[std::size_t(fullest)]);
}

int maxConcurrentRequests(const std::vector<RequestRecord> &records)
{
    struct Event
    {
        double time;
        int delta;
    };
    std::vector<Event> events;
    events.reserve(records.size() * 2);
    for (const RequestRecord &r : records) {
        events.push_back({r.startTime, +1});
        events.push_back({r.startTime + std::max(r.latency, 0.0), -1});
    }
    std::sort(events.begin(), events.end(), [](const Event &a, const Event &b) {
        return a.time != b.time ? a.time < b.time : a.delta < b.delta;   // ends first
    });
    int inFlight = 0;
    int peak = 0;
    for (const Event &e : events) {
        inFlight += e.delta;
        peak = std::max(peak, inFlight);
    }
    return peak;
}

int goodRequestCount(const std::vector<RequestRecord> &records, const MetricsConfig &cfg)
{
    if (!cfg.hasGoodput())
        return 0;
    int good = 0;
    for (const RequestRecord &r : records) {
        if (!r.success)
            continue;
        if (cfg.goodputTtftMs && !(*cfg.goodputTtftMs / MsPerS >= r.ttft))
            continue;
        if (cfg.goodputTpotMs && !(*cfg.goodputTpotMs / MsPerS >= r.tpot()))
            continue;
        if (cfg.goodputE2elMs && !(*cfg.goodputE2elMs / MsPerS >= r.latency))
            continue;
        ++good;
    }
    return good;
}

BenchmarkMetrics computeMetrics(const std::vector<RequestRecord> &records, double durationS,
                                const MetricsConfig &cfg)
{
    BenchmarkMetrics m;
    m.duration = durationS;

    std::vector<double> ttfts, tpots, itls, e2els, queues, ttfrts, ttfats;
    for (const RequestRecord &r : records) {
        if (!r.success) {
            ++m.failed;
            continue;
        }
        ++m.completed;
        m.totalInputTokens += r.promptTokens;
        m.totalOutputTokens += r.outputTokens;
        if (r.outputTokenSource == TokenCountSource::Chunks)
            m.outputTokensEstimated = true;
        ttfts.push_back(r.ttft);
        if (r.outputTokens > 1)
            tpots.push_back(r.tpot());
        itls.insert(itls.end(), r.itl.begin(), r.itl.end());
        e2els.push_back(r.latency);
        queues.push_back(r.queueTime);
        if (r.ttfrt >= 0.0 || r.reasoningTokens > 0) {
            ++m.reasoningRequests;
            m.totalReasoningTokens += std::max(r.reasoningTokens, 0);
        }
        if (r.ttfrt >= 0.0) {
            ttfrts.push_back(r.ttfrt);
            if (r.ttfat >= 0.0)
                ttfats.push_back(r.ttfat);
        }
    }

    // A zero duration (nothing ran) gives zero rates rather than infinities.
    const auto perSecond = [durationS](double x) { return durationS > 0.0 ? x / durationS : 0.0; };
    m.requestThroughput = perSecond(m.completed);
    if (cfg.hasGoodput())
        m.requestGoodput = perSecond(goodRequestCount(records, cfg));
    m.outputThroughput = perSecond(double(m.totalOutputTokens));
    m.totalTokenThroughput = perSecond(double(m.totalInputTokens + m.totalOutputTokens));
    m.maxOutputTokensPerS = maxOutputTokensPerSecond(records);
    m.maxConcurrentRequests = maxConcurrentRequests(records);

    // Statistics in seconds, then scaled, as vLLM does (np.mean(ttfts) * 1000).
    m.ttftMs = summarize(std::move(ttfts), cfg.percentiles).scaled(MsPerS);
    m.tpotMs = summarize(std::move(tpots), cfg.percentiles).scaled(MsPerS);
    m.itlMs = summarize(std::move(itls), cfg.percentiles).scaled(MsPerS);
    m.e2elMs = summarize(std::move(e2els), cfg.percentiles).scaled(MsPerS);
    m.queueMs = summarize(std::move(queues), cfg.percentiles).scaled(MsPerS);
    m.ttfrtMs = summarize(std::move(ttfrts), cfg.percentiles).scaled(MsPerS);
    m.ttfatMs = summarize(std::move(ttfats), cfg.percentiles).scaled(MsPerS);
    return m;
}

std::vector<TimeBucket> timeSeries(const std::vector<RequestRecord> &records, double bucketWidthS)
{
    if (records.empty() || !(bucketWidthS > 0.0))
        return {};
    double last = 0.0;
    for (const RequestRecord &r : records)
        last = std::max(last, r.startTime + std::max(r.latency, r.ttft));
    const auto count = std::size_t(std::floor(last / bucketWidthS)) + 1;
    std::vector<TimeBucket> buckets(count);
    for (std::size_t i = 0; i < count; ++i)
        buckets[i].start = double(i) * bucketWidthS;

    const auto at = [&](double t) -> TimeBucket & {
        const double i = std::floor(std::max(t, 0.0) / bucketWidthS);
        return buckets[std::min(std::size_t(i), count - 1)];
    };
    for (const RequestRecord &r : records) {
        ++at(r.startTime).started;
        TimeBucket &end = at(r.startTime + r.latency);
        if (r.success) {
            ++end.succeeded;
            forEachChunkTime(r, [&](double t) { ++at(t).outputChunks; });
        } else {
            ++end.failed;
        }
    }
    return buckets;
}

} // namespace ts
