#pragma once

// A strict raw HTTP/1.1 client for the simulated server's tests: it sends bytes as given and
// parses the replies itself, so chunked framing errors fail the test instead of being
// smoothed over by a library. Each HTTP chunk is timestamped when its bytes arrive.

#include "core/clock.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QStringBuilder>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

namespace tstest {

// Runs the event loop until pred() holds. Unlike QTest::qWaitFor, which sleeps 10 ms between
// passes, this wakes as soon as an event arrives, so timestamps taken in slots stay tight.
template <typename Pred>
bool waitUntil(Pred pred, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs, Qt::PreciseTimer);
    QTimer wake;   // bounds each wait, so the deadline is noticed
    wake.start(20);
    while (!pred()) {
        if (deadline.hasExpired())
            return pred();
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

struct HttpReply
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;   // lower-case names
    bool chunked = false;
    QByteArray body;                                // de-chunked
    std::vector<QByteArray> chunks;                 // one entry per HTTP chunk
    std::vector<qint64> chunkTimesNs;               // arrival of each chunk
    QByteArray framingError;                        // set when the framing was wrong

    QByteArray header(const char *name) const
    {
        for (const auto &h : headers) {
            if (h.first == name)
                return h.second;
        }
        return {};
    }

    // The payloads of "data:" lines, in order.
    std::vector<QByteArray> sseData() const
    {
        std::vector<QByteArray> out;
        for (const QByteArray &event : body.split('\n')) {
            if (event.startsWith("data:"))
                out.push_back(event.mid(5).trimmed());
        }
        return out;
    }

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

class RawHttpClient
{
public:
    RawHttpClient()
        : m_socket(std::make_unique<QTcpSocket>())
    {
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        QObject::connect(m_socket.get(), &QTcpSocket::readyRead, m_socket.get(), [this] {
            m_arrivalNs = ts::monotonicNs();
            m_buffer += m_socket->readAll();
            parse();
        });
        QObject::connect(m_socket.get(), &QTcpSocket::disconnected, m_socket.get(), [this] { m_closed = true; });
    }

    bool connectTo(quint16 port, int timeoutMs = 5000)
    {
        m_socket->connectToHost(QStringLiteral("127.0.0.1"), port);
        return waitUntil([&] { return m_socket->state() == QAbstractSocket::ConnectedState; }, timeoutMs);
    }

    void send(const QByteArray &bytes)
    {
        m_sentNs = ts::monotonicNs();
        m_socket->write(bytes);
        m_socket->flush();
    }

    static QByteArray request(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                              const QByteArray &extraHeaders = {})
    {
        QByteArray r = method + ' ' + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\n" + extraHeaders;
        if (!body.isEmpty() || method == "POST")
            r += "content-type: application/json\r\ncontent-length: " + QByteArray::number(body.size()) + "\r\n";
        r += "\r\n" + body;
        return r;
    }

    void post(const QByteArray &path, const QByteArray &body, const QByteArray &extraHeaders = {})
    {
        send(request("POST", path, body, extraHeaders));
    }

    void get(const QByteArray &path) { send(request("GET", path)); }

    // Waits for the next complete reply on this connection.
    bool waitForReply(HttpReply &out, int timeoutMs = 10000)
    {
        if (!waitUntil([&] { return !m_done.empty(); }, timeoutMs))
            return false;
        out = std::move(m_done.front());
        m_done.erase(m_done.begin());
        return true;
    }

    bool hasReply() const { return !m_done.empty(); }
    bool waitForClosed(int timeoutMs = 5000)
    {
        return waitUntil([&] { return m_closed; }, timeoutMs);
    }
    bool closed() const { return m_closed; }
    qint64 sentNs() const { return m_sentNs; }
    // The reply being received: its chunks so far.
    const HttpReply &partial() const { return m_current; }
    QTcpSocket *socket() const { return m_socket.get(); }

private:
    void parse()
    {
        for (;;) {
            if (!m_haveHead) {
                const qsizetype end = m_buffer.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                const QList<QByteArray> lines = m_buffer.left(end).split('\n');
                m_buffer.remove(0, end + 4);
                m_current = HttpReply {};
                const QList<QByteArray> status = lines.first().trimmed().split(' ');
                m_current.status = status.size() >= 2 && status[0] == "HTTP/1.1" ? status[1].toInt() : -1;
                for (qsizetype i = 1; i < lines.size(); ++i) {
                    const qsizetype colon = lines[i].indexOf(':');
                    if (colon > 0)
                        m_current.headers.append({lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed()});
                }
                m_current.chunked = m_current.header("transfer-encoding") == "chunked";
                m_remaining = m_current.chunked ? -1 : m_current.header("content-length").toLongLong();
                m_haveHead = true;
            }
            if (!m_current.chunked) {
                if (m_buffer.size() < m_remaining)
                    return;
                m_current.body = m_buffer.left(m_remaining);
                m_buffer.remove(0, m_remaining);
                finish();
                continue;
            }
            const qsizetype lineEnd = m_buffer.indexOf("\r\n");
            if (lineEnd < 0)
                return;
            bool ok = false;
            const qlonglong size = m_buffer.left(lineEnd).toLongLong(&ok, 16);
            if (!ok || size < 0) {
                m_current.framingError = "bad chunk size line: " + m_buffer.left(lineEnd);
                m_buffer.clear();
                finish();
                return;
            }
            if (m_buffer.size() < lineEnd + 2 + size + 2)
                return;
            const QByteArray data = m_buffer.mid(lineEnd + 2, size);
            if (m_buffer.mid(lineEnd + 2 + size, 2) != "\r\n")
                m_current.framingError = "chunk not followed by CRLF";
            m_buffer.remove(0, lineEnd + 2 + size + 2);
            if (size == 0) {
                finish();
                continue;
            }
            m_current.chunks.push_back(data);
            m_current.chunkTimesNs.push_back(m_arrivalNs);
            m_current.body += data;
        }
    }

    void finish()
    {
        m_done.push_back(std::move(m_current));
        m_current = HttpReply {};
        m_haveHead = false;
    }

    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
    HttpReply m_current;
    bool m_haveHead = false;
    qint64 m_remaining = 0;
    qint64 m_arrivalNs = 0;
    qint64 m_sentNs = 0;
    bool m_closed = false;
    std::vector<HttpReply> m_done;
};

} // namespace tstest
