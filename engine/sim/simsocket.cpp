#include "sim/simsocket.h"

#include "core/clock.h"

#include <QEvent>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <sys/socket.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#endif

namespace ts::sim {

namespace {
void askForReceiveTimes([[maybe_unused]] qintptr fd)
{
#ifdef Q_OS_LINUX
    const int on = 1;
    ::setsockopt(int(fd), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
#endif
}
} // namespace

void recordArrivalTimes(QTcpServer &server)
{
    askForReceiveTimes(server.socketDescriptor());
}

QSocketNotifier *readNotifierOf(QTcpSocket *socket)
{
    for (QSocketNotifier *notifier : socket->findChildren<QSocketNotifier *>()) {
        if (notifier->type() == QSocketNotifier::Read)
            return notifier;
    }
    return nullptr;
}

ArrivalClock::ArrivalClock(QTcpSocket *socket)
    : QObject(socket)
    , m_fd(socket->socketDescriptor())
{
    askForReceiveTimes(m_fd);
    // QTcpSocket reads when its engine's read notifier fires; without the notifier,
    // lastArrivalNs() stays 0 and the caller uses its own time.
    if (QSocketNotifier *notifier = readNotifierOf(socket))
        notifier->installEventFilter(this);
}

bool ArrivalClock::eventFilter(QObject *watched, QEvent *event)
{
#ifdef Q_OS_LINUX
    if (event->type() != QEvent::SockAct)
        return QObject::eventFilter(watched, event);
    static thread_local char peekBuffer[64 * 1024];
    iovec iov { peekBuffer, sizeof peekBuffer };
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
    msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    do {
        n = ::recvmsg(int(m_fd), &msg, MSG_PEEK | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS)
                continue;
            timespec received;
            std::memcpy(&received, CMSG_DATA(c), sizeof received);
            timespec now;
            const std::int64_t nowNs = monotonicNs();
            ::clock_gettime(CLOCK_REALTIME, &now);
            const std::int64_t ageNs = (std::int64_t(now.tv_sec) - received.tv_sec) * 1'000'000'000
                + (now.tv_nsec - received.tv_nsec);
            m_lastArrivalNs = nowNs - std::max<std::int64_t>(ageNs, 0);
        }
    }
#endif
    return QObject::eventFilter(watched, event);
}

void sendNow(QTcpSocket *socket, const QByteArray &data)
{
    const char *p = data.constData();
    qsizetype left = data.size();
#ifdef Q_OS_LINUX
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0 && socket->bytesToWrite() == 0) {
        ssize_t n;
        do {
            n = ::send(int(fd), p, std::size_t(left), MSG_NOSIGNAL | MSG_DONTWAIT);
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                // The peer is gone. abort() reports it through the (queued) disconnected signal.
                socket->abort();
                return;
            }
            n = 0;
        }
        p += n;
        left -= qsizetype(n);
        if (left == 0)
            return;
    }
#endif
    socket->write(p, left);
    socket->flush();
}

} // namespace ts::sim
