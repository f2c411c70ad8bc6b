#include "compare/comparison.h"
#include "results/resultjson.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

// A run of `count` requests, each with the given TTFT and gaps, spread over `duration` seconds.
RunResult syntheticRun(int count, double ttft, double gap, int outputTokens, double duration, int failed = 0)
{
    RunResult run;
    run.config.target.backend = QStringLiteral("openai");
    run.config.target.model = QStringLiteral("org/model-a");
    run.config.load.numPrompts = count + failed;
    run.config.load.maxConcurrency = 8;
    run.config.metrics.percentileMetrics = { QStringLiteral("ttft"), QStringLiteral("tpot"), QStringLiteral("itl") };
    run.config.metrics.percentiles = { 50.0, 99.0 };
    run.config.metadata = { { QStringLiteral("gpu"), QStringLiteral("A100") } };
    run.date = QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7));
    run.duration = duration;
    run.requested = count + failed;
    for (int i = 0; i < count + failed; ++i) {
        RequestRecord r;
        r.index = i;
        r.success = i < count;
        r.httpStatus = r.success ? 200 : 500;
        r.error = r.success ? QString() : QStringLiteral("boom");
        r.startTime = duration * i / (count + failed + 1);
        r.promptTokens = 100;
        r.promptTokenSource = TokenCountSource::Server;
        r.outputTokens = r.success ? outputTokens : 0;
        r.outputTokenSource = TokenCountSource::Server;
        r.ttft = ttft * (1.0 + 0.01 * i);
        r.itl.assign(std::size_t(r.success ? outputTokens - 1 : 0), gap);
        r.latency = r.ttft + gap * (outputTokens - 1);
        r.contentChunks = r.outputTokens;
        run.records.push_back(r);
    }
    return run;
}

QString writeRun(const QTemporaryDir &dir, const QString &name, const RunResult &run)
{
    const BenchmarkMetrics m = computeMetrics(run.records, run.duration, run.config.metrics);
    const QString path = dir.filePath(name);
    QString error;
    if (!writeJsonFile(path, toResultJson(run, m, false), &error))
        qWarning("%s", qPrintable(error));
    return path;
}

const ComparisonRow *row(const std::vector<ComparisonRow> &rows, const QString &key)
{
    for (const ComparisonRow &r : rows) {
        if (r.key == key)
            return &r;
    }
    return nullptr;
}

} // namespace

class TestComparison : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void twoSavedRuns();
    void csvExport();
    void textTable();
    void vllmFiles();
    void needsTwoReadableFiles();
};

void TestComparison::twoSavedRuns()
{
    QTemporaryDir dir;
    const RunResult a = syntheticRun(40, 0.1, 0.02, 50, 10.0);
    RunResult b = syntheticRun(40, 0.15, 0.015, 50, 8.0, 2);
    b.config.target.model = QStringLiteral("org/model-b");
    b.config.load.maxConcurrency = 16;
    const QString pathA = writeRun(dir, QStringLiteral("a.json"), a);
    const QString pathB = writeRun(dir, QStringLiteral("b.json"), b);

    QString error;
    const std::optional<Comparison> c = compareResultFiles({ pathA, pathB }, &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(int(c->files.size()), 2);
    QCOMPARE(c->names, (QStringList { QStringLiteral("a.json"), QStringLiteral("b.json") }));

    const ComparisonRow *model = row(c->setupRows, QStringLiteral("model_id"));
    QVERIFY(model);
    QCOMPARE(model->texts, (QStringList { QStringLiteral("org/model-a"), QStringLiteral("org/model-b") }));
    QVERIFY(model->differs);
    const ComparisonRow *concurrency = row(c->setupRows, QStringLiteral("max_concurrency"));
    QCOMPARE(concurrency->texts, (QStringList { QStringLiteral("8"), QStringLiteral("16") }));
    const ComparisonRow *gpu = row(c->setupRows, QStringLiteral("gpu"));
    QVERIFY(gpu);
    QVERIFY(!gpu->differs);
    QVERIFY(!row(c->setupRows, QStringLiteral("backend"))->differs);

    // Differences are against the first file, with the numbers each file holds.
    const BenchmarkMetrics ma = computeMetrics(a.records, a.duration, a.config.metrics);
    const BenchmarkMetrics mb = computeMetrics(b.records, b.duration, b.config.metrics);
    const ComparisonRow *throughput = row(c->metricRows, QStringLiteral("output_throughput"));
    QVERIFY(throughput);
    QCOMPARE(*throughput->values[0], ma.outputThroughput);
    QCOMPARE(*throughput->values[1], mb.outputThroughput);
    QVERIFY(!throughput->diffPercent[0]);
    QCOMPARE(*throughput->diffPercent[1], 100.0 * (mb.outputThroughput - ma.outputThroughput) / ma.outputThroughput);
    QCOMPARE(throughput->better, Better::Higher);

    const ComparisonRow *p99 = row(c->metricRows, QStringLiteral("p99_ttft_ms"));
    QVERIFY(p99);
    QCOMPARE(*p99->values[1], *mb.ttftMs.valueAt(99));
    QVERIFY(*p99->diffPercent[1] > 0);                     // b's first tokens came later
    QCOMPARE(p99->better, Better::Lower);
    QVERIFY(row(c->metricRows, QStringLiteral("p50_itl_ms")));
    const ComparisonRow *failed = row(c->metricRows, QStringLiteral("failed"));
    QCOMPARE(*failed->values[1], 2.0);
    QVERIFY(!failed->diffPercent[1]);                      // against 0 there is no percentage
    // Metrics neither file selected are left out.
    QVERIFY(!row(c->metricRows, QStringLiteral("mean_e2el_ms")));
    QVERIFY(!row(c->metricRows, QStringLiteral("request_goodput")));
}

void TestComparison::csvExport()
{
    QTemporaryDir dir;
    const QString pathA = writeRun(dir, QStringLiteral("a.json"), syntheticRun(10, 0.1, 0.02, 20, 4.0));
    const QString pathB = writeRun(dir, QStringLiteral("b,2.json"), syntheticRun(10, 0.1, 0.01, 20, 2.0));
    const std::optional<Comparison> c = compareResultFiles({ pathA, pathB });
    QVERIFY(c);
    const QString csvPath = dir.filePath(QStringLiteral("cmp.csv"));
    QString error;
    QVERIFY2(writeComparisonCsv(csvPath, *c, &error), qPrintable(error));
    QFile file(csvPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QStringList lines = text.split(QStringLiteral("\r\n"));
    QCOMPARE(lines.takeLast(), QString());
    QCOMPARE(lines.size(), 1 + int(c->setupRows.size() + c->metricRows.size()));
    QCOMPARE(lines[0], QStringLiteral("section,key,label,a.json,\"b,2.json\",\"b,2.json vs a.json (%)\""));
    const QString duration = *std::find_if(lines.begin(), lines.end(), [](const QString &l) {
        return l.startsWith(QLatin1String("metric,duration,"));
    });
    QVERIFY2(duration.endsWith(QLatin1String(",4.0,2.0,-50.0")), qPrintable(duration));
    QVERIFY(lines[1].startsWith(QLatin1String("setup,")));

    QVERIFY(!writeComparisonCsv(dir.filePath(QStringLiteral("missing/dir/x.csv")), *c, &error));
    QVERIFY(error.contains(QLatin1String("x.csv")));
}

void TestComparison::textTable()
{
    QTemporaryDir dir;
    const QString pathA = writeRun(dir, QStringLiteral("a.json"), syntheticRun(10, 0.1, 0.02, 20, 4.0));
    const QString pathB = writeRun(dir, QStringLiteral("b.json"), syntheticRun(10, 0.1, 0.02, 20, 2.0));
    const std::optional<Comparison> c = compareResultFiles({ pathA, pathB });
    QVERIFY(c);
    const QString text = formatComparison(*c);
    QVERIFY(text.contains(QStringLiteral("[1] ") + pathA));
    QVERIFY(text.contains(QStringLiteral("[2] ") + pathB));
    const QStringList lines = text.split(u'\n');
    const auto throughput = std::find_if(lines.begin(), lines.end(), [](const QString &l) {
        return l.startsWith(QLatin1String("Output token throughput (tok/s)"));
    });
    QVERIFY(throughput != lines.end());
    QVERIFY2(throughput->endsWith(QLatin1String("+100.0%")), qPrintable(*throughput));
}

// Two files as vLLM wrote them: an older version without failed/max_* keys, different
// percentiles and metadata. Rows a file lacks stay empty for it.
void TestComparison::vllmFiles()
{
    const QString samples = qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QStringLiteral("/vllm/");
    const QString chat = samples + QStringLiteral("vllm-chat-summary.json");
    const QString completions = samples + QStringLiteral("vllm-completions-detailed.json");
    QVERIFY2(QFile::exists(chat) && QFile::exists(completions), qPrintable(samples));
    QString error;
    const std::optional<Comparison> c = compareResultFiles({ chat, completions }, &error);
    QVERIFY2(c, qPrintable(error));
    QVERIFY(!row(c->metricRows, QStringLiteral("failed")));
    QVERIFY(!row(c->metricRows, QStringLiteral("max_concurrent_requests")));
    const ComparisonRow *p50 = row(c->metricRows, QStringLiteral("p50_ttft_ms"));
    QVERIFY(p50);
    QVERIFY(p50->texts[0].isEmpty());          // the chat file has p99 only
    QVERIFY(!p50->texts[1].isEmpty());
    QVERIFY(!p50->diffPercent[1]);
    const ComparisonRow *backend = row(c->setupRows, QStringLiteral("backend"));
    QVERIFY(backend->differs);
    const ComparisonRow *completed = row(c->metricRows, QStringLiteral("completed"));
    QCOMPARE(*completed->values[0], 16.0);
    QCOMPARE(*completed->values[1], 24.0);
    QCOMPARE(*completed->diffPercent[1], 50.0);
    QVERIFY(row(c->setupRows, QStringLiteral("server")));   // a metadata key of one file
}

void TestComparison::needsTwoReadableFiles()
{
    QTemporaryDir dir;
    const QString pathA = writeRun(dir, QStringLiteral("a.json"), syntheticRun(4, 0.1, 0.02, 5, 1.0));
    QString error;
    QVERIFY(!compareResultFiles({ pathA }, &error));
    QVERIFY(!error.isEmpty());
    error.clear();
    QVERIFY(!compareResultFiles({ pathA, dir.filePath(QStringLiteral("nope.json")) }, &error));
    QVERIFY2(error.contains(QLatin1String("nope.json")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestComparison)
#include "tst_comparison.moc"
