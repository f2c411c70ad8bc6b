#include "results/chunks.h"
#include "results/resultfile.h"
#include "results/resultjson.h"

#include <QTest>

using namespace ts;
using ojson = nlohmann::ordered_json;

// QCOMPARE would try json's implicit conversions against every qCompare overload.
#define JSON_COMPARE(actual, expected)                                                             \
    do {                                                                                           \
        const ojson a_ = (actual);                                                                 \
        const ojson e_ = (expected);                                                               \
        QVERIFY2(a_ == e_, (a_.dump() + " != " + e_.dump()).c_str());                              \
    } while (false)

namespace {

RequestRecord record(int index, bool success, double start, double ttft, std::vector<double> itl,
                     double latency, int in, int out)
{
    RequestRecord r;
    r.index = index;
    r.success = success;
    r.httpStatus = success ? 200 : 503;
    r.error = success ? QString() : QStringLiteral("Service Unavailable");
    r.startTime = start;
    r.ttft = ttft;
    r.itl = std::move(itl);
    r.latency = latency;
    r.promptTokens = in;
    r.outputTokens = out;
    r.outputTokenSource = TokenCountSource::Server;
    r.promptTokenSource = TokenCountSource::Server;
    r.contentChunks = success ? int(r.itl.size()) + 1 : 0;
    r.generatedText = success ? QStringLiteral("你好 \"world\"") : QString();
    return r;
}

// Three requests finished in the order 2, 0, 1; request 1 failed.
RunResult smallRun()
{
    RunResult run;
    BenchmarkConfig &c = run.config;
    c.target.backend = QStringLiteral("openai-chat");
    c.target.endpoint = QStringLiteral("/v1/chat/completions");
    c.target.model = QStringLiteral("Qwen/Qwen3-0.6B");
    c.target.apiKey = QStringLiteral("sk-very-secret-key");
    c.target.headers = {{QByteArrayLiteral("X-Trace"), QByteArrayLiteral("header-value-not-written")}};
    c.load.numPrompts = 3;
    c.metadata = {{QStringLiteral("server"), QStringLiteral("vllm 0.9")}, {QStringLiteral("gpu"), QStringLiteral("A100")}};
    c.metrics.percentileMetrics = {QStringLiteral("ttft"), QStringLiteral("tpot"), QStringLiteral("itl"), QStringLiteral("e2el")};
    c.metrics.percentiles = {50.0, 99.0, 99.9};
    run.date = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5));
    run.records = {record(2, true, 0.2, 0.05, {0.01, 0.02}, 0.08, 30, 3),
                   record(0, true, 0.0, 0.10, {0.03}, 0.13, 10, 2),
                   record(1, false, 0.1, 0.0, {}, 0.4, 20, 0)};
    run.duration = 0.5;
    run.requested = 3;
    return run;
}

BenchmarkMetrics metricsOf(const RunResult &run)
{
    return computeMetrics(run.records, run.duration, run.config.metrics);
}

std::vector<std::string> keysOf(const ojson &j)
{
    std::vector<std::string> keys;
    for (const auto &[k, v] : j.items())
        keys.push_back(k);
    return keys;
}

} // namespace

class TestResultJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void setupKeys();
    void resultKeys();
    void percentileKeys();
    void detailedArrays();
    void summaryOnlyArrays();
    void chunkArrays();
    void finiteRateAndConcurrency();
    void ownKeys();
    void neverWritesApiKey();
    void defaultFileName_data();
    void defaultFileName();
};

void TestResultJson::setupKeys()
{
    const RunResult run = smallRun();
    const ojson j = toResultJson(run, metricsOf(run), false);
    const auto keys = keysOf(j);
    // vLLM's setup order, with metadata between num_prompts and request_rate.
    const std::vector<std::string> expectedStart {"date", "endpoint_type", "backend", "label", "model_id",
                                                  "tokenizer_id", "num_prompts", "server", "gpu",
                                                  "request_rate", "burstiness", "max_concurrency", "duration"};
    QVERIFY(keys.size() > expectedStart.size());
    QCOMPARE(std::vector<std::string>(keys.begin(), keys.begin() + long(expectedStart.size())), expectedStart);
    JSON_COMPARE(j["date"], ojson("20260102-030405"));
    JSON_COMPARE(j["endpoint_type"], ojson("openai-chat"));
    JSON_COMPARE(j["backend"], ojson("openai-chat"));
    QVERIFY(j["label"].is_null());
    JSON_COMPARE(j["model_id"], ojson("Qwen/Qwen3-0.6B"));
    JSON_COMPARE(j["tokenizer_id"], ojson("Qwen/Qwen3-0.6B"));   // defaults to the model, as in vLLM
    JSON_COMPARE(j["num_prompts"], ojson(3));
    JSON_COMPARE(j["server"], ojson("vllm 0.9"));
    JSON_COMPARE(j["request_rate"], ojson("inf"));
    QVERIFY(j["burstiness"].is_number_float());
    QCOMPARE(j["burstiness"].get<double>(), 1.0);
    QVERIFY(j["max_concurrency"].is_null());
}

void TestResultJson::resultKeys()
{
    const RunResult run = smallRun();
    const BenchmarkMetrics m = metricsOf(run);
    const ojson j = toResultJson(run, m, false);
    QCOMPARE(j["duration"].get<double>(), 0.5);
    JSON_COMPARE(j["completed"], ojson(2));
    JSON_COMPARE(j["failed"], ojson(1));
    JSON_COMPARE(j["total_input_tokens"], ojson(40));    // 10 + 30; the failed 20 does not count
    JSON_COMPARE(j["total_output_tokens"], ojson(5));
    QCOMPARE(j["request_throughput"].get<double>(), 4.0);
    QVERIFY(j.contains("request_goodput"));
    QVERIFY(j["request_goodput"].is_null());
    QCOMPARE(j["output_throughput"].get<double>(), 10.0);
    QCOMPARE(j["total_token_throughput"].get<double>(), 90.0);
    QCOMPARE(j["max_output_tokens_per_s"].get<double>(), 5.0);   // chunks at .1 .13 .25 .26 .28 s
    // [0, 0.13] and the failed [0.1, 0.5] overlap, then [0.1, 0.5] and [0.2, 0.28]: two at most.
    JSON_COMPARE(j["max_concurrent_requests"], ojson(2));
}

void TestResultJson::percentileKeys()
{
    const RunResult run = smallRun();
    const BenchmarkMetrics m = metricsOf(run);
    const ojson j = toResultJson(run, m, false);
    for (const char *metric : {"ttft", "tpot", "itl", "e2el"}) {
        const std::string s = metric;
        for (const char *prefix : {"mean_", "median_", "std_", "p50_", "p99_", "p99.9_"})
            QVERIFY2(j.contains(prefix + s + "_ms"), (prefix + s).c_str());
        QVERIFY(!j.contains("p99.0_" + s + "_ms"));
        QVERIFY(!j.contains("p50.0_" + s + "_ms"));
    }
    QVERIFY(!j.contains("mean_queue_ms"));   // "queue" not selected
    QCOMPARE(j["mean_ttft_ms"].get<double>(), m.ttftMs.mean);
    QCOMPARE(j["p99.9_ttft_ms"].get<double>(), *m.ttftMs.valueAt(99.9));
    // TTFTs 100 and 50 ms: median 75
    QVERIFY(qFuzzyCompare(j["median_ttft_ms"].get<double>(), 75.0));

    RunResult withQueue = run;
    withQueue.config.metrics.percentileMetrics = {QStringLiteral("queue")};
    const ojson q = toResultJson(withQueue, metricsOf(withQueue), false);
    QVERIFY(q.contains("mean_queue_ms"));
    QVERIFY(q.contains("p99.9_queue_ms"));
    QVERIFY(!q.contains("mean_ttft_ms"));
}

void TestResultJson::detailedArrays()
{
    const RunResult run = smallRun();
    const ojson j = toResultJson(run, metricsOf(run), true);
    // In workload order (index 0, 1, 2), not in order of completion.
    JSON_COMPARE(j["input_lens"], ojson::parse("[10, 20, 30]"));
    JSON_COMPARE(j["output_lens"], ojson::parse("[2, 0, 3]"));
    JSON_COMPARE(j["ttfts"], ojson::parse("[0.1, 0.0, 0.05]"));
    JSON_COMPARE(j["itls"], ojson::parse("[[0.03], [], [0.01, 0.02]]"));
    JSON_COMPARE(j["start_times"], ojson::parse("[0.0, 0.1, 0.2]"));
    JSON_COMPARE(j["errors"], ojson::parse(R"(["", "Service Unavailable", ""])"));
    JSON_COMPARE(j["generated_texts"][0], ojson("你好 \"world\""));
    JSON_COMPARE(j["latencies"], ojson::parse("[0.13, 0.4, 0.08]"));
    JSON_COMPARE(j["queue_times"], ojson::parse("[0.0, 0.0, 0.0]"));
    JSON_COMPARE(j["http_statuses"], ojson::parse("[200, 503, 200]"));
}

void TestResultJson::summaryOnlyArrays()
{
    const RunResult run = smallRun();
    const ojson j = toResultJson(run, metricsOf(run), false);
    for (const char *key : {"input_lens", "output_lens", "ttfts", "itls", "start_times", "generated_texts",
                            "errors", "http_statuses"})
        QVERIFY2(!j.contains(key), key);
    QVERIFY(j.contains("latencies"));
    QVERIFY(j.contains("queue_times"));
}

// Chunk ends count code points, as Python indexes the text: a non-BMP emoji is one, not two.
void TestResultJson::chunkArrays()
{
    RunResult run = smallRun();
    RequestRecord &first = run.records[1];   // workload index 0: two chunks
    first.generatedText = QStringLiteral("😀你好");
    first.chunkTextEnds = {2, 4};
    first.chunkTokens = {2, 2};
    const ojson j = toResultJson(run, metricsOf(run), true);
    JSON_COMPARE(j["chunk_text_ends"], ojson::parse("[[1, 3], [], []]"));
    JSON_COMPARE(j["chunk_tokens"], ojson::parse("[[2, 2], [], []]"));
    const ojson summary = toResultJson(run, metricsOf(run), false);
    QVERIFY(!summary.contains("chunk_text_ends"));
    QVERIFY(!summary.contains("chunk_tokens"));
}

void TestResultJson::finiteRateAndConcurrency()
{
    RunResult run = smallRun();
    run.config.load.requestRate = 4.0;
    run.config.load.maxConcurrency = 6;
    run.config.label = QStringLiteral("nightly");
    run.config.tokenizerId = QStringLiteral("tok/enizer");
    const ojson j = toResultJson(run, metricsOf(run), false);
    QVERIFY(j["request_rate"].is_number_float());
    QCOMPARE(j["request_rate"].get<double>(), 4.0);
    JSON_COMPARE(j["max_concurrency"], ojson(6));
    JSON_COMPARE(j["label"], ojson("nightly"));
    JSON_COMPARE(j["tokenizer_id"], ojson("tok/enizer"));
    // Written the way Python writes a float.
    QVERIFY(j.dump().find("\"request_rate\":4.0") != std::string::npos);
}

void TestResultJson::ownKeys()
{
    RunResult run = smallRun();
    run.stopped = true;
    run.config.metrics.goodputTtftMs = 120.0;
    const ojson j = toResultJson(run, metricsOf(run), false);
    QVERIFY(j["tokenstorm_version"].is_string());
    JSON_COMPARE(j["requested"], ojson(3));
    JSON_COMPARE(j["stopped"], ojson(true));
    JSON_COMPARE(j["output_tokens_source"], ojson("server"));
    JSON_COMPARE(j["output_tokens_estimated"], ojson(false));
    JSON_COMPARE(j["goodput"], ojson::parse(R"({"ttft": 120.0})"));
    QCOMPARE(j["request_goodput"].get<double>(), 4.0);   // both TTFTs <= 120 ms, 2 / 0.5 s

    run.records[0].outputTokenSource = TokenCountSource::Chunks;
    const ojson mixed = toResultJson(run, metricsOf(run), false);
    JSON_COMPARE(mixed["output_tokens_source"], ojson("mixed"));
    JSON_COMPARE(mixed["output_tokens_estimated"], ojson(true));
}

void TestResultJson::neverWritesApiKey()
{
    const RunResult run = smallRun();
    for (bool detailed : {false, true}) {
        const std::string text = toResultJson(run, metricsOf(run), detailed).dump();
        QVERIFY(text.find("sk-very-secret-key") == std::string::npos);
        QVERIFY(text.find("header-value-not-written") == std::string::npos);
    }
}

void TestResultJson::defaultFileName_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("concurrency");
    QTest::addColumn<QString>("expected");
    const double inf = std::numeric_limits<double>::infinity();
    QTest::addRow("defaults") << QString() << inf << 0
                              << QStringLiteral("openai-chat-infqps-Qwen3-0.6B-20260102-030405.json");
    QTest::addRow("rate and concurrency") << QStringLiteral("nightly") << 4.0 << 6
                                          << QStringLiteral("nightly-4.0qps-concurrency6-Qwen3-0.6B-20260102-030405.json");
    QTest::addRow("fractional rate") << QString() << 0.5 << 0
                                     << QStringLiteral("openai-chat-0.5qps-Qwen3-0.6B-20260102-030405.json");
}

void TestResultJson::defaultFileName()
{
    QFETCH(QString, label);
    QFETCH(double, rate);
    QFETCH(int, concurrency);
    QFETCH(QString, expected);
    RunResult run = smallRun();
    run.config.label = label;
    run.config.load.requestRate = rate;
    run.config.load.maxConcurrency = concurrency;
    QCOMPARE(defaultResultFileName(run), expected);
}

QTEST_GUILESS_MAIN(TestResultJson)
#include "tst_resultjson.moc"
