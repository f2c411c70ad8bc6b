#include "server/servermetricsdata.h"

#include <algorithm>

namespace ts {

ServerMetricsData::ServerMetricsData(int linePoints)
    : m_running(linePoints)
    , m_waiting(linePoints)
    , m_queued(linePoints)
    , m_kvCache(linePoints)
    , m_promptTps(linePoints)
    , m_generationTps(linePoints)
    , m_clientInFlight(linePoints)
    , m_clientOutputTps(linePoints)
{
}

void ServerMetricsData::clear()
{
    for (BoundedSeries *s : { &m_running, &m_waiting, &m_queued, &m_kvCache, &m_promptTps, &m_generationTps,
                              &m_clientInFlight, &m_clientOutputTps })
        s->clear();
    m_clientHistory.clear();
    m_lastProgress = RunProgress();
    m_hasProgress = false;
    m_sampleCount = 0;
    m_kind = ServerKind::Unknown;
    m_lastTime = 0.0;
}

void ServerMetricsData::addSample(const ServerMetricsSample &sample, double t)
{
    const ServerSnapshot &s = sample.snapshot;
    ++m_sampleCount;
    m_kind = s.kind;
    m_lastTime = std::max(m_lastTime, t);
    if (s.running)
        m_running.append({ t, *s.running });
    if (s.waiting)
        m_waiting.append({ t, *s.waiting });
    // The client's "in flight" counts every request it sent and has not finished: at the
    // server those are running or waiting, so the sum is what to put next to it.
    if (s.running && s.waiting)
        m_queued.append({ t, *s.running + *s.waiting });
    if (s.kvCacheUsage)
        m_kvCache.append({ t, *s.kvCacheUsage * 100.0 });
    if (sample.promptTokensPerS)
        m_promptTps.append({ t, *sample.promptTokensPerS });
    if (sample.generationTokensPerS)
        m_generationTps.append({ t, *sample.generationTokensPerS });
}

void ServerMetricsData::addClientProgress(const RunProgress &progress, double t)
{
    m_lastTime = std::max(m_lastTime, t);
    if (progress.warmingUp)
        return;
    // A sweep starts each level's counters from zero: the rate starts over with it.
    if (m_hasProgress && progress.outputChunks < m_lastProgress.outputChunks)
        m_clientHistory.clear();
    m_lastProgress = progress;
    m_hasProgress = true;
    m_clientHistory.push_back({ t, progress.outputChunks });
    while (m_clientHistory.size() > 2 && m_clientHistory.back().t - m_clientHistory[1].t >= 1.0)
        m_clientHistory.pop_front();
}

void ServerMetricsData::sampleClient(double t)
{
    if (!m_hasProgress)
        return;
    m_lastTime = std::max(m_lastTime, t);
    m_clientInFlight.append({ t, double(m_lastProgress.inFlight) });
    if (m_clientHistory.empty())
        return;
    // Counters that stopped arriving mean nothing came in: the rate falls to zero.
    ClientPoint now = m_clientHistory.back();
    const ClientPoint then = m_clientHistory.front();
    if (t - now.t >= 1.0) {
        m_clientOutputTps.append({ t, 0.0 });
        return;
    }
    const double dt = now.t - then.t;
    if (dt >= 0.2)
        m_clientOutputTps.append({ t, double(now.outputChunks - then.outputChunks) / dt });
}

} // namespace ts
