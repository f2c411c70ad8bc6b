#pragma once

#include "httprequest.h"

#include <QHash>
#include <QHostAddress>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace ts::test {

// A plain-http server on loopback that answers each request as a test scripts it, for replies
// the built-in simulator never sends (lines without end, bytes that are not UTF-8, stalls).
// Requests are numbered in the order they arrive, from 0.
class ScriptedServer : public QObject
{
public:
    using Script = std::function<void(int request, QTcpSocket *socket)>;

    // With tls, an https server with that certificate and key.
    explicit ScriptedServer(Script script, const std::optional<QSslConfiguration> &tls = std::nullopt)
        : m_script(std::move(script))
    {
        if (tls) {
            auto server = std::make_unique<QSslServer>();
            server->setSslConfiguration(*tls);
            m_server = std::move(server);
        } else {
            m_server = std::make_unique<QTcpServer>();
        }
        connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    QByteArray &buffer = m_buffers[socket];
                    buffer += socket->readAll();
                    while (std::optional<HttpRequestBytes> request = takeRequest(buffer)) {
                        m_lastRequest = std::move(*request);
                        m_script(m_requests++, socket);
                    }
                });
                connect(socket, &QObject::destroyed, this, [this, socket] { m_buffers.remove(socket); });
            }
        });
    }

    bool listen() { return m_server->listen(QHostAddress::LocalHost); }
    QUrl baseUrl(const QString &scheme = QStringLiteral("http")) const
    {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(m_server->serverPort()));
    }
    int requests() const { return m_requests; }
    // The head and body of the latest request.
    const HttpRequestBytes &lastRequest() const { return m_lastRequest; }

    // The head of a streamed 200 reply that lasts until the connection closes.
    static QByteArray streamHead()
    {
        return QByteArrayLiteral("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                 "Cache-Control: no-cache\r\nConnection: close\r\n\r\n");
    }
    static QByteArray chunk(const QByteArray &text)
    {
        return "data: {\"choices\":[{\"index\":0,\"text\":\"" + text + "\"}]}\n\n";
    }
    // A short, well-formed completion stream, then the end of the connection.
    static void answerWell(QTcpSocket *socket)
    {
        socket->write(streamHead() + chunk("Hello") + chunk(" world") + "data: [DONE]\n\n");
        socket->disconnectFromHost();
    }

private:
    Script m_script;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    int m_requests = 0;
    HttpRequestBytes m_lastRequest;
    // Last, so it goes first: its sockets, its children, report their end to m_buffers.
    std::unique_ptr<QTcpServer> m_server;
};

} // namespace ts::test
