#include "views/metricselection.h"

#include "backends/backendregistry.h"
#include "metrics/benchmarkmetrics.h"
#include "metrics/statistics.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

namespace ts {

namespace {

// A request's value of a per-request metric in seconds, or nullopt when computeMetrics()
// leaves the request out of that metric's statistics.
std::optional<double> perRequestValue(const RequestRecord &r, MetricId metric)
{
    if (!r.success)
        return std::nullopt;
    switch (metric) {
    case MetricId::Ttft:
        return r.ttft;
    case MetricId::Tpot:
        return r.outputTokens > 1 ? std::optional<double>(r.tpot()) : std::nullopt;
    case MetricId::E2el:
        return r.latency;
    case MetricId::QueueTime:
        return r.queueTime;
    case MetricId::Ttfrt:
        return r.ttfrt >= 0.0 ? std::optional<double>(r.ttfrt) : std::nullopt;
    case MetricId::Ttfat:
        return r.ttfrt >= 0.0 && r.ttfat >= 0.0 ? std::optional<double>(r.ttfat) : std::nullopt;
    default:
        return std::nullopt;
    }
}

// The one or two sorted values numpy's median lies between.
std::pair<double, double> medianNeighbours(const std::vector<double> &sorted)
{
    const std::size_t n = sorted.size();
    return { sorted[(n - 1) / 2], sorted[n / 2] };
}

// Which values make the statistic: at or above the percentile's cut, the median's neighbours,
// or every value for the others. sorted is not empty.
std::function<bool(double)> valuesBehind(const std::vector<double> &sorted, Statistic statistic, double p)
{
    if (statistic == Statistic::Percentile) {
        const double cut = percentile(sorted, p);
        return [cut](double v) { return v >= cut; };
    }
    if (statistic == Statistic::Median) {
        const auto [lo, hi] = medianNeighbours(sorted);
        // Copied by name: clang before 16 cannot capture structured bindings.
        return [lo = lo, hi = hi](double v) { return v == lo || v == hi; };
    }
    return [](double) { return true; };
}

std::vector<int> perRequestSelection(const std::vector<RequestRecord> &records, MetricId metric, Statistic statistic,
                                     double p)
{
    std::vector<double> values;
    for (const RequestRecord &r : records) {
        if (const std::optional<double> v = perRequestValue(r, metric))
            values.push_back(*v);
    }
    if (values.empty())
        return {};
    std::sort(values.begin(), values.end());
    const std::function<bool(double)> chosen = valuesBehind(values, statistic, p);
    std::vector<int> out;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const std::optional<double> v = perRequestValue(records[i], metric);
        if (v && chosen(*v))
            out.push_back(int(i));
    }
    return out;
}

std::vector<int> itlSelection(const std::vector<RequestRecord> &records, Statistic statistic, double p)
{
    std::vector<double> gaps;
    for (const RequestRecord &r : records) {
        if (r.success)
            gaps.insert(gaps.end(), r.itl.begin(), r.itl.end());
    }
    if (gaps.empty())
        return {};
    std::sort(gaps.begin(), gaps.end());
    const std::function<bool(double)> chosen = valuesBehind(gaps, statistic, p);
    std::vector<int> out;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const RequestRecord &r = records[i];
        if (r.success && std::any_of(r.itl.begin(), r.itl.end(), chosen))
            out.push_back(int(i));
    }
    return out;
}

template<typename Pred>
std::vector<int> indicesWhere(const std::vector<RequestRecord> &records, Pred pred)
{
    std::vector<int> out;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (pred(records[i]))
            out.push_back(int(i));
    }
    return out;
}

// The same sweep as maxConcurrentRequests(): ends sort before starts at equal times.
std::vector<int> inFlightAtPeak(const std::vector<RequestRecord> &records)
{
    struct Event
    {
        double time;
        int delta;
    };
    std::vector<Event> events;
    for (const RequestRecord &r : records) {
        events.push_back({ r.startTime, +1 });
        events.push_back({ r.startTime + std::max(r.latency, 0.0), -1 });
    }
    std::sort(events.begin(), events.end(), [](const Event &a, const Event &b) {
        return a.time != b.time ? a.time < b.time : a.delta < b.delta;
    });
    int inFlight = 0;
    int peak = 0;
    double peakTime = 0.0;
    for (const Event &e : events) {
        inFlight += e.delta;
        if (inFlight > peak) {
            peak = inFlight;
            peakTime = e.time;
        }
    }
    if (peak == 0)
        return {};
    return indicesWhere(records, [peakTime](const RequestRecord &r) {
        return r.startTime <= peakTime && r.startTime + std::max(r.latency, 0.0) > peakTime;
    });
}

// The requests with a chunk in the bucket that makes max_output_tokens_per_s.
std::vector<int> inFullestSecond(const std::vector<RequestRecord> &records)
{
    const OutputChunkBuckets buckets = outputChunksPerSecond(records);
    const qint64 fullest = buckets.fullest();
    if (fullest < 0)
        return {};
    return indicesWhere(records, [&](const RequestRecord &r) {
        bool hit = false;
        if (r.success)
            forEachChunkTime(r, [&](double t) { hit = hit || buckets.bucketOf(t) == fullest; });
        return hit;
    });
}

} // namespace

bool runHasMetric(const QString &backend, MetricId metric)
{
    if (!producesEmbeddings(backend))
        return true;
    switch (metric) {
    case MetricId::Ttft:
    case MetricId::Tpot:
    case MetricId::Itl:
    case MetricId::OutputTokenThroughput:
    case MetricId::PeakOutputTokenThroughput:
    case MetricId::OutputTokens:
        return false;
    default:
        return true;
    }
}

std::vector<int> requestsBehind(const std::vector<RequestRecord> &records, MetricId metric, Statistic statistic,
                                double percentile)
{
    switch (metric) {
    case MetricId::Ttft:
    case MetricId::Tpot:
    case MetricId::E2el:
    case MetricId::QueueTime:
    case MetricId::Ttfrt:
    case MetricId::Ttfat:
        return perRequestSelection(records, metric, statistic, percentile);
    case MetricId::Itl:
        return itlSelection(records, statistic, percentile);
    case MetricId::FailedRequests:
        return indicesWhere(records, [](const RequestRecord &r) { return !r.success; });
    case MetricId::PeakConcurrentRequests:
        return inFlightAtPeak(records);
    case MetricId::PeakOutputTokenThroughput:
        return inFullestSecond(records);
    case MetricId::MaxConcurrency:
    case MetricId::RequestRate:
        return indicesWhere(records, [](const RequestRecord &) { return true; });
    case MetricId::ReasoningTokens:
        return indicesWhere(records, [](const RequestRecord &r) {
            return r.success && (r.ttfrt >= 0.0 || r.reasoningTokens > 0);
        });
    case MetricId::SuccessRate:
    case MetricId::RequestThroughput:
    case MetricId::RequestGoodput:
    case MetricId::OutputTokenThroughput:
    case MetricId::TotalTokenThroughput:
    case MetricId::Duration:
    case MetricId::InputTokens:
    case MetricId::OutputTokens:
        break;
    }
    return indicesWhere(records, [](const RequestRecord &r) { return r.success; });
}

} // namespace ts
