#include "sim/simsocket.h"

#include <QTcpSocket>

#ifdef Q_OS_LINUX
#include <sys/socket.h>
#include <cerrno>
#endif

namespace ts::sim {

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
