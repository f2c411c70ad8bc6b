#include "stallmonitor.h"

#include <ctime>

namespace ts {

namespace {

qint64 threadCpuNs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

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
    m_maxStallCpuMs = 0.0;
    m_maxBusyMs = 0.0;
    m_lastCpuNs = threadCpuNs();
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
    const qint64 cpu = threadCpuNs();
    const double lateMs = double(now - m_lastNs) / 1e6 - m_intervalMs;
    const double cpuMs = double(cpu - m_lastCpuNs) / 1e6;
    m_lastNs = now;
    m_lastCpuNs = cpu;
    ++m_ticks;
    if (lateMs > m_maxStallMs) {
        m_maxStallMs = lateMs;
        m_maxStallCpuMs = cpuMs;
    }
    m_maxBusyMs = std::max(m_maxBusyMs, std::min(lateMs, cpuMs));
    m_over50 += lateMs > 50.0 ? 1 : 0;
    m_over100 += lateMs > 100.0 ? 1 : 0;
}

} // namespace ts
