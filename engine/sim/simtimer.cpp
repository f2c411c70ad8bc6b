#include "sim/simtimer.h"

#include "core/clock.h"

#include <QSocketNotifier>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <sys/timerfd.h>
#include <unistd.h>
#include <ctime>
#endif

namespace ts::sim {

DeadlineTimer::DeadlineTimer(QObject *parent)
    : QObject(parent)
{
#ifdef Q_OS_LINUX
    // steady_clock (behind monotonicNs) is CLOCK_MONOTONIC, so deadlines can be used as is.
    m_fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_fd >= 0) {
        m_notifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] {
            std::uint64_t expirations = 0;
            [[maybe_unused]] const auto n = ::read(m_fd, &expirations, sizeof expirations);
            onFired();
        });
        return;
    }
#endif
    m_fallback = new QTimer(this);
    m_fallback->setSingleShot(true);
    m_fallback->setTimerType(Qt::PreciseTimer);
    connect(m_fallback, &QTimer::timeout, this, &DeadlineTimer::onFired);
}

DeadlineTimer::~DeadlineTimer()
{
#ifdef Q_OS_LINUX
    if (m_fd >= 0) {
        delete m_notifier;
        m_notifier = nullptr;
        ::close(m_fd);
    }
#endif
}

void DeadlineTimer::arm(std::int64_t deadlineNs)
{
    m_armed = true;
    m_deadlineNs = deadlineNs;
#ifdef Q_OS_LINUX
    if (m_fd >= 0) {
        // A deadline in the past (or 0, which would disarm) must still fire: use 1 ns.
        const std::int64_t at = deadlineNs > 0 ? deadlineNs : 1;
        itimerspec spec {};
        spec.it_value.tv_sec = time_t(at / 1000000000);
        spec.it_value.tv_nsec = long(at % 1000000000);
        ::timerfd_settime(m_fd, TFD_TIMER_ABSTIME, &spec, nullptr);
        return;
    }
#endif
    const std::int64_t remaining = deadlineNs - monotonicNs();
    const int ms = remaining <= 0 ? 0 : int((remaining + 999999) / 1000000);
    m_fallback->start(ms);
}

void DeadlineTimer::disarm()
{
    m_armed = false;
#ifdef Q_OS_LINUX
    if (m_fd >= 0) {
        itimerspec spec {};
        ::timerfd_settime(m_fd, TFD_TIMER_ABSTIME, &spec, nullptr);
        return;
    }
#endif
    m_fallback->stop();
}

void DeadlineTimer::onFired()
{
    if (!m_armed)
        return;
    m_armed = false;
    Q_EMIT expired();
}

} // namespace ts::sim
