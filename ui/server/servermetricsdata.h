#pragma once

#include "views/boundedseries.h"
#include "load/benchmarkrunner.h"
#include "prometheus/metricsscraper.h"

#include <deque>

namespace ts {

// The points of the Server tab: what the server says about itself (from its /metrics) and,
// where the client measures the same thing, what the client saw, on one time axis (seconds
// since watching began). Every series is bounded, so a long sweep costs no more to paint
// than a short run.
class ServerMetricsData
{
public:
    explicit ServerMetricsData(int linePoints = 600);

    void clear();
    // t: seconds since watching began.
    void addSample(const ServerMetricsSample &sample, double t);
    // Remembers the client's latest counters; sampleClient() turns them into points.
    void addClientProgress(const RunProgress &progress, double t);
    // One point per client series: requests in flight now, output tokens/s over the last second.
    void sampleClient(double t);

    const BoundedSeries &running() const { return m_running; }
    const BoundedSeries &waiting() const { return m_waiting; }
    const BoundedSeries &runningPlusWaiting() const { return m_queued; }
    const BoundedSeries &kvCachePercent() const { return m_kvCache; }
    const BoundedSeries &promptTokensPerSecond() const { return m_promptTps; }
    const BoundedSeries &generationTokensPerSecond() const { return m_generationTps; }
    const BoundedSeries &clientInFlight() const { return m_clientInFlight; }
    const BoundedSeries &clientOutputTokensPerSecond() const { return m_clientOutputTps; }

    int sampleCount() const { return m_sampleCount; }
    ServerKind serverKind() const { return m_kind; }
    double lastTime() const { return m_lastTime; }

private:
    struct ClientPoint
    {
        double t = 0.0;
        qint64 outputChunks = 0;
    };

    BoundedSeries m_running, m_waiting, m_queued, m_kvCache, m_promptTps, m_generationTps;
    BoundedSeries m_clientInFlight, m_clientOutputTps;
    std::deque<ClientPoint> m_clientHistory;
    RunProgress m_lastProgress;
    bool m_hasProgress = false;
    int m_sampleCount = 0;
    ServerKind m_kind = ServerKind::Unknown;
    double m_lastTime = 0.0;
};

} // namespace ts
