#include "backends/backend.h"
#include "results/chunks.h"
#include "tokenizer/tokenizer.h"
#include "transport/streamcollector.h"

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace ts;

namespace {

constexpr std::int64_t kStepNs = 10'000'000; // each recorded event arrives 10 ms after the previous

QByteArray fixture(const QString &name)
{
    QFile file(qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QStringLiteral("/sse/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

// Feeds a recorded stream line by line; the k-th event (its closing blank line) arrives at
// (k + 1) * 10 ms after the request was sent at 0.
RequestRecord replay(const Backend &backend, const QByteArray &stream, int httpStatus = 200,
                     const Tokenizer *tokenizer = nullptr)
{
    StreamCollector collector(backend, 0);
    collector.setHttpStatus(httpStatus);
    std::int64_t now = kStepNs;
    qsizetype start = 0;
    while (start < stream.size()) {
        qsizetype end = stream.indexOf('\n', start);
        end = end < 0 ? stream.size() : end + 1;
        const QByteArrayView line(stream.constData() + start, end - start);
        collector.addBytes(line, now);
        if (line == "\n" || line == "\r\n")
            now += kStepNs;
        start = end;
    }
    collector.finish(now);
    RequestRecord record;
    record.promptTokens = 99;
    collector.fillRecord(record, {}, QByteArrayLiteral("application/json"), tokenizer);
    return record;
}

} // namespace

class TestBackends : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordedStreams_data();
    void recordedStreams();
    void errorsInStream_data();
    void errorsInStream();
    void httpErrorBody();
    void chunkTokensFromStream_data();
    void chunkTokensFromStream();
    void tokenizerCountsWithoutUsage();
    void requestBodies();
    void unknownBackend();
};

void TestBackends::recordedStreams_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("file");
    QTest::addColumn<double>("ttftMs");
    QTest::addColumn<int>("itlCount");
    QTest::addColumn<double>("latencyMs");
    QTest::addColumn<int>("chunks");
    QTest::addColumn<int>("outputTokens");
    QTest::addColumn<int>("promptTokens");
    QTest::addColumn<bool>("fromServer");

    // 15 text chunks, then a usage-only chunk and [DONE].
    QTest::addRow("vllm completions") << "openai" << "vllm_completions.sse" << 10.0 << 14 << 150.0 << 15 << 15 << 12 << true;
    // A role-only first chunk is not the first token; the empty finishing chunk still counts
    // as a later message (vLLM's ITL and E2EL do), the usage-only chunk does not.
    QTest::addRow("vllm chat") << "openai-chat" << "vllm_chat.sse" << 20.0 << 10 << 120.0 << 10 << 10 << 42 << true;
    // llama.cpp puts the usage on its last choices message.
    QTest::addRow("llama.cpp chat") << "openai-chat" << "llamacpp_chat.sse" << 20.0 << 10 << 120.0 << 10 << 10 << 18 << true;
    // No usage at all: the count is the number of chunks, marked as an estimate.
    QTest::addRow("completions without usage, CRLF")
        << "openai" << "llamacpp_python_completions_crlf.sse" << 10.0 << 5 << 70.0 << 6 << 6 << 99 << false;
    QTest::addRow("tgi") << "tgi" << "tgi_generate_stream.sse" << 10.0 << 6 << 70.0 << 7 << 7 << 99 << true;
}

void TestBackends::recordedStreams()
{
    QFETCH(QString, backend);
    QFETCH(QString, file);
    const auto b = Backend::create(backend);
    QVERIFY(b);
    const RequestRecord r = replay(*b, fixture(file));
    QVERIFY2(r.success, qPrintable(r.error));
    QFETCH(double, ttftMs);
    QFETCH(int, itlCount);
    QFETCH(double, latencyMs);
    QFETCH(int, chunks);
    QFETCH(int, outputTokens);
    QFETCH(int, promptTokens);
    QFETCH(bool, fromServer);
    QCOMPARE(r.ttft * 1e3, ttftMs);
    QCOMPARE(int(r.itl.size()), itlCount);
    QCOMPARE(r.latency * 1e3, latencyMs);
    QCOMPARE(r.contentChunks, chunks);
    QCOMPARE(r.outputTokens, outputTokens);
    QCOMPARE(r.promptTokens, promptTokens);
    QCOMPARE(r.outputTokenSource, fromServer ? TokenCountSource::Server : TokenCountSource::Chunks);
    QVERIFY(!r.generatedText.isEmpty());

    // One entry per timed message, empty finishing messages included, and their texts in
    // order make up the whole text.
    QCOMPARE(r.chunkTextEnds.size(), r.itl.size() + 1);
    QCOMPARE(r.chunkTokens.size(), r.itl.size() + 1);
    QVERIFY(hasChunkTexts(r));
    QString joined;
    for (const Chunk &c : chunksOf(r))
        joined += c.text;
    QCOMPARE(joined, r.generatedText);
}

void TestBackends::errorsInStream_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::addRow("vllm error object") << "openai-chat" << "error_midstream_vllm.sse" << "CUDA error";
    QTest::addRow("tgi error") << "tgi" << "error_midstream_tgi.sse" << "CUDA out of memory";
    QTest::addRow("llama.cpp error: line") << "openai-chat" << "error_field_llamacpp.sse" << "context size";
}

void TestBackends::errorsInStream()
{
    QFETCH(QString, backend);
    QFETCH(QString, file);
    QFETCH(QString, expected);
    const RequestRecord r = replay(*Backend::create(backend), fixture(file));
    QVERIFY(!r.success);
    QVERIFY2(r.error.contains(expected), qPrintable(r.error));
}

void TestBackends::chunkTokensFromStream_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("texts");
    QTest::addColumn<QList<int>>("tokens");

    // A running count on every chunk gives each chunk's share; two tokens can come as one
    // chunk, and the finishing chunk's token (the end of sequence) has no text.
    QTest::addRow("vllm continuous usage")
        << "openai-chat" << "vllm_chat_continuous_usage.sse"
        << QStringList { QStringLiteral("你"), QStringLiteral("好"), QStringLiteral("😀"), QString() }
        << QList<int> { 1, 1, 2, 1 };
    // A count that only comes with the last message is the total, not that chunk's share.
    QTest::addRow("llama.cpp usage at the end")
        << "openai-chat" << "llamacpp_chat.sse" << QStringList() << QList<int>(11, 0);
    // Usage only in a message without choices: no chunk's share is known.
    QTest::addRow("vllm usage at the end") << "openai" << "vllm_completions.sse" << QStringList() << QList<int>(15, 0);
    QTest::addRow("tgi, one token per event") << "tgi" << "tgi_generate_stream.sse" << QStringList() << QList<int>(7, 1);
}

void TestBackends::chunkTokensFromStream()
{
    QFETCH(QString, backend);
    QFETCH(QString, file);
    QFETCH(QStringList, texts);
    QFETCH(QList<int>, tokens);
    const RequestRecord r = replay(*Backend::create(backend), fixture(file));
    QVERIFY2(r.success, qPrintable(r.error));
    const std::vector<Chunk> chunks = chunksOf(r);
    QCOMPARE(qsizetype(chunks.size()), tokens.size());
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        QCOMPARE(chunks[std::size_t(i)].tokens, tokens[i]);
        if (!texts.isEmpty())
            QCOMPARE(chunks[std::size_t(i)].text.toString(), texts[i]);
    }
}

void TestBackends::httpErrorBody()
{
    const QByteArray body = R"({"object":"error","message":"The model `x` does not exist.","type":"NotFoundError","code":404})";
    const RequestRecord r = replay(*Backend::create(QStringLiteral("openai")), body, 404);
    QVERIFY(!r.success);
    QCOMPARE(r.httpStatus, 404);
    QVERIFY2(r.error.contains(QLatin1String("does not exist")), qPrintable(r.error));
}

// A server that sends no usage: with a tokenizer the generated text is counted, and the
// record says so; the server's own count would still win.
void TestBackends::tokenizerCountsWithoutUsage()
{
    QString error;
    const auto tokenizer = Tokenizer::load(qEnvironmentVariable("TOKENSTORM_TEST_DATA")
                                               + QStringLiteral("/tokenizer/tiny-bytelevel.json"), &error);
    QVERIFY2(tokenizer, qPrintable(error));
    const auto openai = Backend::create(QStringLiteral("openai"));
    const RequestRecord counted = replay(*openai, fixture(QStringLiteral("llamacpp_python_completions_crlf.sse")), 200,
                                         tokenizer.get());
    QCOMPARE(counted.outputTokenSource, TokenCountSource::Tokenizer);
    QCOMPARE(counted.outputTokens, tokenizer->countTokens(counted.generatedText));
    QVERIFY(counted.outputTokens > 0);
    const RequestRecord server = replay(*openai, fixture(QStringLiteral("vllm_completions.sse")), 200, tokenizer.get());
    QCOMPARE(server.outputTokenSource, TokenCountSource::Server);
    QCOMPARE(server.outputTokens, 15);
}

void TestBackends::requestBodies()
{
    BenchmarkConfig config;
    config.target.model = QStringLiteral("m");
    config.sampling.topK = 5;
    PromptSpec prompt { QStringLiteral("你好 world"), 3, 17 };

    auto body = [&](const char *name) {
        return nlohmann::json::parse(Backend::create(QLatin1String(name))->requestBody(prompt, config).toStdString());
    };
    const auto completions = body("openai");
    QCOMPARE(completions["prompt"].get<std::string>(), std::string("你好 world"));
    QCOMPARE(completions["max_tokens"].get<int>(), 17);
    QVERIFY(completions["stream"].get<bool>());
    QVERIFY(completions["stream_options"]["include_usage"].get<bool>());
    QVERIFY(completions["ignore_eos"].get<bool>()); // the random dataset asks for exact lengths
    QCOMPARE(completions["top_k"].get<int>(), 5);

    const auto chat = body("openai-chat");
    QCOMPARE(chat["messages"][0]["content"].get<std::string>(), std::string("你好 world"));
    QCOMPARE(chat["max_completion_tokens"].get<int>(), 17);
    QVERIFY(!chat.contains("max_tokens"));

    prompt.messages = { { QStringLiteral("user"), QStringLiteral("hi") }, { QStringLiteral("assistant"), QStringLiteral("hello") },
                        { QStringLiteral("user"), QStringLiteral("more") } };
    const auto conversation = body("openai-chat");
    QCOMPARE(conversation["messages"].size(), std::size_t(3));
    QCOMPARE(conversation["messages"][1]["role"].get<std::string>(), std::string("assistant"));
    prompt.messages.clear();

    const auto tgi = body("tgi");
    QCOMPARE(tgi["inputs"].get<std::string>(), std::string("你好 world"));
    QCOMPARE(tgi["parameters"]["max_new_tokens"].get<int>(), 17);
}

void TestBackends::unknownBackend()
{
    QVERIFY(!Backend::create(QStringLiteral("nonsense")));
    QVERIFY(Backend::create(QStringLiteral("vllm")));
}

QTEST_GUILESS_MAIN(TestBackends)
#include "tst_backends.moc"
