#include "clitestutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace clitest;

namespace {

// The "saturating" preset (16 slots), 2.5 times faster.
QStringList fastSaturating()
{
    return { QStringLiteral("--preset"), QStringLiteral("saturating"), QStringLiteral("--step-ms"), QStringLiteral("10"),
             QStringLiteral("--step-per-seq-ms"), QStringLiteral("0.4"), QStringLiteral("--prefill-tps"),
             QStringLiteral("12500") };
}

nlohmann::json readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return nlohmann::json::parse(file.readAll().toStdString(), nullptr, false);
}

} // namespace

class TestCliSweep : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sweepFindsTheKneeAndCompareReadsTheLevels();
    void badFlagsExitWithTwo_data();
    void badFlagsExitWithTwo();
};

// A user's sweep against a separate server process with 16 slots: a table per level, the
// verdict naming 16, files in --result-dir; then `compare` over two of the level files.
void TestCliSweep::sweepFindsTheKneeAndCompareReadsTheLevels()
{
    ServeProcess server(fastSaturating());
    QVERIFY(!server.url().isEmpty());
    QTemporaryDir dir;
    const Result r = runCli({ QStringLiteral("sweep"), QStringLiteral("--base-url"), server.url(),
                              QStringLiteral("--concurrency-levels"), QStringLiteral("1,4,16,32,64"),
                              QStringLiteral("--prompts-per-level-multiplier"), QStringLiteral("2"),
                              QStringLiteral("--min-prompts-per-level"), QStringLiteral("8"),
                              QStringLiteral("--random-input-len"), QStringLiteral("32"),
                              QStringLiteral("--random-output-len"), QStringLiteral("32"),
                              QStringLiteral("--scrape-interval"), QStringLiteral("100"),
                              QStringLiteral("--result-dir"), dir.path(),
                              QStringLiteral("--result-prefix"), QStringLiteral("s") });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains(QLatin1String("Sweep verdict")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QLatin1String("Highest stable concurrency: 16.")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QLatin1String("at most 16 requests at once")), qPrintable(r.out));
    // One table row per level run, the last marked with the rule it broke.
    const QStringList lines = r.out.split(u'\n');
    const auto rowOf = [&](const QString &level) {
        for (const QString &line : lines) {
            if (line.trimmed().startsWith(level + u' '))
                return line;
        }
        return QString();
    };
    QVERIFY(!rowOf(QStringLiteral("1")).isEmpty());
    QVERIFY(!rowOf(QStringLiteral("16")).isEmpty());
    QVERIFY2(rowOf(QStringLiteral("32")).contains(QLatin1String("throughput plateau")), qPrintable(r.out));
    QVERIFY(rowOf(QStringLiteral("64")).isEmpty());

    const nlohmann::json summary = readJson(dir.filePath(QStringLiteral("s-summary.json")));
    QVERIFY(summary.is_object());
    QCOMPARE(summary["max_stable_concurrency"].get<int>(), 16);
    QCOMPARE(summary["stop_reason"].get<std::string>(), std::string("throughput_plateau"));
    QCOMPARE(summary["levels"].size(), std::size_t(4));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("s-summary.csv"))));
    for (const char *name : { "s-c1.json", "s-c4.json", "s-c16.json", "s-c32.json" })
        QVERIFY2(QFile::exists(dir.filePath(QLatin1String(name))), name);

    const QString csv = dir.filePath(QStringLiteral("cmp.csv"));
    const Result c = runCli({ QStringLiteral("compare"), dir.filePath(QStringLiteral("s-c4.json")),
                              dir.filePath(QStringLiteral("s-c16.json")), QStringLiteral("--csv"), csv });
    QVERIFY2(c.exitCode == 0, qPrintable(c.err));
    QVERIFY(c.out.contains(QLatin1String("[2] ")));
    QVERIFY(c.out.contains(QLatin1String("Output token throughput (tok/s)")));
    QVERIFY(c.out.contains(QLatin1String("Maximum concurrency")));
    QVERIFY(QFile::exists(csv));
}

void TestCliSweep::badFlagsExitWithTwo_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addRow("both modes") << QStringList { QStringLiteral("sweep"), QStringLiteral("--concurrency-levels"), QStringLiteral("1,2"),
                                                 QStringLiteral("--request-rates"), QStringLiteral("1,2") };
    QTest::addRow("falling levels") << QStringList { QStringLiteral("sweep"), QStringLiteral("--concurrency-levels"), QStringLiteral("8,4") };
    QTest::addRow("max concurrency in a concurrency sweep")
        << QStringList { QStringLiteral("sweep"), QStringLiteral("--max-concurrency"), QStringLiteral("8") };
    QTest::addRow("bad slo") << QStringList { QStringLiteral("sweep"), QStringLiteral("--slo-p99"), QStringLiteral("ttft:500"),
                                              QStringLiteral("speed:3") };
    QTest::addRow("compare one file") << QStringList { QStringLiteral("compare"), QStringLiteral("a.json") };
}

void TestCliSweep::badFlagsExitWithTwo()
{
    QFETCH(QStringList, arguments);
    const Result r = runCli(arguments, 30000);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!r.err.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliSweep)
#include "tst_cli_sweep.moc"
