#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace ts {

// Measures how responsive the thread's event loop is: a precise timer asks to fire every
// intervalMs, and the time beyond that between two firings is a stall (the loop was busy).
// Used by the responsiveness test; cheap enough to run alongside a benchmark.
class StallMonitor : public QObject
{
    Q_OBJECT
public:
    explicit StallMonitor(int intervalMs = 10, QObject *parent = nullptr);

    void start();
    void stop();

    double maxStallMs() const { return m_maxStallMs; }
    // CPU time the thread itself used during the longest stall: near maxStallMs when the
    // thread was busy, near 0 when it was only waiting for a core (a loaded machine).
    double maxStallCpuMs() const { return m_maxStallCpuMs; }
    // The longest time the thread computed without returning to its event loop (lateness
    // minus time spent off the CPU, bounded by CPU time).
    double maxBusyMs() const { return m_maxBusyMs; }
    // Stalls longer than 50 ms and 100 ms, counted.
    int stallsOver50Ms() const { return m_over50; }
    int stallsOver100Ms() const { return m_over100; }
    qint64 ticks() const { return m_ticks; }

private:
    void onTick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_lastCpuNs = 0;
    double m_maxStallCpuMs = 0.0;
    double m_maxBusyMs = 0.0;
    int m_intervalMs;
    double m_maxStallMs = 0.0;
    int m_over50 = 0;
    int m_over100 = 0;
    qint64 m_ticks = 0;
};

} // namespace ts
