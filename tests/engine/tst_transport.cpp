#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"
#include "transport/streamcollector.h"
#include "scriptedserver.h"
#include "simrun.h"

#include <QTest>

#include <memory>

using namespace ts;
using ts::test::ScriptedServer;

namespace {

BenchmarkConfig configFor(const QUrl &baseUrl, int requests)
{
    BenchmarkConfig config;
    config.target.baseUrl = baseUrl;
    config.target.model = QStringLiteral("m");
    config.random.inputLen = 8;
    config.random.outputLen = 4;
    config.load.numPrompts = requests;
    return config;
}

// Keeps writing blocks to a reply until the client goes away or `limit` bytes are out.
void writeEndlessly(QTcpSocket *socket, const QByteArray &block, qint64 limit, std::shared_ptr<qint64> written)
{
    auto more = [socket, block, limit, written] {
        while (socket->state() == QAbstractSocket::ConnectedState && socket->bytesToWrite() < 4 * block.size()
               && *written < limit) {
            *written += socket->write(block);
        }
    };
    QObject::connect(socket, &QTcpSocket::bytesWritten, socket, more);
    more();
}

constexpr qint64 kMiB = 1024 * 1024;

} // namespace

class TestTransport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void endlessMessageIsStopped_data();
    void endlessMessageIsStopped();
    void failedRequestLastsUntilItEnded_data();
    void failedRequestLastsUntilItEnded();
    void invalidUtf8IsNamed();
};

void TestTransport::endlessMessageIsStopped_data()
{
    QTest::addColumn<QByteArray>("opening");
    QTest::addColumn<QByteArray>("block");
    QTest::addColumn<QString>("expected");
    QTest::addRow("line") << QByteArray("data: {\"choices\":[{\"text\":\"") << QByteArray(int(kMiB), 'a')
                          << QStringLiteral("The server sent a line longer than 16 MB");
    QTest::addRow("event") << QByteArray() << QByteArray("data: " + QByteArray(int(kMiB), 'a') + '\n')
                           << QStringLiteral("The server sent an event longer than 16 MB");
}

void TestTransport::endlessMessageIsStopped()
{
    QFETCH(QByteArray, opening);
    QFETCH(QByteArray, block);
    QFETCH(QString, expected);
    const qint64 limit = 256 * kMiB;
    auto written = std::make_shared<qint64>(0);
    ScriptedServer server([&](int request, QTcpSocket *socket) {
        if (request == 0)
            return ScriptedServer::answerWell(socket);
        socket->write(ScriptedServer::streamHead() + ScriptedServer::chunk("Hi") + opening);
        writeEndlessly(socket, block, limit, written);
    });
    QVERIFY(server.listen());
    const RunResult result = test::runToEnd(configFor(server.baseUrl(), 1));
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 1);
    const RequestRecord &r = result.records.front();
    QVERIFY(!r.success);
    QVERIFY2(r.error.startsWith(expected), qPrintable(r.error));
    // What was measured before the stop is kept; the stop ends the request.
    QCOMPARE(r.contentChunks, 1);
    QVERIFY2(r.latency > r.ttft, qPrintable(QStringLiteral("%1 > %2").arg(r.latency).arg(r.ttft)));
    // The client hung up soon after the cap, not after the server's last byte.
    QVERIFY2(*written < limit, qPrintable(QString::number(*written)));
}

void TestTransport::failedRequestLastsUntilItEnded_data()
{
    QTest::addColumn<bool>("sendsHead");
    QTest::addRow("stream stalls") << true;
    QTest::addRow("no reply at all") << false;
}

// A request that fails is in flight from its sending to its end, here the request timeout: a
// stalled stream is not over at its last byte, and the peak concurrency counts it.
void TestTransport::failedRequestLastsUntilItEnded()
{
    QFETCH(bool, sendsHead);
    ScriptedServer server([&](int request, QTcpSocket *socket) {
        if (request == 0)
            return ScriptedServer::answerWell(socket);
        if (sendsHead)
            socket->write(ScriptedServer::streamHead() + ScriptedServer::chunk("Hi"));
    });
    QVERIFY(server.listen());
    BenchmarkConfig config = configFor(server.baseUrl(), 3);
    config.target.requestTimeoutS = 1.5;
    // About 0.1 s apart: far less than the timeout, far more than a first chunk takes.
    config.load.requestRate = 10.0;
    config.load.burstiness = 1000.0;
    const RunResult result = test::runToEnd(config);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 3);
    for (const RequestRecord &r : result.records) {
        QVERIFY(!r.success);
        QVERIFY2(r.error.contains(QLatin1String("request timeout")), qPrintable(r.error));
        QCOMPARE(r.contentChunks, sendsHead ? 1 : 0);
        QVERIFY2(r.latency >= config.target.requestTimeoutS, qPrintable(QString::number(r.latency)));
    }
    QCOMPARE(maxConcurrentRequests(result.records), 3);
    const BenchmarkMetrics m = computeMetrics(result.records, result.duration, config.metrics);
    QCOMPARE(m.maxConcurrentRequests, 3);
}

void TestTransport::invalidUtf8IsNamed()
{
    const QByteArray first = ScriptedServer::chunk("Hi");
    const QByteArray bad = ScriptedServer::chunk(QByteArray("caf") + char(0xC3) + '(');
    ScriptedServer server([&](int request, QTcpSocket *socket) {
        if (request == 0)
            return ScriptedServer::answerWell(socket);
        socket->write(ScriptedServer::streamHead() + first + bad + "data: [DONE]\n\n");
        socket->disconnectFromHost();
    });
    QVERIFY(server.listen());
    const RunResult result = test::runToEnd(configFor(server.baseUrl(), 1));
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 1);
    const RequestRecord &r = result.records.front();
    QVERIFY(!r.success);
    // 0xC3 opens a two-byte character; '(' cannot continue it, so '(' is the first bad byte.
    const qsizetype at = first.size() + bad.indexOf('(') + 1;
    QCOMPARE(r.error, QStringLiteral("The server sent invalid UTF-8 at byte %1 of the stream; the request was stopped.").arg(at));
    QCOMPARE(r.contentChunks, 1);
}

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
