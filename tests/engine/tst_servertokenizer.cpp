#include "backends/backendregistry.h"
#include "datasets/randomdataset.h"
#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"
#include "pipeline/runpipeline.h"
#include "results/resultfile.h"
#include "results/resultjson.h"
#include "sim/simserverthread.h"
#include "sim/simtokenize.h"
#include "sim/simtokenizer.h"
#include "tokenizer/serverprompts.h"
#include "tokenizer/servertokenizer.h"
#include "tokenizer/tokenizeformat.h"

#include "scriptedserver.h"
#include "simrun.h"

#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

#include <nlohmann/json.hpp>
#include <qcoro/qcorotask.h>

using namespace ts;
using Api = BackendInfo::TokenizeApi;

Q_DECLARE_METATYPE(ts::BackendInfo::TokenizeApi)
Q_DECLARE_METATYPE(ts::TokenizeShape)

namespace {

QByteArray jsonReply(int status, const QByteArray &body)
{
    const QByteArray reason = status == 200 ? QByteArrayLiteral("OK") : QByteArrayLiteral("Not Found");
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n" + body;
}

// The openai row, answering tokenize requests in another API's shape: the rows of those APIs
// are not all in this build's table.
BackendInfo rowWith(Api api, bool chat = false)
{
    BackendInfo row = *findBackend(chat ? QStringLiteral("openai-chat") : QStringLiteral("openai"));
    row.tokenizeApi = api;
    row.tokenizePath = api == Api::AnthropicCount ? QStringLiteral("/v1/messages/count_tokens") : QStringLiteral("/tokenize");
    return row;
}

RunPlan randomPlan(const QUrl &server, const QString &backend)
{
    RunPlan plan;
    plan.config.target.baseUrl = server;
    plan.config.target.backend = backend;
    plan.config.target.endpoint = findBackend(backend)->defaultEndpoint;
    plan.config.load.numPrompts = 12;
    plan.config.random.inputLen = 40;
    plan.config.random.rangeRatio = 0.5;
    plan.config.random.prefixLen = 6;
    plan.config.random.outputLen = 3;
    plan.dataset.numPrompts = 12;
    plan.dataset.seed = 7;
    plan.dataset.random = plan.config.random;
    return plan;
}

PreparedRun prepare(RunPlan plan)
{
    QNetworkAccessManager network;
    return QCoro::waitFor(prepareRun(std::move(plan), network, std::make_shared<PreparationControl>()));
}

} // namespace

class TestServerTokenizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_sim.start(test::fixedServer(1, 1)).ok());
    }

    void requestBodies_data()
    {
        QTest::addColumn<Api>("api");
        QTest::addColumn<TokenizeShape>("shape");
        QTest::addColumn<QByteArray>("expected");
        QTest::addRow("vllm completion") << Api::Vllm << TokenizeShape::Completion
                                         << QByteArray(R"({"add_special":true,"add_special_tokens":true,"content":"hi","model":"m","prompt":"hi"})");
        QTest::addRow("vllm bare") << Api::Vllm << TokenizeShape::BareText
                                   << QByteArray(R"({"add_special":false,"add_special_tokens":false,"content":"hi","model":"m","prompt":"hi"})");
        QTest::addRow("vllm chat") << Api::Vllm << TokenizeShape::Chat
                                   << QByteArray(R"({"add_generation_prompt":true,"messages":[{"content":"hi","role":"user"}],"model":"m"})");
        QTest::addRow("llama.cpp") << Api::LlamaCpp << TokenizeShape::Completion
                                   << QByteArray(R"({"add_special":true,"content":"hi"})");
        QTest::addRow("tgi") << Api::Tgi << TokenizeShape::Completion << QByteArray(R"({"inputs":"hi"})");
        QTest::addRow("anthropic") << Api::AnthropicCount << TokenizeShape::Chat
                                   << QByteArray(R"({"messages":[{"content":"hi","role":"user"}],"model":"m"})");
    }

    void requestBodies()
    {
        QFETCH(Api, api);
        QFETCH(TokenizeShape, shape);
        QFETCH(QByteArray, expected);
        QCOMPARE(tokenizeRequestBody(api, QStringLiteral("m"), QStringLiteral("hi"), shape), expected);
    }

    // Replies as each server sends them, over a real socket.
    void repliesOfEachServer_data()
    {
        QTest::addColumn<Api>("api");
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<int>("tokens");
        QTest::addRow("vllm") << Api::Vllm << QByteArray(R"({"count":5,"max_model_len":4096,"tokens":[1,2,3,4,5],"token_strs":null})") << 5;
        QTest::addRow("llama.cpp ids") << Api::LlamaCpp << QByteArray(R"({"tokens":[9906,11,1917]})") << 3;
        QTest::addRow("llama.cpp pieces") << Api::LlamaCpp
                                          << QByteArray(R"({"tokens":[{"id":9906,"piece":"Hello"},{"id":1917,"piece":" world"}]})") << 2;
        QTest::addRow("tgi") << Api::Tgi
                             << QByteArray(R"([{"id":1,"text":"<s>","start":0,"stop":0},{"id":15043,"text":"Hello","start":0,"stop":5},{"id":3186,"text":" world","start":5,"stop":11}])")
                             << 3;
        QTest::addRow("anthropic") << Api::AnthropicCount << QByteArray(R"({"input_tokens":14})") << 14;
    }

    void repliesOfEachServer()
    {
        QFETCH(Api, api);
        QFETCH(QByteArray, reply);
        QFETCH(int, tokens);
        test::ScriptedServer server([&](int, QTcpSocket *socket) {
            socket->write(jsonReply(200, reply));
            socket->disconnectFromHost();
        });
        QVERIFY(server.listen());
        TargetConfig target;
        target.baseUrl = server.baseUrl();
        target.model = QStringLiteral("m");
        QNetworkAccessManager network;
        ServerTokenizer tokenizer(network, target, rowWith(api));
        const ServerTokenCount counted = QCoro::waitFor(tokenizer.count(QStringLiteral("Hello world"), TokenizeShape::Completion));
        QVERIFY2(counted.tokens, qPrintable(counted.error));
        QCOMPARE(*counted.tokens, tokens);
        QCOMPARE(server.requests(), 1);
    }

    void anotherApisReplyIsNoCount()
    {
        QVERIFY(!tokenCountOfReply(Api::Tgi, R"({"count":5})"));
        QVERIFY(!tokenCountOfReply(Api::Vllm, R"([{"id":1}])"));
        QVERIFY(!tokenCountOfReply(Api::AnthropicCount, R"({"input_tokens":-1})"));
    }

    void aChatBackendNeedsTheChatTemplate()
    {
        QNetworkAccessManager network;
        QVERIFY(!ServerTokenizer(network, {}, rowWith(Api::LlamaCpp, true)).countsPromptsExactly());
        QVERIFY(ServerTokenizer(network, {}, rowWith(Api::Vllm, true)).countsPromptsExactly());
        QVERIFY(ServerTokenizer(network, {}, rowWith(Api::LlamaCpp, false)).countsPromptsExactly());
        QVERIFY(!ServerTokenizer(network, {}, rowWith(Api::None, false)).hasEndpoint());
    }

    void theSimulatorsIdsMatchItsCount_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("english") << QStringLiteral("Hello, world! tokenization");
        QTest::addRow("chinese") << QStringLiteral("你好，世界 🚀 abc");
        QTest::addRow("spaces") << QStringLiteral("  the\tof\n model  ");
    }

    void theSimulatorsIdsMatchItsCount()
    {
        QFETCH(QString, text);
        const std::string utf8 = text.toStdString();
        const std::vector<int> ids = sim::promptTokenIds(utf8);
        QCOMPARE(int(ids.size()), sim::countPromptTokens(utf8));
        bool ok = false;
        const QByteArray decoded = sim::decodeTokenIds(ids, &ok);
        QVERIFY(ok);
        QCOMPARE(sim::promptTokenIds(decoded.toStdString()), ids);

        QNetworkAccessManager network;
        TargetConfig target;
        target.baseUrl = m_sim.baseUrl();
        for (const QString &backend : { QStringLiteral("openai"), QStringLiteral("openai-chat"), QStringLiteral("tgi") }) {
            target.backend = backend;
            ServerTokenizer tokenizer(network, target);
            const ServerTokenCount counted = QCoro::waitFor(tokenizer.count(text, tokenizer.promptShape()));
            QVERIFY2(counted.tokens, qPrintable(counted.error));
            QCOMPARE(*counted.tokens, int(ids.size()));
        }
    }

    // Without a tokenizer, every prompt the server receives counts exactly its drawn length.
    void promptsAreExactOnTheSimulator_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addRow("openai") << QStringLiteral("openai");
        QTest::addRow("openai-chat") << QStringLiteral("openai-chat");
        QTest::addRow("tgi") << QStringLiteral("tgi");
    }

    void promptsAreExactOnTheSimulator()
    {
        QFETCH(QString, backend);
        const RunPlan plan = randomPlan(m_sim.baseUrl(), backend);
        const std::vector<PromptSpec> drawn = makeRandomPrompts(plan.dataset.random, plan.dataset.numPrompts, plan.dataset.seed);
        PreparedRun prepared = prepare(plan);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        QVERIFY2(prepared.warnings.isEmpty(), qPrintable(prepared.warnings.join(u'\n')));
        QCOMPARE(prepared.config.tokenizerSource, QStringLiteral("server"));
        QCOMPARE(prepared.config.tokenizerEndpoint, QStringLiteral("/tokenize"));
        QCOMPARE(prepared.prompts.size(), drawn.size());
        // The shared prefix survives, as one text.
        const QString prefix = prepared.prompts.front().prompt.left(4);
        for (std::size_t i = 0; i < drawn.size(); ++i) {
            QCOMPARE(prepared.prompts[i].promptTokens, drawn[i].promptTokens);
            QCOMPARE(prepared.prompts[i].expectedOutputTokens, drawn[i].expectedOutputTokens);
            QVERIFY(prepared.prompts[i].prompt.startsWith(prefix));
            QCOMPARE(sim::countPromptTokens(prepared.prompts[i].prompt.toStdString()), drawn[i].promptTokens);
        }

        std::unique_ptr<BenchmarkRunner> runner(createRunner(std::move(prepared)));
        QSignalSpy finished(runner.get(), &BenchmarkRunner::finished);
        runner->start();
        QVERIFY(finished.wait(30000));
        const RunResult result = finished.constFirst().constFirst().value<RunResult>();
        QCOMPARE(result.records.size(), drawn.size());
        for (const RequestRecord &record : result.records) {
            QVERIFY2(record.success, qPrintable(record.error));
            // TGI's stream does not repeat the prompt's length: there the check above holds.
            if (backend != QLatin1String("tgi"))
                QCOMPARE(record.promptTokenSource, TokenCountSource::Server);
            QCOMPARE(record.promptTokens, drawn[std::size_t(record.index)].promptTokens);
        }

        // The result says who counted, and reads back.
        const auto json = toResultJson(result, computeMetrics(result.records, result.duration, result.config.metrics), false);
        QCOMPARE(json.value("tokenizer_source", std::string()), std::string("server"));
        QCOMPARE(json.value("tokenizer_endpoint", std::string()), std::string("/tokenize"));
        const std::optional<ResultFile> read = resultFromJson(json, QStringLiteral("run.json"));
        QVERIFY(read);
        QCOMPARE(read->setup.tokenizerSource, QStringLiteral("server"));
        QCOMPARE(read->setup.tokenizerEndpoint, QStringLiteral("/tokenize"));
        QVERIFY(read->setup.metadata.isEmpty());
        QCOMPARE(read->toRunResult().config.tokenizerEndpoint, QStringLiteral("/tokenize"));
    }

    void theSharedPrefixHasItsLength()
    {
        QNetworkAccessManager network;
        TargetConfig target;
        target.baseUrl = m_sim.baseUrl();
        ServerTokenizer tokenizer(network, target);
        RandomDatasetConfig config;
        config.inputLen = 5;
        config.prefixLen = 30;
        const ServerPrompts made = QCoro::waitFor(makeRandomPromptsOnServer(tokenizer, config, 3, 1));
        QVERIFY2(made.error.isEmpty(), qPrintable(made.error));
        QCOMPARE(made.mismatchedPrompts, 0);
        QCOMPARE(int(made.prompts.size()), 3);
        // The longest text all prompts start with holds the prefix's 30 tokens (and maybe a
        // shared word more).
        QString common = made.prompts[0].prompt;
        for (const PromptSpec &p : made.prompts) {
            while (!p.prompt.startsWith(common))
                common.chop(1);
        }
        QVERIFY(sim::countPromptTokens(common.toStdString()) >= 30);
        for (const PromptSpec &p : made.prompts)
            QCOMPARE(sim::countPromptTokens(p.prompt.toStdString()), p.promptTokens);
    }

    void cancellingStopsCounting()
    {
        QNetworkAccessManager network;
        TargetConfig target;
        target.baseUrl = m_sim.baseUrl();
        ServerTokenizer tokenizer(network, target);
        RandomDatasetConfig config;
        config.inputLen = 10;
        int reports = 0;
        const ServerPrompts made = QCoro::waitFor(makeRandomPromptsOnServer(tokenizer, config, 200, 1, [&](qint64 done, qint64) {
            ++reports;
            return done < 5;
        }));
        QVERIFY(made.cancelled);
        QVERIFY(made.prompts.empty());
        QVERIFY(reports < 200);
    }

    // A server without the endpoint: the estimate, with a warning naming why.
    void aServerWithoutTheEndpointFallsBackToTheEstimate_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<QString>("why");
        QTest::addRow("404") << 404 << QByteArray(R"({"detail":"Not Found"})") << QStringLiteral("404");
        // llama.cpp's answer to a request without "content".
        QTest::addRow("no tokens") << 200 << QByteArray(R"({"tokens":[]})") << QStringLiteral("no tokens");
        QTest::addRow("not a count") << 200 << QByteArray(R"({"ok":true})") << QStringLiteral("no token count");
    }

    void aServerWithoutTheEndpointFallsBackToTheEstimate()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, reply);
        QFETCH(QString, why);
        test::ScriptedServer server([&](int, QTcpSocket *socket) {
            socket->write(jsonReply(status, reply));
            socket->disconnectFromHost();
        });
        QVERIFY(server.listen());
        RunPlan plan = randomPlan(server.baseUrl(), QStringLiteral("openai"));
        plan.config.target.model = QStringLiteral("m");
        const PreparedRun prepared = prepare(plan);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        QCOMPARE(prepared.config.tokenizerSource, QStringLiteral("estimate"));
        QVERIFY(prepared.config.tokenizerEndpoint.isEmpty());
        QCOMPARE(prepared.warnings.size(), 1);
        QVERIFY2(prepared.warnings.constFirst().contains(QStringLiteral("/tokenize")), qPrintable(prepared.warnings.constFirst()));
        QVERIFY2(prepared.warnings.constFirst().contains(why), qPrintable(prepared.warnings.constFirst()));
        QCOMPARE(server.requests(), 1);   // the probe only
        const std::vector<PromptSpec> drawn = makeRandomPrompts(plan.dataset.random, plan.dataset.numPrompts, plan.dataset.seed);
        QCOMPARE(prepared.prompts.size(), drawn.size());
        QCOMPARE(prepared.prompts.front().prompt, drawn.front().prompt);
    }

    void aTokenizerFileIsLocal()
    {
        RunPlan plan = randomPlan(m_sim.baseUrl(), QStringLiteral("openai"));
        plan.tokenizerPath = qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QStringLiteral("/tokenizer/tiny-bytelevel.json");
        if (!QFileInfo::exists(plan.tokenizerPath))
            QSKIP("no small tokenizer in the test data");
        const PreparedRun prepared = prepare(plan);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        QCOMPARE(prepared.config.tokenizerSource, QStringLiteral("local"));
        QVERIFY(prepared.config.tokenizerEndpoint.isEmpty());
    }

private:
    SimServerThread m_sim;
};

QTEST_GUILESS_MAIN(TestServerTokenizer)
#include "tst_servertokenizer.moc"
