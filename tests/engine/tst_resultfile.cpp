#include "results/chunks.h"
#include "results/resultfile.h"
#include "results/resultjson.h"

#include "testfiles.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;
using ojson = nlohmann::ordered_json;

namespace {

QString samplePath(const char *name)
{
    return qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QStringLiteral("/vllm/") + QLatin1String(name);
}

RequestRecord record(int index, bool success, double start, double ttft, std::vector<double> itl,
                     double latency, int in, int out, TokenCountSource source)
{
    RequestRecord r;
    r.index = index;
    r.success = success;
    r.httpStatus = success ? 200 : 429;
    r.error = success ? QString() : QStringLiteral("Too Many Requests");
    r.startTime = start;
    r.queueTime = 0.001 * index;
    r.ttft = ttft;
    r.itl = std::move(itl);
    r.latency = latency;
    r.promptTokens = in;
    r.promptTokenSource = TokenCountSource::Server;
    r.outputTokens = out;
    r.outputTokenSource = source;
    r.contentChunks = success ? int(r.itl.size()) + 1 : 0;
    r.generatedText = success ? QStringLiteral("línea\nzwei, \"drei\"") : QString();
    return r;
}

RunResult ourRun()
{
    RunResult run;
    BenchmarkConfig &c = run.config;
    c.target.backend = QStringLiteral("openai");
    c.target.model = QStringLiteral("org/model-7b");
    c.tokenizerId = QStringLiteral("org/tokenizer");
    c.label = QStringLiteral("label one");
    c.load.numPrompts = 4;
    c.load.requestRate = 2.5;
    c.load.burstiness = 0.5;
    c.load.maxConcurrency = 3;
    c.metadata = {{QStringLiteral("site"), QStringLiteral("lab")}};
    c.metrics.percentileMetrics = {QStringLiteral("ttft"), QStringLiteral("itl"), QStringLiteral("queue")};
    c.metrics.percentiles = {90.0, 99.9};
    c.metrics.goodputTtftMs = 150.0;
    c.metrics.goodputE2elMs = 900.0;
    run.date = QDateTime(QDate(2026, 5, 6), QTime(7, 8, 9));
    run.records = {record(1, true, 0.4, 0.12, {0.02, 0.03}, 0.17, 11, 3, TokenCountSource::Server),
                   record(0, true, 0.0, 0.2, {0.01}, 0.21, 12, 2, TokenCountSource::Chunks),
                   record(3, false, 0.9, 0.0, {}, 0.05, 13, 0, TokenCountSource::Server)};
    run.duration = 1.25;
    run.requested = 4;
    run.stopped = true;
    return run;
}

} // namespace

class TestResultFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void numberBeyondRangeIsAnError();
    void readsVllmDetailedSample();
    void vllmSampleStatisticsMatchOurs();
    void readsVllmSummarySample();
    void roundTrip();
    void chunksRoundTrip();
    void malformedChunksAreDropped_data();
    void malformedChunksAreDropped();
    void appendWritesJsonLines();
    void errors_data();
    void errors();
    void writeFailureIsReported();
    void missingFolderIsCreated();

private:
    QTemporaryDir m_dir;
};

void TestResultFile::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestResultFile::readsVllmDetailedSample()
{
    const QString path = samplePath("vllm-completions-detailed.json");
    QVERIFY2(QFile::exists(path), qPrintable(path));
    QString error;
    const auto f = readResultFile(path, &error);
    QVERIFY2(f, qPrintable(error));

    QCOMPARE(f->setup.date, QStringLiteral("20261128-074043"));
    QCOMPARE(f->setup.dateTime, QDateTime(QDate(2026, 11, 28), QTime(7, 40, 43)));
    QCOMPARE(f->setup.backend, QStringLiteral("openai"));
    QVERIFY(f->setup.endpointType.isEmpty());
    QCOMPARE(f->setup.modelId, QStringLiteral("tiny"));
    QCOMPARE(f->setup.tokenizerId, QStringLiteral("Qwen/Qwen3-0.6B"));
    QCOMPARE(f->setup.numPrompts, 24);
    QCOMPARE(f->setup.requestRate, std::optional<double>(4.0));
    QCOMPARE(f->setup.burstiness, 1.0);
    QCOMPARE(f->setup.maxConcurrency, std::optional<int>(6));
    const QList<QPair<QString, QString>> metadata {{QStringLiteral("server"), QStringLiteral("llama.cpp")},
                                                   {QStringLiteral("model"), QStringLiteral("tiny-qwen2")}};
    QCOMPARE(f->setup.metadata, metadata);

    // This vLLM version writes no failed / peak keys.
    QVERIFY(!f->hasFailed);
    QVERIFY(!f->hasMaxOutputTokensPerS);
    QVERIFY(!f->hasMaxConcurrentRequests);
    QCOMPARE(f->metrics.completed, 24);
    QCOMPARE(f->metrics.failed, 0);
    QCOMPARE(f->metrics.totalInputTokens, qint64(1535));
    QCOMPARE(f->metrics.totalOutputTokens, qint64(768));
    QCOMPARE(f->metrics.duration, 6.329666651000025);
    QCOMPARE(f->metrics.requestGoodput, std::optional<double>(3.7916688703042896));
    QCOMPARE(f->metrics.ttftMs.mean, 29.00125658336113);
    QCOMPARE(*f->metrics.e2elMs.valueAt(90.0), 502.36405180012287);

    QCOMPARE(f->percentileMetrics, (QStringList {QStringLiteral("ttft"), QStringLiteral("tpot"),
                                                 QStringLiteral("itl"), QStringLiteral("e2el")}));
    QCOMPARE(f->percentiles, (std::vector<double> {50.0, 90.0, 99.0}));
    QVERIFY(f->tokenstormVersion.isEmpty());

    QVERIFY(f->hasRequestRecords);
    QVERIFY(!f->hasStartTimes);
    QCOMPARE(f->records.size(), std::size_t(24));
    const RequestRecord &r13 = f->records[13];
    QCOMPARE(r13.index, 13);
    QVERIFY(r13.success);
    QCOMPARE(r13.promptTokens, 63);
    QCOMPARE(r13.outputTokens, 32);
    QCOMPARE(r13.itl.size(), std::size_t(32));   // this server sent 33 content chunks for 32 tokens
    QCOMPARE(r13.contentChunks, 33);
    QCOMPARE(f->records[0].ttft, 0.012627487999907316);
    QVERIFY(!f->records[0].generatedText.isEmpty());
    // No latencies in this version: rebuilt as ttft + the gaps.
    double expectedLatency = f->records[0].ttft;
    for (double gap : f->records[0].itl)
        expectedLatency += gap;
    QCOMPARE(f->records[0].latency, expectedLatency);
    QVERIFY(f->json.contains("generated_texts"));
    // vLLM keeps the whole text only: the chunks have their times, not their texts.
    QVERIFY(!hasChunkTexts(r13));
    const std::vector<Chunk> chunks = chunksOf(r13);
    QCOMPARE(chunks.size(), std::size_t(33));
    QCOMPARE(chunks.front().arrival, r13.ttft);
    QVERIFY(chunks.back().text.isEmpty());
}

// Our statistics on vLLM's own per-request numbers must reproduce vLLM's results exactly
// (numpy's pairwise sum, population std, linear percentiles), to the last bit.
void TestResultFile::vllmSampleStatisticsMatchOurs()
{
    const QString path = samplePath("vllm-completions-detailed.json");
    QVERIFY2(QFile::exists(path), qPrintable(path));
    const auto f = readResultFile(path);
    QVERIFY(f);
    const BenchmarkMetrics m = computeMetrics(f->records, f->metrics.duration, f->metricsConfig);
    QCOMPARE(m.completed, f->metrics.completed);
    QCOMPARE(m.totalInputTokens, f->metrics.totalInputTokens);
    QCOMPARE(m.totalOutputTokens, f->metrics.totalOutputTokens);
    QVERIFY(m.requestThroughput == f->metrics.requestThroughput);
    QVERIFY(m.outputThroughput == f->metrics.outputThroughput);
    QVERIFY(m.totalTokenThroughput == f->metrics.totalTokenThroughput);
    for (const MetricSummary *pair : {&m.ttftMs, &m.itlMs}) {
        const MetricSummary &ours = *pair;
        const MetricSummary &theirs = pair == &m.ttftMs ? f->metrics.ttftMs : f->metrics.itlMs;
        QVERIFY2(ours.mean == theirs.mean, qPrintable(QString::number(ours.mean, 'g', 17)));
        QVERIFY(ours.median == theirs.median);
        QVERIFY2(ours.std == theirs.std, qPrintable(QString::number(ours.std, 'g', 17)));
        QCOMPARE(ours.percentiles.size(), theirs.percentiles.size());
        for (std::size_t i = 0; i < ours.percentiles.size(); ++i)
            QVERIFY(ours.percentiles[i].second == theirs.percentiles[i].second);
    }
    QCOMPARE(m.itlMs.count, 768);   // 24 requests x 32 gaps
}

void TestResultFile::readsVllmSummarySample()
{
    const QString path = samplePath("vllm-chat-summary.json");
    QVERIFY2(QFile::exists(path), qPrintable(path));
    QString error;
    const auto f = readResultFile(path, &error);
    QVERIFY2(f, qPrintable(error));
    QCOMPARE(f->setup.backend, QStringLiteral("openai-chat"));
    QVERIFY(!f->setup.requestRate);   // "inf"
    QCOMPARE(f->setup.maxConcurrency, std::optional<int>(4));
    QVERIFY(f->setup.metadata.isEmpty());
    QVERIFY(!f->metrics.requestGoodput);
    QCOMPARE(f->metrics.completed, 16);
    QCOMPARE(f->percentiles, std::vector<double> {99.0});
    QCOMPARE(f->percentileMetrics, (QStringList {QStringLiteral("ttft"), QStringLiteral("tpot"), QStringLiteral("itl")}));
    QCOMPARE(*f->metrics.itlMs.valueAt(99.0), 20.180600960020456);
    QVERIFY(!f->hasRequestRecords);
    QVERIFY(f->records.empty());

    const RunResult run = f->toRunResult();
    QVERIFY(!run.config.load.hasFiniteRate());
    QCOMPARE(run.config.load.maxConcurrency, 4);
    QCOMPARE(run.config.target.model, QStringLiteral("tiny"));
}

void TestResultFile::roundTrip()
{
    const RunResult run = ourRun();
    const BenchmarkMetrics m = computeMetrics(run.records, run.duration, run.config.metrics);
    const QString path = m_dir.filePath(QStringLiteral("ours.json"));
    QString error;
    QVERIFY2(writeJsonFile(path, toResultJson(run, m, true), &error), qPrintable(error));

    const auto f = readResultFile(path, &error);
    QVERIFY2(f, qPrintable(error));
    QCOMPARE(f->setup.backend, QStringLiteral("openai"));
    QCOMPARE(f->setup.endpointType, QStringLiteral("openai"));
    QCOMPARE(f->setup.label, QStringLiteral("label one"));
    QCOMPARE(f->setup.modelId, QStringLiteral("org/model-7b"));
    QCOMPARE(f->setup.tokenizerId, QStringLiteral("org/tokenizer"));
    QCOMPARE(f->setup.numPrompts, 4);
    QCOMPARE(f->setup.requestRate, std::optional<double>(2.5));
    QCOMPARE(f->setup.burstiness, 0.5);
    QCOMPARE(f->setup.maxConcurrency, std::optional<int>(3));
    QCOMPARE(f->setup.metadata, (QList<QPair<QString, QString>> {{QStringLiteral("site"), QStringLiteral("lab")}}));
    QCOMPARE(f->setup.dateTime, run.date);

    QVERIFY(f->hasFailed && f->hasMaxOutputTokensPerS && f->hasMaxConcurrentRequests);
    QCOMPARE(f->metrics.completed, m.completed);
    QCOMPARE(f->metrics.failed, m.failed);
    QCOMPARE(f->metrics.totalInputTokens, m.totalInputTokens);
    QCOMPARE(f->metrics.totalOutputTokens, m.totalOutputTokens);
    QCOMPARE(f->metrics.duration, m.duration);
    QCOMPARE(f->metrics.requestThroughput, m.requestThroughput);
    QCOMPARE(f->metrics.requestGoodput, m.requestGoodput);
    QCOMPARE(f->metrics.maxOutputTokensPerS, m.maxOutputTokensPerS);
    QCOMPARE(f->metrics.maxConcurrentRequests, m.maxConcurrentRequests);
    QCOMPARE(f->metrics.outputTokensEstimated, true);
    QCOMPARE(f->metrics.ttftMs.mean, m.ttftMs.mean);
    QCOMPARE(f->metrics.queueMs.std, m.queueMs.std);
    QCOMPARE(f->metrics.itlMs.percentiles, m.itlMs.percentiles);
    QCOMPARE(f->percentileMetrics, run.config.metrics.percentileMetrics);
    QCOMPARE(f->percentiles, run.config.metrics.percentiles);
    QCOMPARE(f->metricsConfig.goodputTtftMs, std::optional<double>(150.0));
    QCOMPARE(f->metricsConfig.goodputE2elMs, std::optional<double>(900.0));
    QVERIFY(!f->metricsConfig.goodputTpotMs);
    QVERIFY(!f->tokenstormVersion.isEmpty());
    QCOMPARE(f->requested, 4);
    QCOMPARE(f->stopped, true);
    QCOMPARE(f->outputTokensSource, QStringLiteral("mixed"));

    // Records come back in workload order with everything the file keeps.
    QVERIFY(f->hasRequestRecords);
    QVERIFY(f->hasStartTimes);
    QCOMPARE(f->records.size(), std::size_t(3));
    const RequestRecord &a = f->records[1];   // workload index 1
    const RequestRecord &b = run.records[0];
    QCOMPARE(a.success, b.success);
    QCOMPARE(a.ttft, b.ttft);
    QCOMPARE(a.itl, b.itl);
    QCOMPARE(a.latency, b.latency);
    QCOMPARE(a.startTime, b.startTime);
    QCOMPARE(a.queueTime, b.queueTime);
    QCOMPARE(a.promptTokens, b.promptTokens);
    QCOMPARE(a.outputTokens, b.outputTokens);
    QCOMPARE(a.generatedText, b.generatedText);
    QCOMPARE(a.httpStatus, 200);
    QCOMPARE(f->records[0].outputTokenSource, TokenCountSource::Chunks);
    QCOMPARE(f->records[0].promptTokenSource, TokenCountSource::Server);
    const RequestRecord &failedRecord = f->records[2];
    QVERIFY(!failedRecord.success);
    QCOMPARE(failedRecord.error, QStringLiteral("Too Many Requests"));
    QCOMPARE(failedRecord.httpStatus, 429);

    // The metrics recomputed from the rebuilt records are those of the run.
    const RunResult back = f->toRunResult();
    const BenchmarkMetrics again = computeMetrics(back.records, back.duration, back.config.metrics);
    QCOMPARE(again.ttftMs.mean, m.ttftMs.mean);
    QCOMPARE(again.requestGoodput, m.requestGoodput);
    QCOMPARE(again.maxConcurrentRequests, m.maxConcurrentRequests);
    QCOMPARE(back.config.load.requestRate, 2.5);
    QCOMPARE(back.config.label, QStringLiteral("label one"));
}

namespace {

// One request whose chunks hold Chinese, a non-BMP emoji, an emoji with a skin-tone modifier
// (two code points, four UTF-16 units) and an empty finishing chunk.
RunResult chunkedRun()
{
    RunResult run = ourRun();
    RequestRecord &r = run.records[0];   // workload index 1
    const QStringList texts {QStringLiteral("你"), QStringLiteral("好"), QStringLiteral("😀"),
                             QStringLiteral(" 👍🏽"), QString(), QStringLiteral("ok")};
    r.generatedText.clear();
    r.itl.clear();
    r.chunkTextEnds.clear();
    for (const QString &t : texts) {
        if (!r.chunkTextEnds.empty())
            r.itl.push_back(0.01);
        r.generatedText += t;
        r.chunkTextEnds.push_back(std::uint32_t(r.generatedText.size()));
    }
    r.chunkTokens = {1, 1, 2, 3, 1, 1};
    r.contentChunks = 5;
    return run;
}

} // namespace

void TestResultFile::chunksRoundTrip()
{
    const RunResult run = chunkedRun();
    const RequestRecord &original = run.records[0];
    QCOMPARE(original.chunkTextEnds, (std::vector<std::uint32_t> {1, 2, 4, 9, 9, 11}));
    const BenchmarkMetrics m = computeMetrics(run.records, run.duration, run.config.metrics);
    const QString path = m_dir.filePath(QStringLiteral("chunks.json"));
    QString error;
    QVERIFY2(writeJsonFile(path, toResultJson(run, m, true), &error), qPrintable(error));

    const auto f = readResultFile(path, &error);
    QVERIFY2(f, qPrintable(error));
    // In the file: code points, so generated_texts[1][3:6] is Python's " 👍🏽".
    QVERIFY(f->json.at("chunk_text_ends").at(1) == ojson::parse("[1, 2, 3, 6, 6, 8]"));
    QVERIFY(f->json.at("chunk_tokens").at(1) == ojson::parse("[1, 1, 2, 3, 1, 1]"));

    const RequestRecord &back = f->records[1];
    QCOMPARE(back.generatedText, original.generatedText);
    QCOMPARE(back.chunkTextEnds, original.chunkTextEnds);
    QCOMPARE(back.chunkTokens, original.chunkTokens);
    const std::vector<Chunk> before = chunksOf(original);
    const std::vector<Chunk> after = chunksOf(back);
    QCOMPARE(after.size(), before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        QCOMPARE(after[i].text, before[i].text);
        QCOMPARE(after[i].tokens, before[i].tokens);
        QCOMPARE(after[i].arrival, before[i].arrival);
    }
    // The other requests had none recorded and get none back.
    QVERIFY(f->records[0].chunkTextEnds.empty());
    QVERIFY(f->records[2].chunkTextEnds.empty());
}

void TestResultFile::malformedChunksAreDropped_data()
{
    QTest::addColumn<QByteArray>("ends");
    QTest::addColumn<QByteArray>("tokens");
    QTest::addColumn<bool>("endsKept");
    QTest::addColumn<bool>("tokensKept");

    QTest::addRow("valid") << QByteArray("[1, 2, 3, 6, 6, 8]") << QByteArray("[1, 1, 2, 3, 1, 1]") << true << true;
    QTest::addRow("decreasing") << QByteArray("[1, 2, 3, 6, 5, 8]") << QByteArray("[1, 1, 2, 3, 1, 1]") << false << true;
    QTest::addRow("past the text") << QByteArray("[1, 2, 3, 6, 6, 9]") << QByteArray("[1, 1, 2, 3, 1, 1]") << false << true;
    QTest::addRow("one chunk too few") << QByteArray("[1, 2, 3, 6, 8]") << QByteArray("[1, 1, 2, 3, 1]") << false << false;
    QTest::addRow("one chunk too many")
        << QByteArray("[1, 2, 3, 6, 6, 8, 8]") << QByteArray("[1, 1, 2, 3, 1, 1, 0]") << false << false;
    QTest::addRow("negative") << QByteArray("[-1, 2, 3, 6, 6, 8]") << QByteArray("[1, -1, 2, 3, 1, 1]") << false << false;
    QTest::addRow("fractions") << QByteArray("[1, 2.5, 3, 6, 6, 8]") << QByteArray("[1, 1, 2.0, 3, 1, 1]") << false << false;
    QTest::addRow("too many tokens") << QByteArray("[1, 2, 3, 6, 6, 8]") << QByteArray("[1, 1, 2, 70000, 1, 1]") << true << false;
    QTest::addRow("not lists") << QByteArray("\"1,2\"") << QByteArray("null") << false << false;
    QTest::addRow("strings") << QByteArray(R"(["1", "2", "3", "6", "6", "8"])") << QByteArray("[1, 1, 2, 3, 1, true]")
                             << false << false;
}

// A bad entry costs only that request its chunks; the file and its other requests read as usual.
void TestResultFile::malformedChunksAreDropped()
{
    QFETCH(QByteArray, ends);
    QFETCH(QByteArray, tokens);
    QFETCH(bool, endsKept);
    QFETCH(bool, tokensKept);
    RunResult run = chunkedRun();
    RequestRecord &other = run.records[1];   // workload index 0: two chunks, kept in every case
    other.generatedText = QStringLiteral("ab");
    other.chunkTextEnds = {1, 2};
    other.chunkTokens = {1, 1};
    const BenchmarkMetrics m = computeMetrics(run.records, run.duration, run.config.metrics);
    ojson j = toResultJson(run, m, true);
    j["chunk_text_ends"][1] = ojson::parse(ends.toStdString());
    j["chunk_tokens"][1] = ojson::parse(tokens.toStdString());

    QString error;
    const auto f = resultFromJson(j, QStringLiteral("edited.json"), &error);
    QVERIFY2(f, qPrintable(error));
    QCOMPARE(f->records.size(), std::size_t(3));
    const RequestRecord &r = f->records[1];
    QCOMPARE(r.generatedText, run.records[0].generatedText);
    QCOMPARE(r.itl.size(), std::size_t(5));
    QCOMPARE(r.chunkTextEnds, endsKept ? run.records[0].chunkTextEnds : std::vector<std::uint32_t>());
    QCOMPARE(r.chunkTokens, tokensKept ? run.records[0].chunkTokens : std::vector<std::uint16_t>());
    // Times still come out for every chunk; texts only when kept.
    const std::vector<Chunk> chunks = chunksOf(r);
    QCOMPARE(chunks.size(), std::size_t(6));
    QCOMPARE(chunks[3].text.toString(), endsKept ? QStringLiteral(" 👍🏽") : QString());
    QCOMPARE(f->records[0].chunkTextEnds, (std::vector<std::uint32_t> {1, 2}));
    QCOMPARE(f->records[0].chunkTokens, (std::vector<std::uint16_t> {1, 1}));
}

void TestResultFile::appendWritesJsonLines()
{
    const RunResult run = ourRun();
    const BenchmarkMetrics m = computeMetrics(run.records, run.duration, run.config.metrics);
    const QString path = m_dir.filePath(QStringLiteral("append.json"));
    ojson first = toResultJson(run, m, false);
    ojson second = first;
    second["duration"] = 9.0;
    QString error;
    QVERIFY2(appendResult(path, first, &error), qPrintable(error));
    QVERIFY2(appendResult(path, second, &error), qPrintable(error));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 2);   // vLLM: a newline before each appended object, none at the end
    QVERIFY(lines[0].startsWith("{\"date\":"));

    const auto all = readResultFiles(path, &error);
    QVERIFY2(all, qPrintable(error));
    QCOMPARE(all->size(), std::size_t(2));
    QCOMPARE(all->front().metrics.duration, 1.25);
    const auto last = readResultFile(path, &error);
    QVERIFY(last);
    QCOMPARE(last->metrics.duration, 9.0);
}

void TestResultFile::errors_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("mustContain");
    QTest::addRow("missing") << QByteArray() << QString();
    QTest::addRow("not json") << QByteArrayLiteral("{\"duration\": 1,, }") << QStringLiteral("byte 16");
    QTest::addRow("not a result") << QByteArrayLiteral("{\"name\": \"x\"}") << QString();
    QTest::addRow("a list") << QByteArrayLiteral("[1, 2]") << QString();
}

void TestResultFile::errors()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, mustContain);
    const QString name = QStringLiteral("broken-%1.json").arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_'));
    const QString path = m_dir.filePath(name);
    if (!content.isEmpty()) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    QString error;
    QVERIFY(!readResultFile(path, &error));
    QVERIFY2(error.contains(name), qPrintable(error));
    if (!mustContain.isEmpty())
        QVERIFY2(error.contains(mustContain), qPrintable(error));   // the byte offset
}

void TestResultFile::writeFailureIsReported()
{
    // A folder cannot be made where a file is.
    QFile blocker(m_dir.filePath(QStringLiteral("a-file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString path = m_dir.filePath(QStringLiteral("a-file/out.json"));
    QString error;
    QVERIFY(!writeJsonFile(path, ojson::object(), &error));
    QVERIFY2(error.contains(QStringLiteral("out.json")), qPrintable(error));
}

void TestResultFile::missingFolderIsCreated()
{
    const QString path = m_dir.filePath(QStringLiteral("new/nested/out.json"));
    QString error;
    QVERIFY2(writeJsonFile(path, ojson { {"completed", 3} }, &error), qPrintable(error));
    QFile written(path);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(written.readAll(), QByteArray(R"({"completed":3})"));
}

// Valid JSON syntax the parser cannot hold (found by the result-file fuzzer): an error, no crash.
void TestResultFile::numberBeyondRangeIsAnError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("overflow.json"));
    QVERIFY(test::writeFile(path, "{\"date\": \"20261128-074043\", \"duration\": 4.8887e653}"));
    QString error;
    QVERIFY(!readResultFile(path, &error));
    QVERIFY2(error.contains(QStringLiteral("overflow.json")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestResultFile)
#include "tst_resultfile.moc"
