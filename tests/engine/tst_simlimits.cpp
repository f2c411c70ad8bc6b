// The simulated server against clients that hold connections or memory: slow heads and
// bodies, idle connections, oversized and deeply nested requests, over real sockets.

#include "sim/simserver.h"
#include "sim/simserverthread.h"
#include "simrun.h"
#include "tst_simclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>
#include <vector>

using tstest::HttpReply;
using tstest::RawHttpClient;

namespace {

// Timeouts short enough for a test, long enough for a loaded machine to send a request.
ts::SimServerConfig shortTimeouts()
{
    ts::SimServerConfig c = ts::test::fixedServer(5, 2);
    c.headerTimeoutS = 0.3;
    c.bodyTimeoutS = 0.3;
    c.keepAliveTimeoutS = 0.3;
    c.maxBodyBytes = 1024 * 1024;
    return c;
}

QJsonObject errorOf(const HttpReply &reply)
{
    return QJsonDocument::fromJson(reply.body).object().value(QLatin1String("error")).toObject();
}

QByteArray nested(int depth)
{
    return QByteArray(depth, '[') + QByteArray(depth, ']');
}

} // namespace

class TestSimLimits : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ts::SimServer> m_server;

    void start(const ts::SimServerConfig &config)
    {
        m_server = std::make_unique<ts::SimServer>(config);
        QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
    }

    // Sends `bytes` one at a time, 50 ms apart, then keeps sending filler of the same kind
    // until the server closes the connection or 5 s have passed.
    static void trickle(RawHttpClient &client, const QByteArray &bytes, char filler)
    {
        for (qsizetype i = 0; !client.closed() && i < 100; ++i) {
            if (client.socket()->state() == QAbstractSocket::ConnectedState)
                client.send(i < bytes.size() ? bytes.mid(i, 1) : QByteArray(1, filler));
            tstest::waitUntil([&] { return client.closed(); }, 50);
        }
    }

    void expectTimedOut(RawHttpClient &client, const QByteArray &messagePart)
    {
        QVERIFY(client.waitForClosed());
        HttpReply reply;
        QVERIFY(client.waitForReply(reply, 1000));
        QCOMPARE(reply.status, 408);
        QCOMPARE(reply.header("connection"), QByteArray("close"));
        QCOMPARE(errorOf(reply).value(QLatin1String("code")).toInt(), 408);
        QVERIFY2(errorOf(reply).value(QLatin1String("message")).toString().toUtf8().contains(messagePart),
                 reply.body.constData());
        QTRY_COMPARE(m_server->counters().connections, 0);
        QCOMPARE(m_server->counters().requestsTimedOut, qint64(1));
    }

private Q_SLOTS:
    void cleanup() { m_server.reset(); }

    // Slow loris: every byte resets an idle timer, so only a deadline for the whole head ends it.
    void headTrickledByteByByte()
    {
        start(shortTimeouts());
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        trickle(client, "GET /health HTTP/1.1\r\nx-filler: ", 'a');
        expectTimedOut(client, "head");
    }

    void bodyStalledOrTrickled_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("keepSending");
        const QByteArray withLength = "POST /v1/completions HTTP/1.1\r\ncontent-length: 1000\r\n\r\n{\"prompt\":";
        QTest::addRow("length, stalled") << withLength << false;
        QTest::addRow("length, trickled") << withLength << true;
        QTest::addRow("chunked, stalled")
            << QByteArray("POST /v1/completions HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{\"pro\r\n") << false;
    }

    void bodyStalledOrTrickled()
    {
        QFETCH(QByteArray, head);
        QFETCH(bool, keepSending);
        start(shortTimeouts());
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        client.send(head);
        if (keepSending)
            trickle(client, {}, ' ');
        expectTimedOut(client, "body");
    }

    // A client that connects and never sends is closed without an answer: no request came.
    void silentConnectionClosed()
    {
        start(shortTimeouts());
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        QTRY_COMPARE(m_server->counters().connections, 1);
        QVERIFY(client.waitForClosed());
        QVERIFY(!client.hasReply());
        QTRY_COMPARE(m_server->counters().connections, 0);
        QCOMPARE(m_server->counters().requestsTimedOut, qint64(0));
    }

    void idleKeepAliveClosed()
    {
        start(shortTimeouts());
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        client.get("/health");
        HttpReply reply;
        QVERIFY(client.waitForReply(reply));
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("connection").isEmpty());
        QVERIFY(client.waitForClosed());
        QVERIFY(!client.hasReply());
        QTRY_COMPARE(m_server->counters().connections, 0);
        QCOMPARE(m_server->counters().requestsTimedOut, qint64(0));
    }

    // A reply that takes longer than every timeout, and requests spaced closer than the
    // keep-alive timeout, keep their connection.
    void longRepliesAndShortGapsKeepTheConnection()
    {
        ts::SimServerConfig c = shortTimeouts();
        c.keepAliveTimeoutS = 2.0;
        c.itlMs = 50;
        start(c);
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        for (int i = 0; i < 3; ++i) {
            client.post("/v1/completions", R"({"prompt":"a","max_tokens":12,"stream":true,"ignore_eos":true})");
            HttpReply reply;
            QVERIFY(client.waitForReply(reply));
            QCOMPARE(reply.status, 200);
            QCOMPARE(int(reply.sseData().size()), 13);
            QTest::qWait(100);
        }
        QVERIFY(!client.closed());
        QCOMPARE(m_server->counters().connections, 1);
        QCOMPARE(m_server->counters().requestsServed, qint64(3));
    }

    // A whole benchmark through the engine's client, whose replies outlast the header and body
    // timeouts: every request succeeds, none timed out.
    void benchmarkUnaffected()
    {
        ts::SimServerConfig c = shortTimeouts();
        c.keepAliveTimeoutS = 5.0;
        c.ttftMs = 50;
        c.itlMs = 20;
        ts::SimServerThread server;
        QVERIFY(server.start(c).ok());
        ts::BenchmarkConfig config;
        config.target.baseUrl = server.baseUrl();
        config.target.model = QStringLiteral("tokenstorm-sim");
        config.random.inputLen = 32;
        config.random.outputLen = 20;
        config.load.numPrompts = 24;
        config.load.maxConcurrency = 4;
        config.load.requestRate = 20.0;
        const ts::RunResult result = ts::test::runToEnd(config);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(int(result.records.size()), 24);
        for (const ts::RequestRecord &r : result.records)
            QVERIFY2(r.success, qPrintable(r.error));
        QCOMPARE(server.counters().requestsTimedOut, qint64(0));
        QCOMPARE(server.counters().requestsAborted, qint64(0));
        QVERIFY(server.counters().requestsServed >= 24);   // and the run's probe
    }

    void refusedAtOnce_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("messagePart");
        QTest::addRow("content-length over the limit")
            << QByteArray("POST /v1/completions HTTP/1.1\r\ncontent-length: 1048577\r\n\r\n{") << 413 << QByteArray("too large");
        QTest::addRow("chunk over the limit")
            << QByteArray("POST /v1/completions HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n100001\r\n{") << 413
            << QByteArray("too large");
        QTest::addRow("head over 64 KB")
            << QByteArray("GET /health HTTP/1.1\r\nx-filler: ") + QByteArray(70 * 1024, 'a') << 431 << QByteArray("too large");
        QTest::addRow("json nested 65 deep")
            << RawHttpClient::request("POST", "/v1/completions", "{\"prompt\":\"a\",\"x\":" + nested(64) + "}") << 400
            << QByteArray("deeper than 64");
        QTest::addRow("json nested 100000 deep")
            << RawHttpClient::request("POST", "/v1/chat/completions", nested(100000)) << 400
            << QByteArray("deeper than 64");
    }

    // Refused from the head alone: the client need not send the body for its answer.
    void refusedAtOnce()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        QFETCH(QByteArray, messagePart);
        start(shortTimeouts());
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        client.send(raw);
        HttpReply reply;
        QVERIFY(client.waitForReply(reply));
        QCOMPARE(reply.status, status);
        QCOMPARE(errorOf(reply).value(QLatin1String("code")).toInt(), status);
        QVERIFY2(errorOf(reply).value(QLatin1String("message")).toString().toUtf8().contains(messagePart),
                 reply.body.constData());
        QCOMPARE(m_server->counters().requestsRejected, qint64(1));
        QCOMPARE(m_server->counters().requestsTimedOut, qint64(0));
    }

    void nestingUpToTheLimitIsServed_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addRow("64 deep") << "{\"prompt\":\"a\",\"max_tokens\":2,\"x\":" + nested(63) + "}";
        QTest::addRow("brackets in strings")
            << "{\"prompt\":\"" + nested(200) + "\\\"[\",\"max_tokens\":2}";
    }

    void nestingUpToTheLimitIsServed()
    {
        QFETCH(QByteArray, body);
        start(shortTimeouts());
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        client.post("/v1/completions", body);
        HttpReply reply;
        QVERIFY(client.waitForReply(reply));
        QCOMPARE(reply.status, 200);
    }

    // Many connections each holding part of a large body: when their clients leave, or the
    // body timeout ends them, the server holds none of them.
    void abandonedBodiesAreFreed()
    {
        // Long enough that every client is connected before the first body times out.
        ts::SimServerConfig c = shortTimeouts();
        c.headerTimeoutS = 3.0;
        c.bodyTimeoutS = 3.0;
        start(c);
        constexpr int kClients = 40;
        const QByteArray head = "POST /v1/completions HTTP/1.1\r\ncontent-length: 1000000\r\n\r\n";
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>());
            QVERIFY(clients.back()->connectTo(m_server->port()));
            clients.back()->send(head + QByteArray(500000, ' '));
        }
        QTRY_COMPARE(m_server->counters().connections, kClients);
        // Half leave; the body timeout ends the others.
        for (int i = 0; i < kClients / 2; ++i)
            clients[i]->socket()->abort();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->counters().connections, 0, 10000);
        QCOMPARE(m_server->counters().requestsServed, qint64(0));
        QVERIFY(m_server->counters().requestsTimedOut > 0);
        QVERIFY(m_server->counters().requestsTimedOut <= kClients);
    }
};

QTEST_GUILESS_MAIN(TestSimLimits)
#include "tst_simlimits.moc"
