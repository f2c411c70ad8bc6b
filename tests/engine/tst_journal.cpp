#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"
#include "results/journal.h"
#include "results/journalreader.h"
#include "results/resultjson.h"
#include "sim/simserverthread.h"
#include "simrun.h"

#include <QCoreApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

BenchmarkConfig configFor(const SimServerThread &server, int requests)
{
    BenchmarkConfig config;
    config.target.baseUrl = server.baseUrl();
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.random.inputLen = 16;
    config.random.outputLen = 6;
    config.load.numPrompts = requests;
    config.load.maxConcurrency = 4;
    config.metrics.percentileMetrics = {QStringLiteral("ttft"), QStringLiteral("itl"), QStringLiteral("e2el")};
    config.metrics.percentiles = {50.0, 90.0};
    config.metrics.goodputTtftMs = 1000.0;
    config.label = QStringLiteral("journaled");
    return config;
}

// A run against the built-in server, journaled into dir; the journal is left in place.
RunResult journaledRun(const QString &dir, int requests)
{
    SimServerThread server;
    if (!server.start(ts::test::fixedServer(5, 2)).ok())
        return {};
    const BenchmarkConfig config = configFor(server, requests);
    BenchmarkRunner runner(config, makeRandomPrompts(config.random, requests, config.load.seed));
    runner.setJournalDirectory(dir);
    QSignalSpy finished(&runner, &BenchmarkRunner::finished);
    runner.start();
    if (!finished.wait(60000))
        return {};
    return finished.constFirst().constFirst().value<RunResult>();
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestJournal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void directoryFollowsEnvironment();
    void journalHoldsEveryMeasuredRequest();
    void recoveredResultMatchesTheRun();
    void tornLastLineIsLeftOut();
    void damagedLineIsAnError();
    void foreignFileIsAnError();
    void listingSkipsRunningTokenstormProcesses();
};

void TestJournal::directoryFollowsEnvironment()
{
    qputenv("TOKENSTORM_JOURNAL_DIR", "/some/where");
    QCOMPARE(journalDirectory(), QStringLiteral("/some/where"));
    qunsetenv("TOKENSTORM_JOURNAL_DIR");
    QVERIFY(journalDirectory().endsWith(QLatin1String("/journals")));
}

void TestJournal::journalHoldsEveryMeasuredRequest()
{
    QTemporaryDir dir;
    const RunResult run = journaledRun(dir.filePath(QStringLiteral("journals")), 12);
    QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
    QCOMPARE(int(run.records.size()), 12);
    QVERIFY(run.journal.startsWith(dir.filePath(QStringLiteral("journals"))));
    QVERIFY(run.journalError.isEmpty());

    const QList<QByteArray> lines = readAll(run.journal).split('\n');
    // Header, 12 requests (the probe is not measured), and the empty piece after the last newline.
    QCOMPARE(lines.size(), 14);
    QVERIFY(lines.constLast().isEmpty());
    const auto header = nlohmann::json::parse(lines.constFirst().toStdString());
    QCOMPARE(header["journal_version"].get<int>(), kJournalVersion);
    QCOMPARE(header["pid"].get<qint64>(), QCoreApplication::applicationPid());
    QCOMPARE(header["config"]["label"].get<std::string>(), std::string("journaled"));
    QVERIFY(!header["start_date"].get<std::string>().empty());
    for (int i = 1; i <= 12; ++i) {
        const auto request = nlohmann::json::parse(lines[i].toStdString());
        QVERIFY(request.contains("index"));
        QCOMPARE(request["output_lens"].get<int>(), 6);
        QCOMPARE(request["itls"].size(), std::size_t(5));
    }

    QVERIFY(removeJournal(run.journal));
    QVERIFY(!QFile::exists(run.journal));
}

void TestJournal::recoveredResultMatchesTheRun()
{
    QTemporaryDir dir;
    const RunResult run = journaledRun(dir.path(), 10);
    QCOMPARE(int(run.records.size()), 10);
    QString error;
    const std::optional<RecoveredRun> recovered = readJournal(run.journal, &error);
    QVERIFY2(recovered, qPrintable(error));
    QVERIFY(!recovered->tornLastLine);
    QCOMPARE(recovered->pid, QCoreApplication::applicationPid());
    QCOMPARE(int(recovered->run.records.size()), 10);
    QCOMPARE(recovered->run.requested, 10);
    QVERIFY(!recovered->run.stopped);
    QCOMPARE(recovered->run.config.label, QStringLiteral("journaled"));

    // The same numbers as the run's own result, from the same records.
    const auto original = toResultJson(run, computeMetrics(run.records, run.duration, run.config.metrics), true);
    const auto json = recoveredResultJson(*recovered);
    QCOMPARE(json["recovered"].get<bool>(), true);
    QCOMPARE(json["journal"].get<std::string>(), run.journal.toStdString());
    for (const char *key : {"completed", "failed", "total_input_tokens", "total_output_tokens", "ttfts", "itls",
                            "generated_texts", "start_times", "latencies", "chunk_text_ends", "median_ttft_ms",
                            "p90_e2el_ms", "model_id", "label", "num_prompts"})
        QVERIFY2(json[key] == original[key], key);
    QVERIFY(json.contains("p90_itl_ms"));
    // The duration ends at the last completion as the records time it, a little before the
    // runner heard of it; rates follow it.
    QVERIFY(std::abs(json["duration"].get<double>() - run.duration) < 0.05);
    QVERIFY(json["request_goodput"].get<double>() >= original["request_goodput"].get<double>());
    QVERIFY(json["request_goodput"].get<double>() < original["request_goodput"].get<double>() * 1.5);
}

void TestJournal::tornLastLineIsLeftOut()
{
    QTemporaryDir dir;
    const RunResult run = journaledRun(dir.path(), 8);
    QByteArray bytes = readAll(run.journal);
    // Killed in the middle of writing the last request's line.
    bytes.chop(25);
    writeAll(run.journal, bytes);
    QString error;
    std::optional<RecoveredRun> recovered = readJournal(run.journal, &error);
    QVERIFY2(recovered, qPrintable(error));
    QVERIFY(recovered->tornLastLine);
    QCOMPARE(int(recovered->run.records.size()), 7);
    QVERIFY(recovered->run.stopped);

    // Cut right before its newline, the last line is whole and counts.
    bytes = readAll(run.journal);
    bytes.truncate(bytes.lastIndexOf('\n'));
    writeAll(run.journal, bytes);
    recovered = readJournal(run.journal, &error);
    QVERIFY2(recovered, qPrintable(error));
    QVERIFY(!recovered->tornLastLine);
    QCOMPARE(int(recovered->run.records.size()), 7);
}

void TestJournal::damagedLineIsAnError()
{
    QTemporaryDir dir;
    const RunResult run = journaledRun(dir.path(), 6);
    QList<QByteArray> lines = readAll(run.journal).split('\n');
    lines[3] = "{\"index\": 2, garbage";
    writeAll(run.journal, lines.join('\n'));
    QString error;
    QVERIFY(!readJournal(run.journal, &error));
    QVERIFY2(error.contains(QLatin1String("Line 4")), qPrintable(error));
    QVERIFY(QFile::exists(run.journal));
}

void TestJournal::foreignFileIsAnError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("notes.jsonl"));
    writeAll(path, "{\"hello\": 1}\n{\"index\": 0}\n");
    QString error;
    QVERIFY(!readJournal(path, &error));
    QVERIFY2(error.contains(QLatin1String("notes.jsonl")), qPrintable(error));
    QVERIFY(recoverableJournals(dir.path()).isEmpty());
}

void TestJournal::listingSkipsRunningTokenstormProcesses()
{
    QTemporaryDir dir;
    const RunResult run = journaledRun(dir.path(), 4);
    // This test's process wrote it and is alive, but is not Tokenstorm: the pid is a stale one.
    QCOMPARE(recoverableJournals(dir.path()), QStringList {run.journal});
#ifdef Q_OS_LINUX
    QFile comm(QStringLiteral("/proc/self/comm"));
    QVERIFY(comm.open(QIODevice::ReadOnly));
    QCOMPARE(isTokenstormProcessRunning(QCoreApplication::applicationPid()), comm.readAll().startsWith("tokenstorm"));
#endif
    QVERIFY(!isTokenstormProcessRunning(0));
}

QTEST_GUILESS_MAIN(TestJournal)
#include "tst_journal.moc"
