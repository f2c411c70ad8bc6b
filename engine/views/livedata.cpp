#include "views/livedata.h"

#include "metrics/statistics.h"

#include <algorithm>

namespace ts {

LiveData::LiveData(int linePoints, int scatterPoints)
    : m_ttft(scatterPoints)
    , m_ttftMedian(linePoints)
    , m_ttftP99(linePoints)
    , m_failures(linePoints)
    , m_tokensPerS(linePoints)
    , m_requestsPerS(linePoints)
    , m_inFlight(linePoints)
    , m_waiting(linePoints)
{
}

void LiveData::clear()
{
    for (BoundedSeries *s : { &m_ttft, &m_ttftMedian, &m_ttftP99, &m_failures, &m_tokensPerS, &m_requestsPerS,
                              &m_inFlight, &m_waiting })
        s->clear();
    m_tpotsMs.clear();
    m_recentTtftsMs.clear();
    m_history.clear();
    m_last = RunProgress();
    m_maxTtftMs = 0.0;
    m_failedCount = 0;
    m_newTtft = false;
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
