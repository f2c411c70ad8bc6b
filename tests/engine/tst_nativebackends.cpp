#include "backends/backend.h"
#include "backends/backendregistry.h"
#include "backends/modellist.h"
#include "core/benchmarkconfig.h"
#include "sim/simserverthread.h"

#include "scriptedserver.h"
#include "simrun.h"
#include "testfiles.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QTest>

#include <nlohmann/json.hpp>
#include <qcoro/qcorotask.h>

using namespace ts;
using ts::test::ScriptedServer;

namespace {

BenchmarkConfig configFor(const QString &backend, const QUrl &baseUrl, int requests)
{
    BenchmarkConfig config;
    config.target.backend = backend;
    config.target.baseUrl = baseUrl;
    config.target.endpoint = findBackend(backend)->defaultEndpoint;
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.random.inputLen = 16;
    config.random.outputLen = 6;
    config.load.numPrompts = requests;
    return config;
}

// A run of one request of backend to a server that answers every request (the runner's first
// test request too) with head and body, then closes.
RunResult replayRun(const QString &backend, const QByteArray &head, const QByteArray &body)
{
    ScriptedServer server([&](int, QTcpSocket *socket) {
        socket->write(head + body);
        socket->disconnectFromHost();
    });
    if (!server.listen())
        return {};
    return test::runToEnd(configFor(backend, server.baseUrl(), 1));
}

// The measured request of such a run; its error says why when the run did not start.
RequestRecord replayOverSocket(const QString &backend, const QByteArray &head, const QByteArray &body)
{
    const RunResult result = replayRun(backend, head, body);
    if (result.records.size() == 1)
        return result.records.front();
    RequestRecord failed;
    failed.error = result.error.isEmpty() ? QStringLiteral("no record") : result.error;
    return failed;
}

QByteArray headOf(const QByteArray &status, const QByteArray &contentType)
{
    return "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nConnection: close\r\n\r\n";
}

nlohmann::json bodyOf(const QString &backend, const BenchmarkConfig &config, const PromptSpec &prompt)
{
    const auto b = Backend::create(backend);
    const QByteArray bytes = b ? b->requestBody(prompt, config) : QByteArray();
    return nlohmann::json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
}

} // namespace

class TestNativeBackends : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordedReplies_data();
    void recordedReplies();
    void failedReplies_data();
    void failedReplies();
    void ollamaThinkingIsReasoning();
    void sglangCumulativeText();
    void cutStream();
    void requestBodies();
    void modelInEndpoint();
    void builtInServer_data();
    void builtInServer();
};

void TestNativeBackends::recordedReplies_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("chunks");
    QTest::addColumn<int>("itlCount");
    QTest::addColumn<int>("outputTokens");
    QTest::addColumn<int>("promptTokens");   // -1: the server does not say

    const QByteArray sse = "text/event-stream";
    const QByteArray ndjson = "application/x-ndjson";
    // Five content events, then a closing one with "stop": true, the counts and no text.
    QTest::addRow("llama.cpp") << "llama.cpp" << "llama.cpp/completion_stream.sse" << sse
                               << " Paris is the capital." << 5 << 4 << 5 << 7;
    // Recorded from llama.cpp's server: 2 prompt tokens, 4 predicted.
    QTest::addRow("llama.cpp server") << "llama.cpp" << "llama.cpp-server/completion.sse" << sse
                                      << " habíaahrenheit()<<\"offsetof" << 4 << 3 << 4 << 2;
    QTest::addRow("ollama generate") << "ollama" << "ollama/generate.ndjson" << ndjson
                                     << "The sky is blue because of Rayleigh scattering." << 9 << 8 << 9 << 31;
    QTest::addRow("ollama chat") << "ollama-chat" << "ollama/chat_thinking.ndjson" << ndjson
                                 << "Okay, the user asks why.Rayleigh scattering." << 10 << 9 << 10 << 14;
    QTest::addRow("sglang") << "sglang" << "sglang/generate_stream.sse" << sse
                            << " Paris is the capital of France." << 7 << 6 << 7 << 6;
    // No counts in the stream: one token per chunk.
    QTest::addRow("tensorrt-llm") << "tensorrt-llm" << "tensorrt-llm/generate_stream.sse" << sse
                                  << " Paris is the capital of France." << 7 << 6 << 7 << -1;
}

void TestNativeBackends::recordedReplies()
{
    QFETCH(QString, backend);
    QFETCH(QString, file);
    QFETCH(QByteArray, contentType);
    const RequestRecord r = replayOverSocket(backend, headOf("200 OK", contentType), ts::test::backendReply(file));
    QVERIFY2(r.success, qPrintable(r.error));
    QFETCH(QString, text);
    QFETCH(int, chunks);
    QFETCH(int, itlCount);
    QFETCH(int, outputTokens);
    QFETCH(int, promptTokens);
    QCOMPARE(r.generatedText, text);
    QCOMPARE(r.contentChunks, chunks);
    QCOMPARE(int(r.itl.size()), itlCount);
    QCOMPARE(r.chunkTextEnds.size(), r.itl.size() + 1);
    QVERIFY(r.ttft > 0.0);
    QCOMPARE(r.outputTokens, outputTokens);
    QCOMPARE(r.outputTokenSource, promptTokens < 0 ? TokenCountSource::Chunks : TokenCountSource::Server);
    if (promptTokens >= 0) {
        QCOMPARE(r.promptTokens, promptTokens);
        QCOMPARE(r.promptTokenSource, TokenCountSource::Server);
    }
}

void TestNativeBackends::failedReplies_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QString>("error");

    const QByteArray sse = headOf("200 OK", "text/event-stream");
    const QByteArray ndjson = headOf("200 OK", "application/x-ndjson");
    QTest::addRow("llama.cpp error: line") << "llama.cpp" << "llama.cpp/completion_error.sse" << sse
                                           << "KV cache is full";
    QTest::addRow("ollama error line") << "ollama" << "ollama/generate_error.ndjson" << ndjson << "unexpected EOF";
    QTest::addRow("ollama unknown model") << "ollama" << "ollama/model_not_found.json"
                                          << headOf("404 Not Found", "application/json; charset=utf-8")
                                          << "not found, try pulling it first";
    QTest::addRow("tensorrt-llm error") << "tensorrt-llm" << "tensorrt-llm/generate_stream_error.sse" << sse
                                        << "out of memory";
}

void TestNativeBackends::failedReplies()
{
    QFETCH(QString, backend);
    QFETCH(QString, file);
    QFETCH(QByteArray, head);
    QFETCH(QString, error);
    // The runner's first request fails, so the run does not start, and says why.
    const RunResult result = replayRun(backend, head, ts::test::backendReply(file));
    QVERIFY(result.records.empty());
    QVERIFY2(result.error.contains(error), qPrintable(result.error));
}

void TestNativeBackends::ollamaThinkingIsReasoning()
{
    const RequestRecord r = replayOverSocket(QStringLiteral("ollama-chat"), headOf("200 OK", "application/x-ndjson"),
                                             ts::test::backendReply(QStringLiteral("ollama/chat_thinking.ndjson")));
    QVERIFY2(r.success, qPrintable(r.error));
    // Seven thinking-only lines come first: the reasoning starts with the first token.
    QCOMPARE(r.ttfrt, r.ttft);
    QVERIFY(r.ttfat >= r.ttfrt);

    // Without thinking, there are no reasoning times.
    const RequestRecord plain = replayOverSocket(QStringLiteral("ollama"), headOf("200 OK", "application/x-ndjson"),
                                                 ts::test::backendReply(QStringLiteral("ollama/generate.ndjson")));
    QVERIFY2(plain.success, qPrintable(plain.error));
    QCOMPARE(plain.ttfrt, -1.0);
}

void TestNativeBackends::sglangCumulativeText()
{
    // " 你" (1 token), " 你好" (3: two in one step), " 你好" again (4: a step that adds no text),
    // " 你好!" (5).
    const RequestRecord r = replayOverSocket(QStringLiteral("sglang"), headOf("200 OK", "text/event-stream"),
                                             ts::test::backendReply(QStringLiteral("sglang/generate_uneven.sse")));
    QVERIFY2(r.success, qPrintable(r.error));
    QCOMPARE(r.generatedText, QStringLiteral(" 你好!"));
    QCOMPARE(r.contentChunks, 3);
    QCOMPARE(int(r.itl.size()), 3);
    QCOMPARE(r.outputTokens, 5);
    QCOMPARE(r.promptTokens, 9);
    QCOMPARE(r.chunkTokens, (std::vector<std::uint16_t> { 1, 2, 1, 1 }));
    QCOMPARE(r.chunkTextEnds, (std::vector<std::uint32_t> { 2, 3, 3, 4 }));
}

void TestNativeBackends::cutStream()
{
    // Two whole events, a third broken off, and no closing event with the counts.
    // The message cut in the middle is not taken for a whole one: the request fails and says so.
    const RunResult result = replayRun(QStringLiteral("llama.cpp"), headOf("200 OK", "text/event-stream"),
                                       ts::test::backendReply(QStringLiteral("llama.cpp/completion_cut.sse")));
    QVERIFY(result.records.empty());
    QVERIFY2(result.error.contains(QLatin1String("not JSON: {\"index\":0,\"content\":\" the\",\"tok")),
             qPrintable(result.error));
}

void TestNativeBackends::requestBodies()
{
    BenchmarkConfig config;
    config.target.model = QStringLiteral("llama3.2");
    PromptSpec prompt;
    prompt.prompt = QStringLiteral("Why is the sky blue?");
    prompt.expectedOutputTokens = 32;

    const auto llama = bodyOf(QStringLiteral("llama.cpp"), config, prompt);
    QCOMPARE(llama["prompt"].get<std::string>(), "Why is the sky blue?");
    QCOMPARE(llama["n_predict"].get<int>(), 32);
    QVERIFY(llama["stream"].get<bool>());
    QVERIFY(llama["ignore_eos"].get<bool>());   // the random dataset asks for exact lengths

    const auto ollama = bodyOf(QStringLiteral("ollama"), config, prompt);
    QCOMPARE(ollama["model"].get<std::string>(), "llama3.2");
    QCOMPARE(ollama["prompt"].get<std::string>(), "Why is the sky blue?");
    QCOMPARE(ollama["options"]["num_predict"].get<int>(), 32);
    QVERIFY(ollama["stream"].get<bool>());

    prompt.messages = { { QStringLiteral("system"), QStringLiteral("Be brief.") },
                        { QStringLiteral("user"), QStringLiteral("Why is the sky blue?") } };
    const auto chat = bodyOf(QStringLiteral("ollama-chat"), config, prompt);
    QCOMPARE(chat["messages"].size(), 2u);
    QCOMPARE(chat["messages"][0]["role"].get<std::string>(), "system");
    QCOMPARE(chat["options"]["num_predict"].get<int>(), 32);
    QVERIFY(!chat.contains("prompt"));

    const auto sglang = bodyOf(QStringLiteral("sglang"), config, prompt);
    QCOMPARE(sglang["text"].get<std::string>(), "Why is the sky blue?");
    QCOMPARE(sglang["sampling_params"]["max_new_tokens"].get<int>(), 32);
    QVERIFY(sglang["sampling_params"]["ignore_eos"].get<bool>());

    const auto trt = bodyOf(QStringLiteral("tensorrt-llm"), config, prompt);
    QCOMPARE(trt["text_input"].get<std::string>(), "Why is the sky blue?");
    QCOMPARE(trt["max_tokens"].get<int>(), 32);
    QCOMPARE(trt["min_length"].get<int>(), 32);
    QVERIFY(trt["stream"].get<bool>());

    // Another dataset keeps the end of sequence.
    config.datasetName = QStringLiteral("sharegpt");
    QVERIFY(!bodyOf(QStringLiteral("sglang"), config, prompt)["sampling_params"].contains("ignore_eos"));
    QVERIFY(!bodyOf(QStringLiteral("tensorrt-llm"), config, prompt).contains("min_length"));
}

void TestNativeBackends::modelInEndpoint()
{
    TargetConfig target;
    target.baseUrl = QUrl(QStringLiteral("http://triton:8000/"));
    target.endpoint = findBackend(QStringLiteral("tensorrt-llm"))->defaultEndpoint;
    target.model = QStringLiteral("ensemble");
    QCOMPARE(target.url().toString(), QStringLiteral("http://triton:8000/v2/models/ensemble/generate_stream"));
    target.endpoint = QStringLiteral("/v1/completions");
    QCOMPARE(target.url().toString(), QStringLiteral("http://triton:8000/v1/completions"));
}

void TestNativeBackends::builtInServer_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("serverCounts");
    QTest::addRow("llama.cpp") << "llama.cpp" << true;
    QTest::addRow("ollama") << "ollama" << true;
    QTest::addRow("ollama-chat") << "ollama-chat" << true;
    QTest::addRow("sglang") << "sglang" << true;
    QTest::addRow("tensorrt-llm") << "tensorrt-llm" << false;
}

void TestNativeBackends::builtInServer()
{
    QFETCH(QString, backend);
    QFETCH(bool, serverCounts);
    SimServerThread server;
    QVERIFY(server.start(test::fixedServer(5, 2)).ok());
    const BenchmarkConfig config = configFor(backend, server.baseUrl(), 4);

    QNetworkAccessManager manager;
    const ModelListResult models = QCoro::waitFor(fetchModels(manager, config.target));
    QVERIFY2(models.error.isEmpty(), qPrintable(models.error));
    QCOMPARE(models.models, QStringList(QStringLiteral("tokenstorm-sim")));

    const RunResult result = test::runToEnd(config);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 4);
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QCOMPARE(r.outputTokens, 6);
        QCOMPARE(r.contentChunks, 6);
        QCOMPARE(int(r.itl.size()), 5);
        QCOMPARE(r.outputTokenSource, serverCounts ? TokenCountSource::Server : TokenCountSource::Chunks);
        if (serverCounts)
            QCOMPARE(r.promptTokenSource, TokenCountSource::Server);
    }
    // The runner's first test request and the four measured ones, each in full.
    QTRY_COMPARE(server.counters().requestsServed, qint64(5));
    QTRY_COMPARE(server.counters().generatedTokens, qint64(5 * 6));
}

QTEST_GUILESS_MAIN(TestNativeBackends)
#include "tst_nativebackends.moc"
