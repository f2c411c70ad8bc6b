#pragma once

#include <QByteArray>
#include <QObject>

#include <cstdint>

class QSocketNotifier;
class QTcpServer;
class QTcpSocket;

namespace ts::sim {

// Asks the kernel to record when each incoming segment of a listening socket's connections
// arrives (Linux; nothing elsewhere). Accepted connections inherit it.
void recordArrivalTimes(QTcpServer &server);

// The notifier through which the socket's engine learns that bytes wait to be read (an
// implementation detail of Qt kept since Qt 4), or nullptr.
QSocketNotifier *readNotifierOf(QTcpSocket *socket);

// When the bytes QTcpSocket reads reached the machine, however long the server took to get
// round to them. It looks at the socket's read notifier just before Qt reads: a peek at the
// waiting bytes returns the receive time of the last segment, which Qt then reads with them.
class ArrivalClock : public QObject
{
    Q_OBJECT
public:
    explicit ArrivalClock(QTcpSocket *socket);   // a child of the socket

    // Monotonic clock; 0 when the kernel did not say (before any read, or not on Linux).
    std::int64_t lastArrivalNs() const { return m_lastArrivalNs; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    qintptr m_fd;
    std::int64_t m_lastArrivalNs = 0;
};

// Writes `data` to a connected socket now. When Qt holds no unsent bytes for the socket, the
// bytes go straight to the kernel with one send(); only what the kernel does not take is left
// to QTcpSocket's buffer. Going through QTcpSocket::write() + flush() for every token toggles
// its write notifier twice per write, which costs O(connections) in the GLib event dispatcher
// and dominated the server's time at 2,000 streams.
void sendNow(QTcpSocket *socket, const QByteArray &data);

} // namespace ts::sim
