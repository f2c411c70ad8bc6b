#include "eventloop/scalabledispatcher.h"

#include <QAbstractEventDispatcher>
#include <QThread>

#ifdef Q_OS_LINUX

#include "core/clock.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>
#include <QSocketNotifier>
#include <QVarLengthArray>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>
#include <vector>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace ts {

namespace {

constexpr int kTypes = 3;   // QSocketNotifier::Read, Write, Exception

// What wakes each kind of notifier; as in Qt's own dispatcher, a hang-up or an error wakes all.
constexpr std::uint32_t kWakes[kTypes] = {
    EPOLLIN | EPOLLHUP | EPOLLERR,    // Read
    EPOLLOUT | EPOLLHUP | EPOLLERR,   // Write
    EPOLLPRI | EPOLLHUP | EPOLLERR,   // Exception
};
constexpr std::uint32_t kAsks[kTypes] = { EPOLLIN, EPOLLOUT, EPOLLPRI };

class EpollEventDispatcher final : public QAbstractEventDispatcher
{
public:
    EpollEventDispatcher(int epollFd, int wakeFd);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch
    {
        QSocketNotifier *notifiers[kTypes] = {};
        std::uint32_t events = 0;   // as last told to the kernel
    };
    struct Timer
    {
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        std::int64_t deadlineNs;
    };

    void updateKernel(int fd, Watch &watch);
    int waitFor(epoll_event *events, int capacity, std::int64_t timeoutNs);
    int activateSocketNotifiers(const epoll_event *events, int count);
    int activateTimers();

    const int m_epoll;
    const int m_wake;
    // Waking a thread costs a system call, and the thread one more wake-up. Most events are
    // posted to threads that are awake anyway: they see m_posted before they next sleep. Only a
    // thread that sleeps (m_sleeping) is written to, once until it reads (m_written).
    std::atomic<bool> m_posted { false };
    std::atomic<bool> m_sleeping { false };
    std::atomic<bool> m_written { false };
    std::atomic<bool> m_interrupted { false };
    bool m_hasPwait2 = true;

    QHash<int, Watch> m_watches;
    // Descriptors epoll refuses (regular files): poll() calls them ready at once, and so do we.
    QSet<int> m_alwaysReady;
    // Notifiers due in the activation under way (one list per nested processEvents); a notifier
    // that goes away meanwhile is taken out, so it is never sent an event after its end.
    // On the stack while short: this runs on every wake-up.
    using DueList = QVarLengthArray<QSocketNotifier *, 64>;
    std::vector<DueList *> m_activating;

    QHash<int, Timer> m_timers;
    // Qt asks for an object's timers whenever the object moves to another thread, which a
    // network request's objects do; a scan of every timer of the thread each time would cost
    // more, the more requests are in flight.
    QMultiHash<QObject *, int> m_timersByObject;
    std::set<std::pair<std::int64_t, int>> m_deadlines;   // (deadline, timer id)
};

EpollEventDispatcher::EpollEventDispatcher(int epollFd, int wakeFd)
    : m_epoll(epollFd), m_wake(wakeFd)
{
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wake);
    ::close(m_epoll);
}

void EpollEventDispatcher::wakeUp()
{
    // Sequentially consistent with the sleeper's store of m_sleeping and load of m_posted: either
    // it sees this event before it sleeps, or this sees it sleeping and writes.
    m_posted.store(true);
    if (m_sleeping.load() && !m_written.exchange(true)) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = ::write(m_wake, &one, sizeof one);
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true);
    wakeUp();
}

void EpollEventDispatcher::updateKernel(int fd, Watch &watch)
{
    std::uint32_t events = 0;
    for (int type = 0; type < kTypes; ++type) {
        if (watch.notifiers[type])
            events |= kAsks[type];
    }
    if (events == watch.events)
        return;
    if (m_alwaysReady.contains(fd)) {
        if (events == 0)
            m_alwaysReady.remove(fd);
        watch.events = events;
        return;
    }
    epoll_event change {};
    change.events = events;
    change.data.fd = fd;
    int result;
    if (events == 0)
        result = ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &change);
    else if (watch.events == 0)
        result = ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &change);
    else
        result = ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &change);
    // The kernel forgets a descriptor when it is closed, and its number may be reused before we
    // hear of it: add what it no longer knows, change what it already knows.
    if (result < 0 && errno == ENOENT && events != 0)
        result = ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &change);
    else if (result < 0 && errno == EEXIST)
        result = ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &change);
    if (result < 0 && errno == EPERM && events != 0) {
        m_alwaysReady.insert(fd);
        result = 0;
    }
    if (result < 0 && events != 0)
        qWarning("Cannot watch socket %d: %s", fd, strerror(errno));
    watch.events = events;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (fd < 0 || type < 0 || type >= kTypes)
        return;
    Watch &watch = m_watches[fd];
    if (watch.notifiers[type] && watch.notifiers[type] != notifier)
        qWarning("Socket %d already has a notifier of this type; the new one replaces it", fd);
    watch.notifiers[type] = notifier;
    updateKernel(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    for (DueList *due : m_activating)
        std::replace(due->begin(), due->end(), notifier, static_cast<QSocketNotifier *>(nullptr));
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end() || type < 0 || type >= kTypes || it->notifiers[type] != notifier)
        return;
    it->notifiers[type] = nullptr;
    updateKernel(fd, *it);
    if (it->events == 0)
        m_watches.erase(it);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    const std::int64_t deadline = monotonicNs() + interval * 1000000;
    m_timers.insert(timerId, { interval, timerType, object, deadline });
    m_timersByObject.insert(object, timerId);
    m_deadlines.emplace(deadline, timerId);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_deadlines.erase({ it->deadlineNs, timerId });
    m_timersByObject.remove(it->object, timerId);
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const QList<int> ids = m_timersByObject.values(object);
    for (int id : ids) {
        const auto it = m_timers.find(id);
        m_deadlines.erase({ it->deadlineNs, id });
        m_timers.erase(it);
    }
    m_timersByObject.remove(object);
    return !ids.isEmpty();
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (auto it = m_timersByObject.constFind(object); it != m_timersByObject.cend() && it.key() == object; ++it) {
        const Timer &timer = m_timers[it.value()];
        timers.append(TimerInfo(it.value(), int(timer.intervalMs), timer.type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    const std::int64_t remaining = it->deadlineNs - monotonicNs();
    return remaining <= 0 ? 0 : int((remaining + 999999) / 1000000);
}

int EpollEventDispatcher::waitFor(epoll_event *events, int capacity, std::int64_t timeoutNs)
{
    for (;;) {
        int n;
        if (m_hasPwait2) {
            timespec timeout { time_t(timeoutNs / 1000000000), long(timeoutNs % 1000000000) };
            n = ::epoll_pwait2(m_epoll, events, capacity, timeoutNs < 0 ? nullptr : &timeout, nullptr);
            if (n < 0 && errno == ENOSYS) {   // kernels before 5.11: whole milliseconds, rounded up
                m_hasPwait2 = false;
                continue;
            }
        } else {
            n = ::epoll_wait(m_epoll, events, capacity, timeoutNs < 0 ? -1 : int((timeoutNs + 999999) / 1000000));
        }
        if (n >= 0 || errno != EINTR)
            return n;
        timeoutNs = 0;   // a signal came: look once more without waiting
    }
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false);
    Q_EMIT awake();
    m_posted.store(false);   // everything posted until now is sent here
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.load();
    if (canWait)
        Q_EMIT aboutToBlock();
    if (m_interrupted.load())
        return false;

    std::int64_t timeoutNs = canWait ? -1 : 0;
    if (canWait && includeTimers && !m_deadlines.empty())
        timeoutNs = std::max<std::int64_t>(0, m_deadlines.begin()->first - monotonicNs());
    // With the notifiers excluded, a ready socket would end every wait at once: look, don't wait.
    if (!includeNotifiers && !m_watches.isEmpty())
        timeoutNs = 0;
    if (includeNotifiers && !m_alwaysReady.isEmpty())
        timeoutNs = 0;

    constexpr int kCapacity = 256;   // more ready sockets than this are found by the next call
    epoll_event events[kCapacity];
    if (timeoutNs != 0) {
        m_sleeping.store(true);
        if (m_posted.load() || m_interrupted.load())
            timeoutNs = 0;
    }
    int count = waitFor(events, kCapacity, timeoutNs);
    m_sleeping.store(false);
    if (count < 0) {
        qErrnoWarning("epoll_wait");
        count = 0;
    }
    for (auto it = m_alwaysReady.cbegin(); includeNotifiers && it != m_alwaysReady.cend() && count < kCapacity; ++it) {
        events[count].events = EPOLLIN | EPOLLOUT;
        events[count].data.fd = *it;
        ++count;
    }

    int activated = 0;
    for (int i = 0; i < count; ++i) {
        if (events[i].data.fd == m_wake) {
            std::uint64_t value = 0;
            [[maybe_unused]] const auto n = ::read(m_wake, &value, sizeof value);
            m_written.store(false);
            ++activated;
        }
    }
    if (includeNotifiers)
        activated += activateSocketNotifiers(events, count);
    if (includeTimers)
        activated += activateTimers();
    return activated > 0;
}

int EpollEventDispatcher::activateSocketNotifiers(const epoll_event *events, int count)
{
    DueList due;
    for (int i = 0; i < count; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wake)
            continue;
        const auto it = m_watches.constFind(fd);
        if (it == m_watches.cend()) {
            // Closed and forgotten without a word to us; stop hearing of it.
            ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
            continue;
        }
        for (int type = 0; type < kTypes; ++type) {
            if (it->notifiers[type] && (events[i].events & kWakes[type]))
                due.push_back(it->notifiers[type]);
        }
    }

    m_activating.push_back(&due);
    int activated = 0;
    for (qsizetype i = 0; i < due.size(); ++i) {
        QSocketNotifier *notifier = std::exchange(due[i], nullptr);
        if (!notifier)
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    m_activating.pop_back();
    return activated;
}

int EpollEventDispatcher::activateTimers()
{
    if (m_deadlines.empty())
        return 0;
    const std::int64_t now = monotonicNs();
    std::vector<std::pair<std::int64_t, int>> due;
    for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now; ++it)
        due.push_back(*it);

    int activated = 0;
    for (const auto &[deadline, id] : due) {
        const auto it = m_timers.find(id);
        // Stopped, or stopped and started again, by an earlier timer of this pass.
        if (it == m_timers.end() || it->deadlineNs != deadline)
            continue;
        // The next deadline is set before the event is sent, so a nested event loop in the
        // handler does not fire the same timer again.
        std::int64_t next = deadline + it->intervalMs * 1000000;
        if (next <= now)
            next = now + it->intervalMs * 1000000;
        m_deadlines.erase({ deadline, id });
        m_deadlines.emplace(next, id);
        it->deadlineNs = next;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++activated;
    }
    return activated;
}

} // namespace

QAbstractEventDispatcher *createScalableEventDispatcher()
{
    const int epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    if (epollFd < 0)
        return nullptr;
    const int wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event watch {};
    watch.events = EPOLLIN;
    watch.data.fd = wakeFd;
    if (wakeFd < 0 || ::epoll_ctl(epollFd, EPOLL_CTL_ADD, wakeFd, &watch) < 0) {
        if (wakeFd >= 0)
            ::close(wakeFd);
        ::close(epollFd);
        return nullptr;
    }
    return new EpollEventDispatcher(epollFd, wakeFd);
}

bool hasScalableEventDispatcher(const QThread *thread)
{
    return dynamic_cast<EpollEventDispatcher *>(thread->eventDispatcher());
}

} // namespace ts

#else // Q_OS_LINUX

namespace ts {

QAbstractEventDispatcher *createScalableEventDispatcher()
{
    return nullptr;
}

bool hasScalableEventDispatcher(const QThread *)
{
    return false;
}

} // namespace ts

#endif // Q_OS_LINUX

namespace ts {

void useScalableEventDispatcher(QThread *thread)
{
    if (QAbstractEventDispatcher *dispatcher = createScalableEventDispatcher())
        thread->setEventDispatcher(dispatcher);
}

} // namespace ts
