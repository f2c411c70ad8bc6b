#include "clitestutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace clitest;

namespace {

QString sampleTrace()
{
    return qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QStringLiteral("/datasets/mooncake.jsonl");
}

} // namespace

class TestCliTrace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replaysTraceAgainstBuiltinServer();
    void traceFlagsRefused_data();
    void traceFlagsRefused();
};

// The whole sample trace (20 requests over 1.9 s), replayed twice as fast against the built-in
// server, and recorded as a trace.
void TestCliTrace::replaysTraceAgainstBuiltinServer()
{
    QTemporaryDir dir;
    const Result r = runCli({ QStringLiteral("run"), QStringLiteral("--builtin-server"), QStringLiteral("fixed"),
                              QStringLiteral("--dataset-name"), QStringLiteral("mooncake"),
                              QStringLiteral("--dataset-path"), sampleTrace(),
                              QStringLiteral("--trace-time-scale"), QStringLiteral("0.5"),
                              QStringLiteral("--save-detailed"), QStringLiteral("--disable-tqdm"),
                              QStringLiteral("--result-dir"), dir.path(), QStringLiteral("--result-filename"), QStringLiteral("t.json") });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QFile file(dir.filePath(QStringLiteral("t.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto json = nlohmann::json::parse(file.readAll().toStdString());
    QCOMPARE(json["completed"].get<int>(), 20);
    QCOMPARE(json["failed"].get<int>(), 0);
    QCOMPARE(json["num_prompts"].get<int>(), 20);
    QCOMPARE(json["dataset_name"].get<std::string>(), std::string("mooncake"));
    QCOMPARE(json["trace_time_scale"].get<double>(), 0.5);
    QCOMPARE(json["request_rate"].get<std::string>(), std::string("inf"));
    // The trace's output lengths, generated in full (ignore_eos): 12 + 8 + ... over 20 records.
    QCOMPARE(json["total_output_tokens"].get<int>(), 148);
    // The last request is due 0.95 s after the start, so the run lasts at least that long.
    QVERIFY2(json["duration"].get<double>() >= 0.9, qPrintable(QString::number(json["duration"].get<double>())));
}

void TestCliTrace::traceFlagsRefused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QStringList trace { QStringLiteral("--dataset-name"), QStringLiteral("mooncake"), QStringLiteral("--dataset-path"), sampleTrace() };
    QTest::addRow("no file") << QStringList { QStringLiteral("--dataset-name"), QStringLiteral("mooncake") } << "--dataset-path";
    QTest::addRow("request rate") << trace + QStringList { QStringLiteral("--request-rate"), QStringLiteral("4") } << "request rate";
    QTest::addRow("duration") << trace + QStringList { QStringLiteral("--duration"), QStringLiteral("5"), QStringLiteral("--max-concurrency"), QStringLiteral("2") } << "duration";
    QTest::addRow("ramp-up")
        << trace + QStringList { QStringLiteral("--ramp-up-strategy"), QStringLiteral("linear"), QStringLiteral("--ramp-up-start-rps"), QStringLiteral("1"), QStringLiteral("--ramp-up-end-rps"), QStringLiteral("5") }
        << "ramp-up";
    QTest::addRow("zero scale") << trace + QStringList { QStringLiteral("--trace-time-scale"), QStringLiteral("0") } << "time scale";
    QTest::addRow("scale without trace") << QStringList { QStringLiteral("--trace-time-scale"), QStringLiteral("2") } << "--dataset-name mooncake";
}

void TestCliTrace::traceFlagsRefused()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Result r = runCli(QStringList { QStringLiteral("run") } + arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCliTrace)
#include "tst_cli_trace.moc"
