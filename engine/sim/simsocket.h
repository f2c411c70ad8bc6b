#pragma once

#include <QByteArray>

class QTcpSocket;

namespace ts::sim {

// Writes `data` to a connected socket now. When Qt holds no unsent bytes for the socket, the
// bytes go straight to the kernel with one send(); only what the kernel does not take is left
// to QTcpSocket's buffer. Going through QTcpSocket::write() + flush() for every token toggles
// its write notifier twice per write, which costs O(connections) in the GLib event dispatcher
// and dominated the server's time at 2,000 streams.
void sendNow(QTcpSocket *socket, const QByteArray &data);

} // namespace ts::sim
