#include "sweep/sweeplevel.h"

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

template<typename F>
std::optional<double> meanOf(const std::vector<const ServerMetricsSample *> &samples, F &&field)
{
    double sum = 0.0;
    int n = 0;
    for (const ServerMetricsSample *s : samples) {
        if (const std::optional<double> v = field(*s)) {
            sum += *v;
            ++n;
        }
    }
    return n ? std::optional<double>(sum / n) : std::nullopt;
}

template<typename F>
std::optional<double> maxOf(const std::vector<const ServerMetricsSample *> &samples, F &&field)
{
    std::optional<double> best;
    for (const ServerMetricsSample *s : samples) {
        if (const std::optional<double> v = field(*s))
            best = best ? std::max(*best, *v) : *v;
    }
    return best;
}

} // namespace

std::optional<ServerLevelStats> serverLevelStats(const std::vector<ServerMetricsSample> &samples,
                                                 std::int64_t fromNs, std::int64_t toNs)
{
    std::vector<const ServerMetricsSample *> in;
    for (const ServerMetricsSample &s : samples) {
        if (s.timeNs >= fromNs && s.timeNs <= toNs)
            in.push_back(&s);
    }
    if (in.empty())
        return std::nullopt;
    ServerLevelStats stats;
    stats.kind = in.back()->snapshot.kind;
    stats.samples = int(in.size());
    stats.maxRunning = maxOf(in, [](const ServerMetricsSample &s) { return s.snapshot.running; });
    stats.meanRunning = meanOf(in, [](const ServerMetricsSample &s) { return s.snapshot.running; });
    stats.maxWaiting = maxOf(in, [](const ServerMetricsSample &s) { return s.snapshot.waiting; });
    std::vector<double> waiting;
    for (const ServerMetricsSample *s : in) {
        if (s->snapshot.waiting)
            waiting.push_back(*s->snapshot.waiting);
    }
    if (!waiting.empty())
        stats.medianWaiting = median(std::move(waiting));
    stats.maxKvCacheUsage = maxOf(in, [](const ServerMetricsSample &s) { return s.snapshot.kvCacheUsage; });
    stats.meanPromptTokensPerS = meanOf(in, [](const ServerMetricsSample &s) { return s.promptTokensPerS; });
    stats.meanGenerationTokensPerS = meanOf(in, [](const ServerMetricsSample &s) { return s.generationTokensPerS; });
    return stats;
}

std::optional<double> p99Ms(const BenchmarkMetrics &metrics, QStringView metric)
{
    const MetricSummary *s = metrics.summary(metric);
    if (!s || s->count == 0)
        return std::nullopt;
    return s->valueAt(99.0);
}

SweepLevelResult analyzeLevel(int index, double level, RunResult run)
{
    SweepLevelResult r;
    r.index = index;
    r.level = level;
    r.metrics = computeMetrics(run.records, run.duration, run.config.metrics);
    r.successRatePercent = r.metrics.successRatePercent();
    double inFlight = 0.0;
    double generating = 0.0;
    for (const RequestRecord &rec : run.records) {
        inFlight += std::max(rec.latency, 0.0);
        if (rec.success)
            generating += std::max(rec.latency - rec.ttft, 0.0);
    }
    if (run.duration > 0.0) {
        r.meanInFlight = inFlight / run.duration;
        r.meanGenerating = generating / run.duration;
    }
    r.partial = run.stopped;
    r.run = std::move(run);
    return r;
}

void evaluateLevel(SweepLevelResult &level, const std::vector<SweepLevelResult> &earlier,
                   const SweepStopRules &rules)
{
    level.brokenRules.clear();
    level.throughputGainPercent.reset();
    level.gainPerDoublingPercent.reset();
    if (!level.evaluated())
        return;

    const double throughput = level.metrics.outputThroughput;
    std::optional<double> best;
    const SweepLevelResult *previous = nullptr;
    for (const SweepLevelResult &e : earlier) {
        if (!e.evaluated() || e.index >= level.index)
            continue;
        best = best ? std::max(*best, e.metrics.outputThroughput) : e.metrics.outputThroughput;
        previous = &e;
    }
    if (best && *best > 0.0)
        level.throughputGainPercent = 100.0 * (throughput / *best - 1.0);
    if (previous && previous->metrics.outputThroughput > 0.0 && throughput > 0.0 && level.level > previous->level) {
        const double doublings = std::log2(level.level / previous->level);
        const double ratio = throughput / previous->metrics.outputThroughput;
        level.gainPerDoublingPercent = 100.0 * (std::pow(ratio, 1.0 / doublings) - 1.0);
    }

    if (level.successRatePercent < rules.minSuccessRatePercent)
        level.brokenRules << SweepRule::SuccessRate;
    const auto overSlo = [&](QStringView metric, const std::optional<double> &limit) {
        if (!limit)
            return false;
        const std::optional<double> p99 = p99Ms(level.metrics, metric);
        return p99 && *p99 > *limit;
    };
    if (overSlo(u"ttft", rules.maxP99TtftMs))
        level.brokenRules << SweepRule::SloTtft;
    if (overSlo(u"tpot", rules.maxP99TpotMs))
        level.brokenRules << SweepRule::SloTpot;
    if (overSlo(u"e2el", rules.maxP99E2elMs))
        level.brokenRules << SweepRule::SloE2el;
    if (rules.minThroughputGainPercent > 0.0 && level.throughputGainPercent
        && *level.throughputGainPercent < rules.minThroughputGainPercent)
        level.brokenRules << SweepRule::ThroughputPlateau;
}

} // namespace ts
