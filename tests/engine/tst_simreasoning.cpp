// The built-in server as a reasoning model (--reasoning-tokens), through each API that can tell
// reasoning from the answer, and the reasoning metrics down to the result file and back.
#include "backends/backendregistry.h"
#include "metrics/benchmarkmetrics.h"
#include "results/journal.h"
#include "results/journalreader.h"
#include "results/resultfile.h"
#include "results/resultjson.h"
#include "results/summary.h"
#include "sim/simserverthread.h"

#include "simrun.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

constexpr int kReasoningTokens = 3;
constexpr int kOutputTokens = 8;
constexpr int kRequests = 4;

BenchmarkConfig configFor(const QUrl &baseUrl, const QString &backend)
{
    BenchmarkConfig config;
    config.target.baseUrl = baseUrl;
    config.target.backend = backend;
    config.target.endpoint = findBackend(backend)->defaultEndpoint;
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.random.inputLen = 16;
    config.random.outputLen = kOutputTokens;
    config.load.numPrompts = kRequests;
    config.metrics.percentiles = { 50.0, 99.0 };
    return config;
}

} // namespace

class TestSimReasoning : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void reasoningBeforeAnswer_data();
    void reasoningBeforeAnswer();
    void plainServerHasNoReasoning();
    void completionsIgnoreReasoning();
};

void TestSimReasoning::reasoningBeforeAnswer_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addRow("openai-chat") << QStringLiteral("openai-chat");
    QTest::addRow("openai-responses") << QStringLiteral("openai-responses");
    QTest::addRow("anthropic") << QStringLiteral("anthropic");
}

void TestSimReasoning::reasoningBeforeAnswer()
{
    QFETCH(QString, backend);
    // Gaps long enough that the last reasoning token and the first answer token are not read
    // together even on a busy machine.
    SimServerConfig server = test::fixedServer(5, 25);
    server.reasoningTokens = kReasoningTokens;
    SimServerThread sim;
    QVERIFY(sim.start(server).ok());
    const BenchmarkConfig config = configFor(sim.baseUrl(), backend);
    const RunResult run = test::runToEnd(config);
    QCOMPARE(int(run.records.size()), kRequests);
    for (const RequestRecord &r : run.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QCOMPARE(r.outputTokens, kOutputTokens);
        QCOMPARE(r.outputTokenSource, TokenCountSource::Server);
        QCOMPARE(r.reasoningTokens, kReasoningTokens);
        QCOMPARE(r.contentChunks, kOutputTokens);
        QVERIFY(r.ttfrt >= 0.0);
        QCOMPARE(r.ttfrt, r.ttft);   // TTFT keeps its meaning: the first content of either kind
        QVERIFY2(r.ttfrt < r.ttfat, qPrintable(QStringLiteral("%1 < %2").arg(r.ttfrt).arg(r.ttfat)));
    }

    const BenchmarkMetrics m = computeMetrics(run.records, run.duration, config.metrics);
    QVERIFY(m.hasReasoning());
    QCOMPARE(m.reasoningRequests, kRequests);
    QCOMPARE(m.totalReasoningTokens, qint64(kRequests * kReasoningTokens));
    QCOMPARE(m.meanReasoningTokens(), double(kReasoningTokens));
    QCOMPARE(m.ttfrtMs.count, kRequests);
    QCOMPARE(m.ttfatMs.count, kRequests);
    QVERIFY(m.ttfrtMs.mean < m.ttfatMs.mean);

    const nlohmann::ordered_json json = toResultJson(run, m, true);
    for (const char *key : { "mean_ttfrt_ms", "median_ttfrt_ms", "std_ttfrt_ms", "p50_ttfrt_ms", "p99_ttfrt_ms",
                             "mean_ttfat_ms", "median_ttfat_ms", "std_ttfat_ms", "p99_ttfat_ms",
                             "total_reasoning_tokens", "ttfrts", "ttfats", "reasoning_tokens" })
        QVERIFY2(json.contains(key), key);
    QCOMPARE(json.at("total_reasoning_tokens").get<qint64>(), qint64(kRequests * kReasoningTokens));
    QCOMPARE(int(json.at("ttfats").size()), kRequests);

    // Read back, the file keeps what the run measured.
    QString error;
    const std::optional<ResultFile> file = resultFromJson(json, QStringLiteral("run.json"), &error);
    QVERIFY2(file, qPrintable(error));
    QCOMPARE(file->metrics.totalReasoningTokens, m.totalReasoningTokens);
    QCOMPARE(file->metrics.reasoningRequests, kRequests);
    QCOMPARE(file->metrics.ttfrtMs.mean, m.ttfrtMs.mean);
    QCOMPARE(file->metrics.ttfatMs.valueAt(99.0), m.ttfatMs.valueAt(99.0));
    QVERIFY(!file->percentileMetrics.contains(QStringLiteral("ttfrt")));
    const RunResult back = file->toRunResult();
    QCOMPARE(back.records.size(), run.records.size());
    for (std::size_t i = 0; i < back.records.size(); ++i) {
        QCOMPARE(back.records[i].reasoningTokens, kReasoningTokens);
        QVERIFY(back.records[i].ttfrt >= 0.0);
    }
    const BenchmarkMetrics again = computeMetrics(back.records, run.duration, config.metrics);
    QCOMPARE(again.ttfatMs.mean, m.ttfatMs.mean);

    // A journal of the run, recovered, keeps them too; a request without reasoning reads as none.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::unique_ptr<RunJournal> journal = RunJournal::create(dir.path(), run, &error);
    QVERIFY2(journal, qPrintable(error));
    RequestRecord plain = run.records.front();
    plain.index = kRequests;
    plain.ttfrt = plain.ttfat = -1.0;
    plain.reasoningTokens = -1;
    for (const RequestRecord &r : run.records)
        journal->append(r);
    journal->append(plain);
    journal->close();
    const std::optional<RecoveredRun> recovered = readJournal(journal->path(), &error);
    QVERIFY2(recovered, qPrintable(error));
    QCOMPARE(int(recovered->run.records.size()), kRequests + 1);
    for (const RequestRecord &r : run.records) {
        const RequestRecord &back = recovered->run.records[std::size_t(r.index)];
        QCOMPARE(back.index, r.index);
        QCOMPARE(back.reasoningTokens, kReasoningTokens);
        QCOMPARE(back.ttfrt, r.ttfrt);
        QCOMPARE(back.ttfat, r.ttfat);
    }
    QCOMPARE(recovered->run.records.back().reasoningTokens, -1);
    QCOMPARE(recovered->run.records.back().ttfrt, -1.0);

    const QString summary = formatSummary(run, m, config.metrics);
    QVERIFY2(summary.contains(summaryTitle(QStringLiteral("Reasoning"), u'-')), qPrintable(summary));
    QVERIFY2(summary.contains(summaryRow(QStringLiteral("Total reasoning tokens:"),
                                         QString::number(kRequests * kReasoningTokens))),
             qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("P99 TTFAT (ms):")), qPrintable(summary));
}

void TestSimReasoning::plainServerHasNoReasoning()
{
    SimServerThread sim;
    QVERIFY(sim.start(test::fixedServer(1, 1)).ok());
    const BenchmarkConfig config = configFor(sim.baseUrl(), QStringLiteral("openai-responses"));
    const RunResult run = test::runToEnd(config);
    QCOMPARE(int(run.records.size()), kRequests);
    for (const RequestRecord &r : run.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QCOMPARE(r.outputTokens, kOutputTokens);
        QCOMPARE(r.ttfrt, -1.0);
    }
    const BenchmarkMetrics m = computeMetrics(run.records, run.duration, config.metrics);
    QVERIFY(!m.hasReasoning());
    const nlohmann::ordered_json json = toResultJson(run, m, true);
    QVERIFY(!json.contains("mean_ttfrt_ms"));
    QVERIFY(!json.contains("ttfrts"));
    QVERIFY(!json.contains("total_reasoning_tokens"));
    QVERIFY(!formatSummary(run, m, config.metrics).contains(QStringLiteral("Reasoning")));
}

void TestSimReasoning::completionsIgnoreReasoning()
{
    SimServerConfig server = test::fixedServer(1, 1);
    server.reasoningTokens = kReasoningTokens;
    SimServerThread sim;
    QVERIFY(sim.start(server).ok());
    const RunResult run = test::runToEnd(configFor(sim.baseUrl(), QStringLiteral("openai")));
    QCOMPARE(int(run.records.size()), kRequests);
    for (const RequestRecord &r : run.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QCOMPARE(r.outputTokens, kOutputTokens);
        QCOMPARE(r.ttfrt, -1.0);
        QCOMPARE(r.reasoningTokens, -1);
    }
}

QTEST_GUILESS_MAIN(TestSimReasoning)
#include "tst_simreasoning.moc"
