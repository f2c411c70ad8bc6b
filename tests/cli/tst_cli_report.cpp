#include "clitestutil.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace clitest;

namespace {

// No display of any kind and no platform chosen: the report must find its own way.
QProcessEnvironment headless()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.remove(QStringLiteral("LANGUAGE"));
    env.remove(QStringLiteral("LC_ALL"));
    return env;
}

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QString dataFile(const QString &name)
{
    return qEnvironmentVariable("TOKENSTORM_TEST_DATA") + u'/' + name;
}

} // namespace

class TestCliReport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void reportOfARunWithoutDisplay();
    void comparisonAndSweep();
    void failures_data();
    void failures();
};

// A run against a separate server process, saved with its records, then reported as HTML and
// PDF by a CLI that has no display to talk to.
void TestCliReport::reportOfARunWithoutDisplay()
{
    ServeProcess server({ QStringLiteral("--preset"), QStringLiteral("fixed"), QStringLiteral("--model"), QStringLiteral("cli-report-model") });
    QVERIFY(!server.url().isEmpty());
    QTemporaryDir dir;
    const Result run = runCli({ QStringLiteral("run"), QStringLiteral("--base-url"), server.url(), QStringLiteral("--model"),
                                QStringLiteral("cli-report-model"), QStringLiteral("--num-prompts"), QStringLiteral("20"),
                                QStringLiteral("--random-input-len"), QStringLiteral("16"), QStringLiteral("--random-output-len"),
                                QStringLiteral("16"), QStringLiteral("--max-concurrency"), QStringLiteral("4"),
                                QStringLiteral("--save-detailed"), QStringLiteral("--result-dir"), dir.path(),
                                QStringLiteral("--result-filename"), QStringLiteral("r.json") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString result = dir.filePath(QStringLiteral("r.json"));

    const QString html = dir.filePath(QStringLiteral("r.html"));
    Result r = runCli({ QStringLiteral("report"), result, QStringLiteral("--output"), html }, 120000, headless());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QString text = readText(html);
    QVERIFY(text.contains(QLatin1String("<svg ")));
    QVERIFY(text.contains(QLatin1String("cli-report-model")));
    QVERIFY(!text.contains(QLatin1String("http")));

    if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
        QSKIP("pdftotext (poppler-utils) is not installed");
    const QString pdf = dir.filePath(QStringLiteral("r.pdf"));
    r = runCli({ QStringLiteral("report"), result, QStringLiteral("-o"), pdf, QStringLiteral("--language"), QStringLiteral("zh_CN") },
               120000, headless());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QProcess extract;
    extract.start(QStringLiteral("pdftotext"), { QStringLiteral("-enc"), QStringLiteral("UTF-8"), pdf, QStringLiteral("-") });
    QVERIFY(extract.waitForFinished());
    const QString pdfText = QString::fromUtf8(extract.readAllStandardOutput());
    QVERIFY(pdfText.contains(QLatin1String("TTFT")));
    QVERIFY(pdfText.contains(QLatin1String("cli-report-model")));
}

void TestCliReport::comparisonAndSweep()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("c.html"));
    Result r = runCli({ QStringLiteral("report"), dataFile(QStringLiteral("report/run.json")),
                        dataFile(QStringLiteral("vllm/vllm-completions-detailed.json")), QStringLiteral("--output"), out },
                      120000, headless());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(readText(out).contains(QLatin1String("vllm-completions-detailed.json")));
    const QString sweep = dir.filePath(QStringLiteral("s.pdf"));
    r = runCli({ QStringLiteral("report"), dataFile(QStringLiteral("report/sweep-summary.json")), QStringLiteral("--output"), sweep },
               120000, headless());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(readText(sweep).startsWith(QLatin1String("%PDF")));
}

void TestCliReport::failures_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString result = dataFile(QStringLiteral("vllm/vllm-completions-detailed.json"));
    QTest::addRow("unknown suffix") << QStringList { result, QStringLiteral("--output"), QStringLiteral("/tmp/x.docx") } << 2
                                    << QStringLiteral("x.docx");
    QTest::addRow("no output") << QStringList { result } << 2 << QStringLiteral("--output");
    QTest::addRow("no file") << QStringList { QStringLiteral("--output"), QStringLiteral("/tmp/x.html") } << 2 << QStringLiteral("result file");
    QTest::addRow("unknown language") << QStringList { result, QStringLiteral("-o"), QStringLiteral("/tmp/x.html"), QStringLiteral("--language"), QStringLiteral("fr") }
                                      << 2 << QStringLiteral("fr");
    QTest::addRow("unreadable file") << QStringList { QStringLiteral("/nonexistent/missing-result.json"), QStringLiteral("-o"), QStringLiteral("/tmp/x.html") }
                                     << 1 << QStringLiteral("missing-result.json");
    QTest::addRow("write fails") << QStringList { result, QStringLiteral("-o"), QStringLiteral("/nonexistent/dir/out.pdf") } << 1
                                 << QStringLiteral("out.pdf");
}

void TestCliReport::failures()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Result r = runCli(QStringList { QStringLiteral("report") } + arguments, 60000, headless());
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCliReport)
#include "tst_cli_report.moc"
