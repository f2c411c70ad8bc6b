#include "backends/modellist.h"
#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "transport/streamcollector.h"
#include "transport/tlsconfig.h"

#include "scriptedserver.h"
#include "simrun.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSslKey>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <qcoro/qcorotask.h>

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
    void httpsToPlainHttpSaysSo();
    void caCertificateIsTrusted_data();
    void caCertificateIsTrusted();
    void unusableCaFileIsAnError();
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
    // Well-formed chunks that never end: 16 of 64 KiB of text a mebibyte.
    QTest::addRow("reply") << QByteArray() << ScriptedServer::chunk(QByteArray(64 * 1024, 'a')).repeated(16)
                           << QStringLiteral("The reply grew past 16 million characters");
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
    if (QByteArray(QTest::currentDataTag()) == "reply")
        QVERIFY(r.contentChunks > 256);
    else
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

void TestTransport::httpsToPlainHttpSaysSo()
{
    SimServerThread sim;
    QVERIFY(sim.start(test::fixedServer(1, 1)).ok());
    QUrl url = sim.baseUrl();
    url.setScheme(QStringLiteral("https"));
    BenchmarkConfig config = configFor(url, 1);
    config.target.model = QStringLiteral("tokenstorm-sim");
    // The built-in server waits in silence for an HTTP request that never comes.
    config.target.requestTimeoutS = 2.0;
    const RunResult result = test::runToEnd(config);
    QVERIFY2(result.error.contains(QStringLiteral("TLS handshake failed: the server at 127.0.0.1:%1 ")
                                       .arg(url.port())),
             qPrintable(result.error));
}

void TestTransport::caCertificateIsTrusted_data()
{
    QTest::addColumn<bool>("trustCa");
    QTest::addColumn<bool>("insecure");
    QTest::addColumn<bool>("succeeds");
    QTest::addRow("unknown CA") << false << false << false;
    QTest::addRow("--ca-cert") << true << false << true;
    QTest::addRow("--insecure") << false << true << true;
}

// A server certificate of its own CA, made with openssl for the test.
void TestTransport::caCertificateIsTrusted()
{
    QFETCH(bool, trustCa);
    QFETCH(bool, insecure);
    QFETCH(bool, succeeds);
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("openssl is not installed");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString certPath = dir.filePath(QStringLiteral("cert.pem"));
    const QString keyPath = dir.filePath(QStringLiteral("key.pem"));
    QProcess make;
    make.start(openssl, { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                          QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                          QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                          QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1"),
                          QStringLiteral("-keyout"), keyPath, QStringLiteral("-out"), certPath });
    QVERIFY(make.waitForFinished(60000));
    QVERIFY2(make.exitCode() == 0, make.readAllStandardError().constData());

    QFile keyFile(keyPath);
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(QSslCertificate::fromPath(certPath));
    tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    ScriptedServer server([](int, QTcpSocket *socket) { ScriptedServer::answerWell(socket); }, tls);
    QVERIFY(!tls.privateKey().isNull());
    QVERIFY(server.listen());

    BenchmarkConfig config = configFor(server.baseUrl(QStringLiteral("https")), 2);
    config.target.insecure = insecure;
    if (trustCa)
        config.target.caCertFile = certPath;
    // The model list, read before a run without --model, goes with the same TLS settings.
    QNetworkAccessManager manager;
    const ModelListResult models = QCoro::waitFor(fetchModels(manager, config.target));
    const bool tlsRefused = models.error.contains(QLatin1String("TLS")) || models.error.contains(QLatin1String("SSL"))
        || models.error.contains(QLatin1String("certificate"));
    QCOMPARE(tlsRefused, !succeeds);

    const RunResult result = test::runToEnd(config);
    if (succeeds) {
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(int(result.records.size()), 2);
        for (const RequestRecord &r : result.records)
            QVERIFY2(r.success, qPrintable(r.error));
    } else {
        QVERIFY2(result.error.contains(QLatin1String("TLS handshake with 127.0.0.1:")), qPrintable(result.error));
    }
}

void TestTransport::unusableCaFileIsAnError()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath(QStringLiteral("missing.pem"));
    QVERIFY(caCertificatesError(missing).contains(QLatin1String("Cannot read")));
    const QString notPem = dir.filePath(QStringLiteral("notes.txt"));
    QFile file(notPem);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a certificate\n");
    file.close();
    QVERIFY(caCertificatesError(notPem).contains(QLatin1String("holds no PEM certificate")));
}

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
