// Fixed-latency timing seen from the client's socket, many concurrent streams, and the server
// running in its own thread. Bounds are generous: they catch broken timing, not slow machines.

#include "sim/fdlimit.h"
#include "sim/simserver.h"
#include "sim/simserverthread.h"
#include "tst_simclient.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <memory>
#include <numeric>
#include <vector>

using tstest::HttpReply;
using tstest::RawHttpClient;

namespace {

// Arrival times of the chunks that carry a token (not the role, usage or [DONE] ones).
std::vector<qint64> contentTimes(const HttpReply &reply)
{
    std::vector<qint64> times;
    for (std::size_t i = 0; i < reply.chunks.size(); ++i) {
        const QByteArray &c = reply.chunks[i];
        if (c.contains("\"text\":\"") || c.contains("\"delta\":{\"content\":\""))
            times.push_back(reply.chunkTimesNs[i]);
    }
    return times;
}

ts::SimServerConfig fixed(double ttftMs, double itlMs)
{
    ts::SimServerConfig c;
    c.mode = ts::SimMode::FixedLatency;
    c.ttftMs = ttftMs;
    c.itlMs = itlMs;
    return c;
}

} // namespace

class TestSimTiming : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        ts::raiseFileDescriptorLimit();
    }

    void fixedLatency_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addRow("completions") << QByteArray("/v1/completions")
            << QByteArray(R"({"prompt":"timing","max_tokens":10,"stream":true,"stream_options":{"include_usage":true}})");
        QTest::addRow("chat") << QByteArray("/v1/chat/completions")
            << QByteArray(R"({"messages":[{"role":"user","content":"timing"}],"max_completion_tokens":10,"stream":true})");
    }

    // TTFT 100 ms and ITL 20 ms, measured on the client for 8 concurrent streams.
    void fixedLatency()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        constexpr double ttftMs = 100.0;
        constexpr double itlMs = 20.0;
        constexpr int tokens = 10;
        ts::SimServerThread server;
        const ts::SimStartResult started = server.start(fixed(ttftMs, itlMs));
        QVERIFY2(started.ok(), qPrintable(started.error));

        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < 8; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>());
            QVERIFY(clients.back()->connectTo(started.port));
        }
        for (auto &c : clients)
            c->post(path, body);
        for (auto &c : clients) {
            HttpReply reply;
            QVERIFY(c->waitForReply(reply));
            QCOMPARE(reply.status, 200);
            const std::vector<qint64> times = contentTimes(reply);
            QCOMPARE(int(times.size()), tokens);
            const double ttft = double(times.front() - c->sentNs()) / 1e6;
            // The server cannot be early: the client's clock started before the server's did.
            QVERIFY2(ttft >= ttftMs - 0.5, qPrintable(QString::number(ttft)));
            QVERIFY2(ttft < ttftMs + 100.0, qPrintable(QString::number(ttft)));
            // Mean ITL; the server keeps it exact, the bounds allow for a busy test machine.
            const double meanItl = double(times.back() - times.front()) / 1e6 / (tokens - 1);
            QVERIFY2(meanItl >= itlMs * 0.75 && meanItl < itlMs + 10.0, qPrintable(QString::number(meanItl)));
            for (std::size_t i = 1; i < times.size(); ++i) {
                const double gap = double(times[i] - times[i - 1]) / 1e6;
                QVERIFY2(gap > 2.0 && gap < itlMs + 60.0, qPrintable(QString::number(gap)));
            }
        }
        const ts::SimLateness late = server.writeLateness();
        QCOMPARE(late.count, qint64(8 * tokens));
        QVERIFY(late.maxS >= late.p50S);
        qInfo("server write lateness: p50 %.3f ms, p99 %.3f ms, max %.3f ms", late.p50S * 1e3, late.p99S * 1e3,
              late.maxS * 1e3);
        QCOMPARE(server.counters().requestsServed, qint64(8));
        QCOMPARE(server.counters().peakRunning, 8);
    }

    // Jitter changes the gaps, is seeded, and keeps every deadline after the previous one.
    void jitter()
    {
        ts::SimServerConfig c = fixed(10.0, 20.0);
        c.jitter = 0.5;
        ts::SimServerThread server;
        const ts::SimStartResult started = server.start(c);
        QVERIFY(started.ok());
        RawHttpClient client;
        QVERIFY(client.connectTo(started.port));
        client.post("/v1/completions", R"({"prompt":"x","max_tokens":12,"stream":true})");
        HttpReply reply;
        QVERIFY(client.waitForReply(reply));
        const std::vector<qint64> times = contentTimes(reply);
        QCOMPARE(int(times.size()), 12);
        double minGap = 1e9;
        double maxGap = 0;
        for (std::size_t i = 1; i < times.size(); ++i) {
            const double gap = double(times[i] - times[i - 1]) / 1e6;
            minGap = std::min(minGap, gap);
            maxGap = std::max(maxGap, gap);
        }
        QVERIFY2(maxGap - minGap > 4.0, qPrintable(QStringLiteral("%1..%2").arg(minGap).arg(maxGap)));
    }

    // The TTFT counts from when the request reached the machine, not from when the server's
    // thread got round to it: here the server shares the test's thread, which is busy for
    // 200 ms after sending. Counted from the reading, the first token would come 500 ms
    // after sending.
    void ttftCountsFromArrival()
    {
#ifndef Q_OS_LINUX
        QSKIP("The kernel's receive times are read on Linux only.");
#endif
        ts::SimServer server(fixed(300.0, 10.0));
        QVERIFY(server.listen());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.port()));
        client.post("/v1/completions", R"({"prompt":"x","max_tokens":2,"stream":true})");
        QThread::msleep(200);
        HttpReply reply;
        QVERIFY(client.waitForReply(reply));
        const std::vector<qint64> times = contentTimes(reply);
        QCOMPARE(int(times.size()), 2);
        const double ttftMs = double(times.front() - client.sentNs()) / 1e6;
        QVERIFY2(ttftMs >= 299.5 && ttftMs < 450.0, qPrintable(QString::number(ttftMs)));
    }

    // 2,000 streams at once: every one completes with every token; all ran concurrently
    // (the long TTFT keeps the first streams alive until the last request has been sent).
    void manyConcurrentStreams()
    {
        constexpr int streams = 2000;
        constexpr int tokens = 10;
        const ts::FdLimitResult fds = ts::raiseFileDescriptorLimit();
        if (fds.after != -1 && fds.after < 2 * streams + 200)
            QSKIP("the open file limit is too low for 2,000 streams on both ends");

        ts::SimServerThread server;
        const ts::SimStartResult started = server.start(fixed(3000.0, 50.0));
        QVERIFY2(started.ok(), qPrintable(started.error));

        std::vector<std::unique_ptr<RawHttpClient>> clients;
        clients.reserve(streams);
        for (int i = 0; i < streams; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>());
            clients.back()->socket()->connectToHost(QStringLiteral("127.0.0.1"), started.port);
        }
        QVERIFY(tstest::waitUntil([&] {
            return std::all_of(clients.begin(), clients.end(), [](const auto &c) {
                return c->socket()->state() == QAbstractSocket::ConnectedState;
            });
        }, 30000));
        const QByteArray request = RawHttpClient::request(
            "POST", "/v1/completions",
            R"({"prompt":"load","max_tokens":10,"stream":true,"stream_options":{"include_usage":true},"ignore_eos":true})");
        QElapsedTimer sending;
        sending.start();
        for (auto &c : clients)
            c->send(request);
        // All 2,000 generate at the same time (the TTFT outlasts sending them all).
        QVERIFY(tstest::waitUntil([&] { return server.counters().running == streams; }, 30000));
        qInfo("2000 requests running %lld ms after the first was sent", sending.elapsed());

        QVERIFY(tstest::waitUntil([&] {
            return std::all_of(clients.begin(), clients.end(), [](const auto &c) { return c->hasReply(); });
        }, 60000));
        for (auto &c : clients) {
            HttpReply reply;
            QVERIFY(c->waitForReply(reply, 0));
            QCOMPARE(reply.status, 200);
            QVERIFY(reply.framingError.isEmpty());
            QCOMPARE(int(contentTimes(reply).size()), tokens);
        }
        const ts::SimCounters counters = server.counters();
        QCOMPARE(counters.requestsServed, qint64(streams));
        QCOMPARE(counters.generatedTokens, qint64(streams) * tokens);
        QCOMPARE(counters.peakRunning, streams);
        QCOMPARE(counters.connections, streams);
        const ts::SimLateness late = server.writeLateness();
        QCOMPARE(late.count, qint64(streams) * tokens);
        qInfo("2000 streams, server write lateness: p50 %.3f ms, p99 %.3f ms, max %.3f ms, %lld over 1 ms",
              late.p50S * 1e3, late.p99S * 1e3, late.maxS * 1e3, late.overOneMs);

        clients.clear();
        QTRY_COMPARE_WITH_TIMEOUT(server.counters().connections, 0, 20000);
    }

    void threadStartStop()
    {
        ts::SimServerThread server;
        QVERIFY(!server.isRunning());
        QCOMPARE(server.port(), quint16(0));
        QSignalSpy spy(&server, &ts::SimServerThread::countersChanged);

        ts::SimStartResult r = server.start(fixed(1.0, 1.0));
        QVERIFY(r.ok());
        QVERIFY(server.isRunning());
        QCOMPARE(server.port(), r.port);
        QCOMPARE(server.baseUrl().port(), int(r.port));

        RawHttpClient client;
        QVERIFY(client.connectTo(r.port));
        client.post("/v1/completions", R"({"prompt":"x","max_tokens":3})");
        HttpReply reply;
        QVERIFY(client.waitForReply(reply));
        QCOMPARE(reply.status, 200);
        QTRY_VERIFY(!spy.isEmpty());
        QTRY_COMPARE(spy.last().first().value<ts::SimCounters>().requestsServed, qint64(1));
        server.resetPeaks();
        QCOMPARE(server.writeLateness().count, qint64(0));

        // A second server on the same port fails with a message; the first keeps working.
        ts::SimServerConfig same = fixed(1.0, 1.0);
        same.port = r.port;
        ts::SimServerThread second;
        const ts::SimStartResult clash = second.start(same);
        QVERIFY(!clash.ok());
        QVERIFY(!clash.error.isEmpty());
        QVERIFY(!second.isRunning());

        // Restart with another config; the old port is released.
        const quint16 oldPort = r.port;
        server.stop();
        QVERIFY(!server.isRunning());
        QVERIFY(client.waitForClosed());
        same.port = oldPort;
        r = server.start(same);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.port, oldPort);
        server.stop();
        server.stop();   // harmless twice
    }
};

QTEST_GUILESS_MAIN(TestSimTiming)
#include "tst_simtiming.moc"
