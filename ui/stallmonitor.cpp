#include "stallmonitor.h"

namespace ts {

StallMonitor::StallMonitor(int intervalMs, QObject *parent)
    : QObject(parent)
    , m_intervalMs(intervalMs)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StallMonitor::onTick);
}

void StallMonitor::start()
{
    m_maxStallMs = 0.0;
    m_over50 = m_over100 = 0;
    m_ticks = 0;
    m_clock.start();
    m_lastNs = m_clock.nsecsElapsed();
    m_timer.start();
}

void StallMonitor::stop()
{
    m_timer.stop();
}

void StallMonitor::onTick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const double lateMs = double(now - m_lastNs) / 1e6 - m_intervalMs;
    m_lastNs = now;
    ++m_ticks;
    m_maxStallMs = std::max(m_maxStallMs, lateMs);
    m_over50 += lateMs > 50.0 ? 1 : 0;
    m_over100 += lateMs > 100.0 ? 1 : 0;
}

} // namespace ts
