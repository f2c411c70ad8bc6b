#pragma once

#include <QObject>

#include <cstdint>

class QSocketNotifier;
class QTimer;

namespace ts::sim {

// One timer re-armed to the next deadline of a scheduler (deadlines in ts::monotonicNs()).
// On Linux a timerfd with an absolute CLOCK_MONOTONIC deadline gives sub-millisecond
// precision through the ordinary event loop; elsewhere a Qt::PreciseTimer rounded up to the
// next millisecond.
class DeadlineTimer : public QObject
{
    Q_OBJECT
public:
    explicit DeadlineTimer(QObject *parent = nullptr);
    ~DeadlineTimer() override;

    void arm(std::int64_t deadlineNs);   // replaces any earlier deadline
    void disarm();
    bool isArmed() const { return m_armed; }
    std::int64_t deadline() const { return m_deadlineNs; }

Q_SIGNALS:
    void expired();

private:
    void onFired();

    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_fallback = nullptr;
    bool m_armed = false;
    std::int64_t m_deadlineNs = 0;
};

} // namespace ts::sim
