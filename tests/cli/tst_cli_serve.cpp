// `tokenstorm-cli serve` as other tools meet it: its limits on slow and oversized requests are
// set by flags, and bad values are refused before it listens.

#include "clitestutil.h"

#include <QTcpSocket>
#include <QTest>
#include <QUrl>

using clitest::Result;
using clitest::runCli;
using clitest::ServeProcess;

namespace {

// Sends `bytes` and returns everything the server sends back until it closes the connection.
QByteArray exchange(const QUrl &url, const QByteArray &bytes)
{
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port()));
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(bytes);
    socket.flush();
    QByteArray received;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5000))
        received += socket.readAll();
    return received + socket.readAll();
}

} // namespace

class TestCliServe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void limitsFromFlags();
    void helpNamesTheDefaults();
    void badLimitsExitWithTwo_data();
    void badLimitsExitWithTwo();
};

void TestCliServe::limitsFromFlags()
{
    ServeProcess server({ QStringLiteral("--preset"), QStringLiteral("fixed"), QStringLiteral("--header-timeout"),
                          QStringLiteral("0.3"), QStringLiteral("--body-timeout"), QStringLiteral("0.3"),
                          QStringLiteral("--max-body-bytes"), QStringLiteral("2048") });
    QVERIFY(!server.url().isEmpty());
    const QUrl url(server.url());

    const QByteArray slowHead = exchange(url, "GET /health HTTP/1.1\r\nhost: x\r\n");
    QVERIFY2(slowHead.startsWith("HTTP/1.1 408 "), slowHead.constData());

    const QByteArray slowBody = exchange(url, "POST /v1/completions HTTP/1.1\r\ncontent-length: 100\r\n\r\n{");
    QVERIFY2(slowBody.startsWith("HTTP/1.1 408 "), slowBody.constData());

    const QByteArray large = exchange(url, "POST /v1/completions HTTP/1.1\r\ncontent-length: 2049\r\n\r\n{");
    QVERIFY2(large.startsWith("HTTP/1.1 413 "), large.constData());

    const QByteArray fits = exchange(url, "POST /v1/completions HTTP/1.1\r\nconnection: close\r\ncontent-length: 29\r\n\r\n"
                                          "{\"prompt\":\"a\",\"max_tokens\":2}");
    QVERIFY2(fits.startsWith("HTTP/1.1 200 "), fits.constData());
}

void TestCliServe::helpNamesTheDefaults()
{
    const Result r = runCli({ QStringLiteral("serve"), QStringLiteral("--help") });
    QCOMPARE(r.exitCode, 0);
    for (const char *flag : { "--header-timeout", "--body-timeout", "--keep-alive-timeout", "--max-body-bytes" })
        QVERIFY2(r.out.contains(QLatin1String(flag)), flag);
    QVERIFY(r.out.contains(QLatin1String("(default: 10)")));
    QVERIFY(r.out.contains(QLatin1String("(default: 30)")));
    QVERIFY(r.out.contains(QLatin1String("(default: 75)")));
    QVERIFY(r.out.contains(QLatin1String("16777216")));
}

void TestCliServe::badLimitsExitWithTwo_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("errorPart");
    QTest::addRow("zero header timeout") << QStringList { QStringLiteral("--header-timeout"), QStringLiteral("0") }
                                         << QStringLiteral("above 0");
    QTest::addRow("negative keep-alive") << QStringList { QStringLiteral("--keep-alive-timeout"), QStringLiteral("-1") }
                                         << QStringLiteral("above 0");
    QTest::addRow("body timeout not a number") << QStringList { QStringLiteral("--body-timeout"), QStringLiteral("soon") }
                                               << QStringLiteral("--body-timeout");
    QTest::addRow("tiny body limit") << QStringList { QStringLiteral("--max-body-bytes"), QStringLiteral("10") }
                                     << QStringLiteral("1024");
}

void TestCliServe::badLimitsExitWithTwo()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, errorPart);
    const Result r = runCli(QStringList { QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0") } + arguments,
                            10000);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(errorPart), qPrintable(r.err));
    QVERIFY(!r.out.contains(QLatin1String("Serving")));
}

QTEST_GUILESS_MAIN(TestCliServe)
#include "tst_cli_serve.moc"
