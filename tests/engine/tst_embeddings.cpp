#include "backends/backendregistry.h"
#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"
#include "results/resultfile.h"
#include "results/resultjson.h"
#include "results/summary.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "recordingproxy.h"
#include "scriptedserver.h"
#include "simrun.h"
#include "testfiles.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>

using namespace ts;

namespace {

using ts::test::RecordingProxy;
using ts::test::ScriptedServer;

BenchmarkConfig embeddingsConfig(const QUrl &baseUrl, int requests)
{
    BenchmarkConfig config;
    config.target.backend = QStringLiteral("openai-embeddings");
    config.target.endpoint = QStringLiteral("/v1/embeddings");
    config.target.baseUrl = baseUrl;
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.random.inputLen = 48;
    config.random.outputLen = 16;
    config.load.numPrompts = requests;
    config.load.maxConcurrency = 4;
    return config;
}

QByteArray testData(const QString &name)
{
    return ts::test::readTestData(QStringLiteral("backends/openai-embeddings/") + name);
}

// Every request answered with status and body, as one whole response.
ScriptedServer::Script answerWith(int status, QByteArray body)
{
    return [status, body](int, QTcpSocket *socket) {
        const QByteArray reason = status == 200 ? "OK" : "Bad Request";
        socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
                      + "\r\ncontent-type: application/json\r\ncontent-length: " + QByteArray::number(body.size())
                      + "\r\n\r\n" + body);
    };
}

struct Reply
{
    int status = 0;
    nlohmann::json body;
};

Reply post(QNetworkAccessManager &manager, const QUrl &url, const QByteArray &body)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    std::unique_ptr<QNetworkReply> reply(manager.post(request, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!finished.wait(10000))
        return {};
    const QByteArray bytes = reply->readAll();
    return { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
             nlohmann::json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false) };
}

} // namespace

class TestEmbeddings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void registryRow();
    void runAgainstBuiltInServer();
    void resultFileReadsBack();
    void builtInServerVectors();
    void batchingServerRun();
    void recordedReplies_data();
    void recordedReplies();
    void errorReplies_data();
    void errorReplies();
};

void TestEmbeddings::registryRow()
{
    const BackendInfo *info = findBackend(QStringLiteral("openai-embeddings"));
    QVERIFY(info);
    QVERIFY(!info->streams);
    QCOMPARE(info->defaultEndpoint, QStringLiteral("/v1/embeddings"));
    QVERIFY(!info->generatesText());
    QVERIFY(producesEmbeddings(QStringLiteral("openai-embeddings")));
    QVERIFY(!producesEmbeddings(QStringLiteral("openai")));
    QVERIFY(!producesEmbeddings(QStringLiteral("nope")));
}

// 16 prompts through the built-in server: each answered with one body after its prefill,
// counted with the server's prompt tokens; the file and the summary speak vLLM's pooling layout.
void TestEmbeddings::runAgainstBuiltInServer()
{
    SimServerThread server;
    QVERIFY(server.start(ts::test::fixedServer(20, 5)).ok());
    RecordingProxy proxy;
    QVERIFY(proxy.listen(quint16(server.baseUrl().port())));
    const RunResult result = ts::test::runToEnd(embeddingsConfig(proxy.url(), 16));
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 16);
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QCOMPARE(r.httpStatus, 200);
        QVERIFY(r.promptTokens > 0);
        QCOMPARE(r.promptTokenSource, TokenCountSource::Server);
        QCOMPARE(r.outputTokens, 0);
        QCOMPARE(r.contentChunks, 0);
        QVERIFY(r.itl.empty());
        QVERIFY(r.latency > 0.0);
        QCOMPARE(r.ttft, r.latency);
    }

    // What went over the wire: the prompt, no stream, no generation options.
    const auto &seen = proxy.seen();
    QCOMPARE(int(seen.size()), 17);   // the probe first
    for (const RecordingProxy::Seen &s : seen) {
        QVERIFY(s.body.contains("input") && s.body["input"].is_string());
        QCOMPARE(s.body.value("model", std::string()), std::string("tokenstorm-sim"));
        QVERIFY(!s.body.contains("stream"));
        QVERIFY(!s.body.contains("max_tokens"));
    }

    const BenchmarkMetrics m = computeMetrics(result.records, result.duration, result.config.metrics);
    QCOMPARE(m.completed, 16);
    QCOMPARE(m.failed, 0);
    QCOMPARE(m.totalOutputTokens, qint64(0));
    qint64 input = 0;
    for (const RequestRecord &r : result.records)
        input += r.promptTokens;
    QCOMPARE(m.totalInputTokens, input);
    QCOMPARE(m.tpotMs.count, 0);
    QCOMPARE(m.itlMs.count, 0);
    QCOMPARE(m.outputThroughput, 0.0);
    QCOMPARE(m.maxOutputTokensPerS, 0.0);
    QVERIFY(m.e2elMs.mean > 0.0);
    QVERIFY(m.totalTokenThroughput > 0.0);

    const nlohmann::ordered_json j = toResultJson(result, m, true);
    for (const char *key : {"completed", "failed", "total_input_tokens", "total_input_sequences", "request_throughput",
                            "input_sequence_throughput", "total_token_throughput", "input_lens", "latencies",
                            "queue_times", "errors", "mean_e2el_ms", "median_e2el_ms", "std_e2el_ms", "p99_e2el_ms"})
        QVERIFY2(j.contains(key), key);
    for (const char *key : {"total_output_tokens", "output_throughput", "ttfts", "itls", "output_lens",
                            "generated_texts", "mean_ttft_ms", "mean_tpot_ms", "mean_itl_ms",
                            "max_output_tokens_per_s", "request_goodput", "output_tokens_source"})
        QVERIFY2(!j.contains(key), key);
    QCOMPARE(j["backend"].get<std::string>(), std::string("openai-embeddings"));
    QCOMPARE(j["total_input_tokens"].get<qint64>(), input);
    QCOMPARE(j["total_input_sequences"].get<int>(), 16);
    QCOMPARE(j["input_lens"].size(), std::size_t(16));

    const QString summary = formatSummary(result, m, result.config.metrics);
    QVERIFY(summary.contains(summaryRow(QStringLiteral("Successful requests:"), QStringLiteral("16"))));
    QVERIFY(summary.contains(summaryRow(QStringLiteral("Total input tokens:"), QString::number(input))));
    QVERIFY(summary.contains(QStringLiteral("Input throughput (inputs/s):")));
    QVERIFY(summary.contains(QStringLiteral("Total token throughput (tok/s):")));
    QVERIFY(summary.contains(summaryTitle(QStringLiteral("End-to-end Latency"), u'-')));
    QVERIFY(summary.contains(QStringLiteral("P99 E2EL (ms):")));
    QVERIFY(!summary.contains(QStringLiteral("TTFT")));
    QVERIFY(!summary.contains(QStringLiteral("TPOT")));
    QVERIFY(!summary.contains(QStringLiteral("generated tokens")));
    QVERIFY(!summary.contains(QStringLiteral("Output token throughput")));
}

// Our file of an embeddings run, read back, gives the same records and numbers.
void TestEmbeddings::resultFileReadsBack()
{
    SimServerThread server;
    QVERIFY(server.start(ts::test::fixedServer(10, 5)).ok());
    const RunResult result = ts::test::runToEnd(embeddingsConfig(server.baseUrl(), 6));
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    const BenchmarkMetrics m = computeMetrics(result.records, result.duration, result.config.metrics);
    QString error;
    const std::optional<ResultFile> file = resultFromJson(toResultJson(result, m, true), QStringLiteral("e.json"), &error);
    QVERIFY2(file, qPrintable(error));
    QCOMPARE(int(file->records.size()), 6);
    for (const RequestRecord &r : file->records) {
        QVERIFY(r.success);
        QVERIFY(r.promptTokens > 0);
        QCOMPARE(r.outputTokens, 0);
        QVERIFY(r.latency > 0.0);
    }
    QCOMPARE(file->metrics.completed, 6);
    QCOMPARE(file->metrics.totalInputTokens, m.totalInputTokens);
    QCOMPARE(file->percentileMetrics, QStringList { QStringLiteral("e2el") });
    QCOMPARE(file->metrics.e2elMs.mean, m.e2elMs.mean);
    const BenchmarkMetrics again = computeMetrics(file->records, m.duration, result.config.metrics);
    QCOMPARE(again.maxOutputTokensPerS, 0.0);
    QCOMPARE(again.e2elMs.count, 6);
}

// The vector depends on the input alone; usage counts the prompt; several inputs are refused.
void TestEmbeddings::builtInServerVectors()
{
    SimServerThread server;
    QVERIFY(server.start(ts::test::fixedServer(5, 1)).ok());
    QNetworkAccessManager manager;
    QUrl url = server.baseUrl();
    url.setPath(QStringLiteral("/v1/embeddings"));
    const QByteArray one = R"({"model":"tokenstorm-sim","input":"The quick brown fox jumps over the lazy dog"})";
    const Reply a = post(manager, url, one);
    const Reply b = post(manager, url, one);
    const Reply c = post(manager, url, R"({"model":"tokenstorm-sim","input":"Another sentence entirely"})");
    QCOMPARE(a.status, 200);
    QCOMPARE(a.body["object"].get<std::string>(), std::string("list"));
    const nlohmann::json &vector = a.body["data"][0]["embedding"];
    QCOMPARE(int(vector.size()), 16);
    double norm = 0.0;
    for (const auto &v : vector)
        norm += v.get<double>() * v.get<double>();
    QVERIFY(std::abs(norm - 1.0) < 1e-4);
    QVERIFY(b.body["data"][0]["embedding"] == vector);
    QVERIFY(c.body["data"][0]["embedding"] != vector);
    const int tokens = a.body["usage"]["prompt_tokens"].get<int>();
    QVERIFY(tokens > 0);
    QCOMPARE(a.body["usage"]["total_tokens"].get<int>(), tokens);

    const Reply many = post(manager, url, R"({"model":"tokenstorm-sim","input":["a","b"]})");
    QCOMPARE(many.status, 400);
    QVERIFY(many.body.contains("error"));
    const Reply none = post(manager, url, R"({"model":"tokenstorm-sim"})");
    QCOMPARE(none.status, 400);
}

// The batching server answers after the prefill: every request succeeds, and the server counts
// the prompts but no generated tokens.
void TestEmbeddings::batchingServerRun()
{
    SimServerThread server;
    QVERIFY(server.start(*simPresetConfig(QStringLiteral("gpu-fast"))).ok());
    const RunResult result = ts::test::runToEnd(embeddingsConfig(server.baseUrl(), 12));
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 12);
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QCOMPARE(r.outputTokens, 0);
        QVERIFY(r.latency > 0.0);
    }
    QCOMPARE(server.counters().generatedTokens, qint64(0));
}

void TestEmbeddings::recordedReplies_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("promptTokens");
    QTest::addRow("vLLM") << QStringLiteral("vllm.json") << 9;
    QTest::addRow("llama.cpp") << QStringLiteral("llamacpp.json") << 7;
    // Recorded from llama.cpp's server: 256 floats for a 2-token input.
    QTest::addRow("llama.cpp server") << QStringLiteral("../llama.cpp-server/embeddings.json") << 2;
}

// Real servers' bodies, replayed over a socket: a success with the server's prompt tokens.
void TestEmbeddings::recordedReplies()
{
    QFETCH(QString, file);
    QFETCH(int, promptTokens);
    const QByteArray body = testData(file);
    QVERIFY(!body.isEmpty());
    ScriptedServer server(answerWith(200, body));
    QVERIFY(server.listen());
    const RunResult result = ts::test::runToEnd(embeddingsConfig(server.baseUrl(), 3));
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 3);
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QCOMPARE(r.promptTokens, promptTokens);
        QCOMPARE(r.promptTokenSource, TokenCountSource::Server);
        QCOMPARE(r.outputTokens, 0);
        QVERIFY(r.generatedText.isEmpty());
    }
}

void TestEmbeddings::errorReplies_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::addRow("vLLM, input too long") << 400 << testData(QStringLiteral("vllm_too_long.json"))
                                          << QStringLiteral("maximum context length is 512 tokens");
    QTest::addRow("error object with 200") << 200 << QByteArray(R"({"error":{"message":"model is loading","type":"unavailable"}})")
                                           << QStringLiteral("model is loading");
    QTest::addRow("no embedding") << 200 << QByteArray(R"({"object":"list","data":[],"usage":{"prompt_tokens":3}})")
                                  << QStringLiteral("without an embedding");
    QTest::addRow("empty body") << 200 << QByteArray() << QStringLiteral("empty body");
    QTest::addRow("not JSON") << 200 << QByteArray("<html>busy</html>") << QStringLiteral("not JSON");
}

// A failed reply fails the first request, and the run says why in the server's words.
void TestEmbeddings::errorReplies()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    ScriptedServer server(answerWith(status, body));
    QVERIFY(server.listen());
    const RunResult result = ts::test::runToEnd(embeddingsConfig(server.baseUrl(), 2));
    QVERIFY2(result.error.contains(expected), qPrintable(result.error));
}

QTEST_GUILESS_MAIN(TestEmbeddings)
#include "tst_embeddings.moc"
