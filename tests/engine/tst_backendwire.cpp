// Recorded replies of the Responses and Anthropic APIs (and a chat stream with <think> tags),
// replayed over a real socket event by event, through the whole client.
#include "backends/backendregistry.h"
#include "load/benchmarkrunner.h"

#include "scriptedserver.h"
#include "simrun.h"
#include "testfiles.h"

#include <QFile>
#include <QPointer>
#include <QTest>
#include <QTimer>

#include <nlohmann/json.hpp>

using namespace ts;
using ts::test::HttpRequestBytes;
using ts::test::ScriptedServer;

namespace {

// What the client sent for one request of backend, answered with the fixture file.
HttpRequestBytes requestSentBy(const QString &backend, const QString &endpoint, const QString &apiKey,
                               int outputLen, const QString &file)
{
    ScriptedServer server([file](int, QTcpSocket *socket) {
        socket->write(ScriptedServer::streamHead() + ts::test::backendReply(file));
        socket->disconnectFromHost();
    });
    if (!server.listen())
        qFatal("cannot listen");
    BenchmarkConfig config;
    config.target.baseUrl = server.baseUrl();
    config.target.backend = backend;
    config.target.endpoint = endpoint;
    config.target.model = QStringLiteral("claude");
    config.target.apiKey = apiKey;
    config.random.inputLen = 8;
    config.random.outputLen = outputLen;
    config.load.numPrompts = 1;
    const RunResult result = test::runToEnd(config);
    if (result.records.size() != 1 || !result.records.front().success)
        return {};
    return server.lastRequest();
}

// Writes the events of stream one at a time, 25 ms apart, so that each is almost surely its
// own read on the client, then closes the connection.
void writeEventByEvent(QTcpSocket *socket, const QList<QByteArray> &events, qsizetype next = 0)
{
    if (next >= events.size()) {
        socket->disconnectFromHost();
        return;
    }
    socket->write(events[next]);
    socket->flush();
    QTimer::singleShot(25, socket, [socket, events, next] { writeEventByEvent(socket, events, next + 1); });
}

QList<QByteArray> eventsOf(const QByteArray &stream)
{
    QList<QByteArray> events;
    qsizetype start = 0;
    while (start < stream.size()) {
        qsizetype end = stream.indexOf("\n\n", start);
        end = end < 0 ? stream.size() : end + 2;
        events.append(stream.mid(start, end - start));
        start = end;
    }
    return events;
}

} // namespace

class TestBackendWire : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordedReplies_data();
    void recordedReplies();
    void anthropicHeadersAndBody();
    void responsesBody();
};

void TestBackendWire::recordedReplies_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("reasoningTags");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("chunks");
    QTest::addColumn<int>("promptTokens");
    QTest::addColumn<int>("outputTokens");
    QTest::addColumn<int>("reasoningTokens");   // -1: none
    QTest::addColumn<bool>("reasoned");          // ttfrt set, the answer after it
    QTest::addColumn<QString>("error");          // empty: success

    const QString responses = QStringLiteral("openai-responses");
    const QString anthropic = QStringLiteral("anthropic");
    QTest::addRow("responses text") << responses << QStringLiteral("openai-responses/text.sse") << false
                                    << QStringLiteral("Hi! How can I help?") << 4 << 12 << 6 << 0 << false << QString();
    // Two reasoning deltas and a summary delta are reasoning; the usage has the reasoning count.
    QTest::addRow("responses reasoning") << responses << QStringLiteral("openai-responses/reasoning.sse") << false
                                         << QStringLiteral("The user greets me.Greeting.Hello!") << 6 << 20 << 11 << 8
                                         << true << QString();
    QTest::addRow("responses failed") << responses << QStringLiteral("openai-responses/failed.sse") << false
                                      << QStringLiteral("Partial") << 2 << 0 << 0 << -1 << false
                                      << QStringLiteral("The model ran out of memory.");
    QTest::addRow("responses error event") << responses << QStringLiteral("openai-responses/error_event.sse") << false
                                           << QStringLiteral("Par") << 1 << 0 << 0 << -1 << false
                                           << QStringLiteral("Something went wrong");
    QTest::addRow("anthropic text") << anthropic << QStringLiteral("anthropic/text.sse") << false
                                    << QStringLiteral("Hello! How can I help?") << 3 << 25 << 15 << -1 << false << QString();
    // Anthropic's usage does not count thinking apart: the thinking deltas are counted.
    QTest::addRow("anthropic thinking") << anthropic << QStringLiteral("anthropic/thinking.sse") << false
                                        << QStringLiteral("Let me think; 27 * 453\n= 12,23127 * 453 = 12,231") << 5 << 25
                                        << 42 << 3 << true << QString();
    QTest::addRow("anthropic error") << anthropic << QStringLiteral("anthropic/error.sse") << false
                                     << QStringLiteral("Hel") << 1 << 25 << 0 << -1 << false
                                     << QStringLiteral("Overloaded");
    // Recorded from llama.cpp's server (tests/data/backends/README.md). Its Anthropic stream
    // reports a prompt prefix it had cached apart from input_tokens (1 + 19 cached).
    QTest::addRow("llama.cpp responses") << responses << QStringLiteral("llama.cpp-server/responses.sse") << false
                                         << QStringLiteral(" là裙子不幸эконом valleys") << 5 << 20 << 5 << -1 << false
                                         << QString();
    QTest::addRow("llama.cpp messages") << anthropic << QStringLiteral("llama.cpp-server/messages-cached-prefix.sse")
                                        << false << QStringLiteral(" là裙子不幸эконом sujet") << 5 << 20 << 5 << -1
                                        << false << QString();
    // "<think>", two lines of thought, a closing tag cut in two: five reasoning chunks.
    QTest::addRow("chat think tags") << QStringLiteral("openai-chat") << QStringLiteral("openai-chat/think_tags.sse")
                                     << true << QStringLiteral("<think>\nThe user says hi.\n</think>\n\nHello!") << 7
                                     << 9 << 9 << 5 << true << QString();
    QTest::addRow("chat tags off") << QStringLiteral("openai-chat") << QStringLiteral("openai-chat/think_tags.sse")
                                   << false << QStringLiteral("<think>\nThe user says hi.\n</think>\n\nHello!") << 7
                                   << 9 << 9 << -1 << false << QString();
}

void TestBackendWire::recordedReplies()
{
    QFETCH(QString, backend);
    QFETCH(QString, file);
    QFETCH(bool, reasoningTags);
    QFETCH(QString, text);
    QFETCH(int, chunks);
    QFETCH(int, promptTokens);
    QFETCH(int, outputTokens);
    QFETCH(int, reasoningTokens);
    QFETCH(bool, reasoned);
    QFETCH(QString, error);

    const QList<QByteArray> events = eventsOf(ts::test::backendReply(file));
    // A run begins with a test request, which must succeed for the run to go on.
    const QList<QByteArray> good = error.isEmpty() ? events : eventsOf(ts::test::backendReply(backend + QStringLiteral("/text.sse")));
    ScriptedServer server([&](int request, QTcpSocket *socket) {
        socket->write(ScriptedServer::streamHead());
        writeEventByEvent(socket, request == 0 ? good : events);
    });
    QVERIFY(server.listen());
    BenchmarkConfig config;
    config.target.baseUrl = server.baseUrl();
    config.target.backend = backend;
    config.target.endpoint = findBackend(backend)->defaultEndpoint;
    config.target.model = QStringLiteral("m");
    config.target.reasoningTags = reasoningTags;
    config.random.inputLen = 8;
    config.random.outputLen = 4;
    config.load.numPrompts = 1;
    const RunResult result = test::runToEnd(config);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 1);
    const RequestRecord &r = result.records.front();

    QCOMPARE(r.generatedText, text);
    QCOMPARE(r.contentChunks, chunks);
    if (!error.isEmpty()) {
        QVERIFY(!r.success);
        QVERIFY2(r.error.contains(error), qPrintable(r.error));
        return;
    }
    QVERIFY2(r.success, qPrintable(r.error));
    QCOMPARE(r.promptTokens, promptTokens);
    QCOMPARE(r.outputTokens, outputTokens);
    QCOMPARE(r.outputTokenSource, TokenCountSource::Server);
    QCOMPARE(r.reasoningTokens, reasoningTokens);
    if (reasoned) {
        QVERIFY(r.ttfrt >= 0.0);
        QCOMPARE(r.ttfrt, r.ttft);
        QVERIFY2(r.ttfat > r.ttfrt, qPrintable(QStringLiteral("%1 > %2").arg(r.ttfat).arg(r.ttfrt)));
    } else {
        QCOMPARE(r.ttfrt, -1.0);
        QCOMPARE(r.ttfat, -1.0);
    }
}

void TestBackendWire::anthropicHeadersAndBody()
{
    const HttpRequestBytes sent = requestSentBy(QStringLiteral("anthropic"), QStringLiteral("/v1/messages"),
                                                QStringLiteral("sk-ant-test"), 7, QStringLiteral("anthropic/text.sse"));
    QVERIFY2(!sent.head.isEmpty(), "the request did not succeed");
    const QByteArray head = sent.head.toLower();
    QVERIFY2(head.startsWith("post /v1/messages "), head.constData());
    QVERIFY2(head.contains("\r\nx-api-key: sk-ant-test\r\n"), head.constData());
    QVERIFY2(head.contains("\r\nanthropic-version: 2023-06-01\r\n"), head.constData());
    QVERIFY2(!head.contains("authorization:"), head.constData());
    const nlohmann::json body = nlohmann::json::parse(sent.body.toStdString());
    QCOMPARE(body.at("model").get<std::string>(), std::string("claude"));
    QCOMPARE(body.at("max_tokens").get<int>(), 7);
    QCOMPARE(body.at("stream").get<bool>(), true);
    QCOMPARE(body.at("messages").at(0).at("role").get<std::string>(), std::string("user"));
    QVERIFY(body.at("messages").at(0).at("content").is_string());
}

void TestBackendWire::responsesBody()
{
    const HttpRequestBytes sent = requestSentBy(QStringLiteral("openai-responses"), QStringLiteral("/v1/responses"),
                                                QStringLiteral("sk-test"), 5, QStringLiteral("openai-responses/text.sse"));
    QVERIFY2(!sent.head.isEmpty(), "the request did not succeed");
    const QByteArray head = sent.head.toLower();
    QVERIFY2(head.startsWith("post /v1/responses "), head.constData());
    QVERIFY2(head.contains("\r\nauthorization: bearer sk-test\r\n"), head.constData());
    const nlohmann::json body = nlohmann::json::parse(sent.body.toStdString());
    QCOMPARE(body.at("max_output_tokens").get<int>(), 5);
    QCOMPARE(body.at("stream").get<bool>(), true);
    QVERIFY(body.at("input").is_string() || body.at("input").is_array());
    QVERIFY(!body.contains("max_tokens"));
}

QTEST_GUILESS_MAIN(TestBackendWire)
#include "tst_backendwire.moc"
