#include "views/livedata.h"

#include "load/arrivals.h"
#include "metrics/statistics.h"

#include <algorithm>
#include <cmath>

namespace ts {

LiveData::LiveData(int linePoints, int scatterPoints)
    : m_ttft(scatterPoints)
    , m_ttftMedian(linePoints)
    , m_ttftP99(linePoints)
    , m_failures(linePoints)
    , m_tokensPerS(linePoints)
    , m_requestsPerS(linePoints)
    , m_sentPerS(linePoints)
    , m_inFlight(linePoints)
    , m_waiting(linePoints)
    , m_linePoints(std::max(2, linePoints))
{
}

void LiveData::clear()
{
    for (BoundedSeries *s : { &m_ttft, &m_ttftMedian, &m_ttftP99, &m_failures, &m_tokensPerS, &m_requestsPerS,
                              &m_sentPerS, &m_inFlight, &m_waiting })
        s->clear();
    m_targetRate.clear();
    m_tpotsMs.clear();
    m_recentTtftsMs.clear();
    m_history.clear();
    m_last = RunProgress();
    m_maxTtftMs = 0.0;
    m_failedCount = 0;
    m_newTtft = false;
}

void LiveData::setPlan(const LoadConfig &load)
{
    m_targetRate.clear();
    if (load.hasRampUp()) {
        const int count = load.numPrompts;
        if (count < 1)
            return;
        const std::vector<double> times = arrivalTimes(load, count);
        // Every stride-th planned request and the last one: the ramp is smooth, its ends matter.
        const int stride = std::max(1, (count + m_linePoints - 2) / (m_linePoints - 1));
        for (int i = 0; i < count; i += stride)
            m_targetRate.append({ times[std::size_t(i)], rampUpRate(load, i, count) });
        if ((count - 1) % stride != 0)
            m_targetRate.append({ times.back(), rampUpRate(load, count - 1, count) });
        return;
    }
    if (!load.hasFiniteRate())
        return;
    double end = load.durationS;
    if (!load.hasDurationLimit()) {
        const std::vector<double> times = arrivalTimes(load, std::max(1, load.numPrompts));
        end = times.back();
    }
    m_targetRate = { { 0.0, load.requestRate }, { end, load.requestRate } };
}

void LiveData::setPlannedSendTimes(std::vector<double> sendTimes)
{
    m_targetRate.clear();
    if (sendTimes.empty())
        return;
    std::sort(sendTimes.begin(), sendTimes.end());
    const double end = std::max(0.0, sendTimes.back());
    // Each bucket is drawn as a flat step, two points; whole seconds keep the rate readable.
    const int maxBuckets = std::max(1, m_linePoints / 2);
    const double width = std::max(1.0, std::ceil(std::floor(end + 1.0) / maxBuckets));
    const auto buckets = std::size_t(std::floor(end / width)) + 1;
    std::vector<int> counts(buckets, 0);
    for (double t : sendTimes)
        ++counts[std::min(buckets - 1, std::size_t(std::max(0.0, t) / width))];
    for (std::size_t i = 0; i < buckets; ++i) {
        const double rate = counts[i] / width;
        m_targetRate.append({ double(i) * width, rate });
        m_targetRate.append({ double(i + 1) * width, rate });
    }
}

void LiveData::addRecord(const RequestRecord &record)
{
    if (!record.success) {
        ++m_failedCount;
        m_failures.append({ record.startTime + record.latency, 0.0 });
        return;
    }
    const double ttftMs = record.ttft * 1000.0;
    m_ttft.append({ record.startTime + record.ttft, ttftMs });
    m_maxTtftMs = std::max(m_maxTtftMs, ttftMs);
    m_recentTtftsMs.push_back(ttftMs);
    if (m_recentTtftsMs.size() > std::size_t(rollingWindow))
        m_recentTtftsMs.pop_front();
    m_newTtft = true;
    if (record.outputTokens > 1)
        m_tpotsMs.push_back(record.tpot() * 1000.0);
}

void LiveData::addProgress(const RunProgress &progress)
{
    m_last = progress;
    if (progress.warmingUp)
        return;
    m_history.push_back(progress);
    // Rates are taken over the last second or so; older snapshots are not needed.
    while (m_history.size() > 2 && m_history.back().elapsed - m_history[1].elapsed >= 1.0)
        m_history.pop_front();
}

void LiveData::sample()
{
    if (m_last.warmingUp || m_history.empty())
        return;
    const RunProgress &now = m_history.back();
    const RunProgress &then = m_history.front();
    const double dt = now.elapsed - then.elapsed;
    if (dt >= 0.2) {
        const double chunks = double(now.outputChunks - then.outputChunks);
        const double done = double((now.succeeded + now.failed) - (then.succeeded + then.failed));
        m_tokensPerS.append({ now.elapsed, chunks / dt });
        m_requestsPerS.append({ now.elapsed, done / dt });
        m_sentPerS.append({ now.elapsed, double(now.sent - then.sent) / dt });
    }
    m_inFlight.append({ now.elapsed, double(now.inFlight) });
    m_waiting.append({ now.elapsed, double(now.waiting) });

    if (m_newTtft && !m_recentTtftsMs.empty()) {
        std::vector<double> sorted(m_recentTtftsMs.begin(), m_recentTtftsMs.end());
        std::sort(sorted.begin(), sorted.end());
        m_ttftMedian.append({ now.elapsed, percentile(sorted, 50.0) });
        m_ttftP99.append({ now.elapsed, percentile(sorted, 99.0) });
        m_newTtft = false;
    }
}

} // namespace ts
