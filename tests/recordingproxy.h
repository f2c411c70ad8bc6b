#pragma once

#include "core/clock.h"
#include "httprequest.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

namespace ts::test {

// Forwards every connection to the simulator and keeps each request body it passes on, in the
// order the last byte of each body arrived: what the server saw, independently of the runner.
// Requests without a body (model list, metrics) are passed on but not kept.
class RecordingProxy : public QObject
{
public:
    struct Seen
    {
        std::int64_t atNs = 0;
        nlohmann::json body;
    };

    bool listen(quint16 upstreamPort)
    {
        m_upstreamPort = upstreamPort;
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                pipe(client);
        });
        return m_server.listen(QHostAddress::LocalHost);
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }
    const std::vector<Seen> &seen() const { return m_seen; }

private:
    void pipe(QTcpSocket *client)
    {
        auto *upstream = new QTcpSocket(client);
        auto pending = std::make_shared<QByteArray>();
        upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
        connect(client, &QTcpSocket::readyRead, upstream, [this, client, upstream, pending] {
            const QByteArray bytes = client->readAll();
            pending->append(bytes);
            collect(*pending);
            upstream->write(bytes);
        });
        connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
    }

    // Takes every complete request off the front of buffer.
    void collect(QByteArray &buffer)
    {
        while (const std::optional<HttpRequestBytes> request = takeRequest(buffer)) {
            if (request->body.isEmpty())
                continue;   // a GET (model list, metrics), not a generation request
            m_seen.push_back({ monotonicNs(), nlohmann::json::parse(request->body.toStdString(), nullptr, false) });
        }
    }

    QTcpServer m_server;
    quint16 m_upstreamPort = 0;
    std::vector<Seen> m_seen;
};

} // namespace ts::test
