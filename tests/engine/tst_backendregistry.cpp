#include "backends/backend.h"
#include "backends/backendregistry.h"
#include "backends/modellist.h"
#include "core/benchmarkconfig.h"
#include "sim/simserverthread.h"
#include "simrun.h"

#include <QNetworkAccessManager>
#include <QSet>
#include <QTest>

#include <nlohmann/json.hpp>
#include <qcoro/qcorotask.h>

using namespace ts;

class TestBackendRegistry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyRowIsComplete();
    void namesAreUnique();
    void everyRowBuildsARequest();
    void aliasesFindTheirRow_data();
    void aliasesFindTheirRow();
    void authHeaders();
    void validationNamesEveryBackend();
    void builtInServerSpeaksEveryRow();
};

void TestBackendRegistry::everyRowIsComplete()
{
    QVERIFY(!backends().empty());
    for (const BackendInfo &b : backends()) {
        QVERIFY2(!b.name.isEmpty(), "a row without a name");
        QVERIFY2(b.title && *b.title, qPrintable(b.name));
        QVERIFY2(b.servers && *b.servers, qPrintable(b.name));
        QVERIFY2(!b.translatedTitle().isEmpty(), qPrintable(b.name));
        QVERIFY2(!b.translatedServers().isEmpty(), qPrintable(b.name));
        QVERIFY2(b.defaultEndpoint.startsWith(u'/'), qPrintable(b.name));
        QVERIFY2(b.modelListPath.startsWith(u'/'), qPrintable(b.name));
        QVERIFY2(bool(b.create), qPrintable(b.name));
    }
}

void TestBackendRegistry::namesAreUnique()
{
    const QStringList names = backendNames();
    QCOMPARE(QSet<QString>(names.cbegin(), names.cend()).size(), names.size());
    for (const BackendInfo &b : backends()) {
        QVERIFY(names.contains(b.name));
        for (const QString &alias : b.aliases)
            QVERIFY2(names.contains(alias), qPrintable(alias));
    }
    // The order the CLI's error message and help have always listed.
    QCOMPARE(names, QStringList({ QStringLiteral("openai"), QStringLiteral("vllm"), QStringLiteral("openai-chat"),
                                  QStringLiteral("openai-responses"), QStringLiteral("anthropic"), QStringLiteral("tgi"),
                                  QStringLiteral("llama.cpp"), QStringLiteral("ollama"), QStringLiteral("ollama-chat"),
                                  QStringLiteral("sglang"), QStringLiteral("tensorrt-llm"), QStringLiteral("openai-embeddings") }));
}

void TestBackendRegistry::everyRowBuildsARequest()
{
    BenchmarkConfig config;
    config.target.model = QStringLiteral("m");
    const PromptSpec prompt { QStringLiteral("a prompt"), 2, 9 };
    for (const BackendInfo &b : backends()) {
        const std::unique_ptr<Backend> backend = b.create();
        QVERIFY2(backend, qPrintable(b.name));
        const QByteArray body = backend->requestBody(prompt, config, b.streams);
        const auto json = nlohmann::json::parse(body.constBegin(), body.constEnd(), nullptr, false);
        QVERIFY2(json.is_object(), body.constData());
        // The prompt goes out in the shape the row says.
        // (The Responses API calls its chat messages "input", and takes a lone prompt as a string;
        // an embeddings request's "input" is its text.)
        QCOMPARE(json.contains("messages") || (json.contains("input") && b.generatesText()), b.sendsChatMessages());
        QVERIFY2(body.contains("a prompt"), body.constData());
        // The output length matters only to an API that generates.
        QCOMPARE(body.contains("9"), b.generatesText());
    }
}

void TestBackendRegistry::aliasesFindTheirRow_data()
{
    QTest::addColumn<QString>("nameOrAlias");
    QTest::addColumn<QString>("row");
    QTest::addColumn<bool>("chat");
    QTest::addRow("openai") << "openai" << "openai" << false;
    QTest::addRow("vllm") << "vllm" << "openai" << false;
    QTest::addRow("openai-chat") << "openai-chat" << "openai-chat" << true;
    QTest::addRow("tgi") << "tgi" << "tgi" << false;
    QTest::addRow("ollama-chat") << "ollama-chat" << "ollama-chat" << true;
    QTest::addRow("tensorrt-llm") << "tensorrt-llm" << "tensorrt-llm" << false;
    QTest::addRow("openai-embeddings") << "openai-embeddings" << "openai-embeddings" << false;
    QTest::addRow("unknown") << "nonsense" << QString() << false;
    QTest::addRow("case matters") << "OpenAI" << QString() << false;
    QTest::addRow("empty") << QString() << QString() << false;
}

void TestBackendRegistry::aliasesFindTheirRow()
{
    QFETCH(QString, nameOrAlias);
    QFETCH(QString, row);
    QFETCH(bool, chat);
    const BackendInfo *info = findBackend(nameOrAlias);
    QCOMPARE(info ? info->name : QString(), row);
    QCOMPARE(bool(Backend::create(nameOrAlias)), !row.isEmpty());
    QCOMPARE(sendsChatMessages(nameOrAlias), chat);
}

void TestBackendRegistry::authHeaders()
{
    BackendInfo info = *findBackend(QStringLiteral("openai"));
    using Header = QPair<QByteArray, QByteArray>;
    QCOMPARE(authHeader(info, QStringLiteral("k1")), Header(QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer k1")));
    QVERIFY(authHeader(info, QString()).first.isEmpty());
    info.auth = BackendInfo::Auth::XApiKey;
    QCOMPARE(authHeader(info, QStringLiteral("k1")), Header(QByteArrayLiteral("x-api-key"), QByteArrayLiteral("k1")));
    info.auth = BackendInfo::Auth::None;
    QVERIFY(authHeader(info, QStringLiteral("k1")).first.isEmpty());
}

void TestBackendRegistry::validationNamesEveryBackend()
{
    BenchmarkConfig config;
    config.target.backend = QStringLiteral("nonsense");
    const QString error = validationError(config);
    for (const QString &name : backendNames())
        QVERIFY2(error.contains(name), qPrintable(error));
    for (const QString &name : backendNames()) {
        config.target.backend = name;
        QVERIFY2(validationError(config).isEmpty(), qPrintable(name));
    }

    // Multi-turn needs an API that takes chat messages.
    config.datasetName = QStringLiteral("sharegpt");
    config.multiTurn = true;
    for (const QString &name : backendNames()) {
        config.target.backend = name;
        QCOMPARE(validationError(config).isEmpty(), sendsChatMessages(name));
    }
}

// The built-in server answers every row at its endpoint and its model list path, so a run
// against it works whichever API is chosen.
void TestBackendRegistry::builtInServerSpeaksEveryRow()
{
    SimServerThread server;
    QVERIFY(server.start(test::fixedServer(5, 2)).ok());
    QNetworkAccessManager manager;
    for (const QString &name : backendNames()) {
        const BackendInfo *info = findBackend(name);
        BenchmarkConfig config;
        config.target.backend = name;
        config.target.baseUrl = server.baseUrl();
        config.target.endpoint = info->defaultEndpoint;
        config.random.inputLen = 16;
        config.random.outputLen = 6;
        config.load.numPrompts = 3;

        const ModelListResult models = QCoro::waitFor(fetchModels(manager, config.target));
        QVERIFY2(models.error.isEmpty(), qPrintable(name + u' ' + models.error));
        QCOMPARE(models.models, QStringList(QStringLiteral("tokenstorm-sim")));

        config.target.model = models.models.constFirst();
        const RunResult result = test::runToEnd(config);
        QVERIFY2(result.error.isEmpty(), qPrintable(name + u' ' + result.error));
        QCOMPARE(int(result.records.size()), 3);
        for (const RequestRecord &r : result.records) {
            QVERIFY2(r.success, qPrintable(name + u' ' + r.error));
            QCOMPARE(r.outputTokens, info->generatesText() ? 6 : 0);
        }
    }
}

QTEST_GUILESS_MAIN(TestBackendRegistry)
#include "tst_backendregistry.moc"
