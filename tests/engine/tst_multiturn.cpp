#include "datasets/dataset.h"
#include "recordingproxy.h"
#include "load/benchmarkrunner.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>

using namespace ts;
using json = nlohmann::json;
using ts::test::RecordingProxy;

namespace {

QString userText(int conversation, int turn)
{
    return QStringLiteral("conversation %1 asks question %2").arg(conversation).arg(turn);
}

QString replyText(int conversation, int turn)
{
    return QStringLiteral("recorded answer %2 of conversation %1").arg(conversation).arg(turn);
}

// Conversation c has 2 + c % 3 turns; turn k carries every earlier question and recorded answer.
std::vector<ConversationScript> scripts(int count)
{
    std::vector<ConversationScript> all;
    for (int c = 0; c < count; ++c) {
        ConversationScript script;
        std::vector<ChatMessage> history { { QStringLiteral("system"), QStringLiteral("be brief") } };
        for (int k = 0; k < 2 + c % 3; ++k) {
            history.push_back({ QStringLiteral("user"), userText(c, k) });
            PromptSpec turn;
            turn.prompt = userText(c, k);
            turn.messages = history;
            turn.promptTokens = 10 * (k + 1);
            turn.expectedOutputTokens = 6;
            script.turns.push_back(turn);
            history.push_back({ QStringLiteral("assistant"), replyText(c, k) });
        }
        all.push_back(std::move(script));
    }
    return all;
}

BenchmarkConfig chatConfig(const QUrl &url, int conversations, int concurrency)
{
    BenchmarkConfig config;
    config.target.backend = QStringLiteral("openai-chat");
    config.target.endpoint = QStringLiteral("/v1/chat/completions");
    config.target.baseUrl = url;
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.datasetName = QStringLiteral("sharegpt");
    config.multiTurn = true;
    config.load.numPrompts = conversations;
    config.load.maxConcurrency = concurrency;
    return config;
}

RunResult run(BenchmarkRunner &runner)
{
    QSignalSpy finished(&runner, &BenchmarkRunner::finished);
    runner.start();
    if (!finished.wait(60000))
        return {};
    return finished.constFirst().constFirst().value<RunResult>();
}

SimServerConfig fixedServer()
{
    SimServerConfig sim = *simPresetConfig(QStringLiteral("fixed"));
    sim.ttftMs = 15;
    sim.itlMs = 2;
    return sim;
}

// Which conversation and turn a request body is, from its last user message.
std::pair<int, int> identify(const json &body)
{
    const std::string last = body["messages"].back()["content"].get<std::string>();
    const QStringList words = QString::fromStdString(last).split(u' ');
    return { words.value(1).toInt(), words.value(4).toInt() };
}

} // namespace

class TestMultiTurn : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void turnsGoInOrderWithTheirHistory_data();
    void turnsGoInOrderWithTheirHistory();
    void conversationHoldsItsSlotBetweenTurns();
    void runsConversationsOfAShareGptFile();
    void multiTurnNeedsChatAndShareGpt();
};

void TestMultiTurn::turnsGoInOrderWithTheirHistory_data()
{
    QTest::addColumn<int>("concurrency");
    QTest::addColumn<int>("warmups");
    QTest::addRow("unlimited") << 0 << 0;
    QTest::addRow("three slots, warm-ups") << 3 << 2;
}

void TestMultiTurn::turnsGoInOrderWithTheirHistory()
{
    QFETCH(int, concurrency);
    QFETCH(int, warmups);
    SimServerThread server;
    QVERIFY(server.start(fixedServer()).ok());
    RecordingProxy proxy;
    QVERIFY(proxy.listen(quint16(server.baseUrl().port())));

    const int conversations = 7;
    const std::vector<ConversationScript> all = scripts(conversations);
    int turns = 0;
    for (const ConversationScript &s : all)
        turns += int(s.turns.size());
    BenchmarkConfig config = chatConfig(proxy.url(), conversations, concurrency);
    config.load.numWarmups = warmups;
    BenchmarkRunner runner(config, all);
    const RunResult result = run(runner);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(result.config.multiTurn);
    QCOMPARE(result.requested, turns);
    QCOMPARE(int(result.records.size()), turns);

    // The runner's view: every turn once, each turn sent after the previous one ended.
    std::map<std::pair<int, int>, RequestRecord> byTurn;
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QVERIFY(r.conversation >= 0 && r.conversation < conversations);
        QVERIFY(r.turn >= 0 && r.turn < int(all[std::size_t(r.conversation)].turns.size()));
        QVERIFY(byTurn.emplace(std::pair(r.conversation, r.turn), r).second);
    }
    for (const auto &[key, r] : byTurn) {
        if (key.second == 0)
            continue;
        const RequestRecord &before = byTurn.at({ key.first, key.second - 1 });
        QVERIFY2(r.startTime >= before.startTime + before.latency,
                 qPrintable(QStringLiteral("conversation %1 turn %2").arg(key.first).arg(key.second)));
        QCOMPARE(r.index, before.index + 1);
    }

    // The server's view: probe and warm-ups are first turns; after them each conversation's
    // bodies arrive in turn order, each with the whole history before its question.
    const std::vector<RecordingProxy::Seen> &seen = proxy.seen();
    QCOMPARE(int(seen.size()), 1 + warmups + turns);
    std::map<int, int> nextTurn;
    for (std::size_t i = std::size_t(1 + warmups); i < seen.size(); ++i) {
        const json &body = seen[i].body;
        QVERIFY(body.is_object() && body.contains("messages"));
        const auto [c, k] = identify(body);
        QCOMPARE(k, nextTurn[c]++);
        const json &messages = body["messages"];
        QCOMPARE(int(messages.size()), 2 + 2 * k);
        QCOMPARE(messages[0]["role"].get<std::string>(), std::string("system"));
        for (int j = 0; j <= k; ++j) {
            QCOMPARE(QString::fromStdString(messages[std::size_t(1 + 2 * j)]["content"].get<std::string>()), userText(c, j));
            if (j < k)
                QCOMPARE(QString::fromStdString(messages[std::size_t(2 + 2 * j)]["content"].get<std::string>()),
                         replyText(c, j));
        }
    }
    for (int c = 0; c < conversations; ++c)
        QCOMPARE(nextTurn[c], int(all[std::size_t(c)].turns.size()));
}

// N slots mean N conversations at once: a waiting conversation does not slip into the gap
// between two turns of a running one.
void TestMultiTurn::conversationHoldsItsSlotBetweenTurns()
{
    SimServerThread server;
    QVERIFY(server.start(fixedServer()).ok());
    const int slots = 2;
    BenchmarkRunner runner(chatConfig(server.baseUrl(), 6, slots), scripts(6));
    const RunResult result = run(runner);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 2 + 3 + 4 + 2 + 3 + 4);

    std::map<int, std::pair<double, double>> span;   // conversation -> first send, last end
    for (const RequestRecord &r : result.records) {
        auto [it, fresh] = span.try_emplace(r.conversation, r.startTime, r.startTime + r.latency);
        if (!fresh) {
            it->second.first = std::min(it->second.first, r.startTime);
            it->second.second = std::max(it->second.second, r.startTime + r.latency);
        }
    }
    std::vector<std::pair<double, int>> events;   // ends sort before starts at the same time
    for (const auto &[c, s] : span) {
        events.push_back({ s.first, +1 });
        events.push_back({ s.second, -1 });
    }
    std::sort(events.begin(), events.end());
    int active = 0;
    int peak = 0;
    for (const auto &e : events) {
        active += e.second;
        peak = std::max(peak, active);
    }
    QCOMPARE(peak, slots);
    // Later turns never wait for a slot; first turns may.
    for (const RequestRecord &r : result.records) {
        if (r.turn > 0)
            QVERIFY(r.queueTime < 0.05);
    }
}

void TestMultiTurn::runsConversationsOfAShareGptFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("chats.json"));
    json file = json::array();
    for (int c = 0; c < 5; ++c) {
        json turns = json::array();
        for (int k = 0; k < 3; ++k) {
            turns.push_back({ { "from", "human" }, { "value", userText(c, k).toStdString() } });
            turns.push_back({ { "from", "gpt" }, { "value", replyText(c, k).toStdString() } });
        }
        file.push_back({ { "id", std::to_string(c) }, { "conversations", turns } });
    }
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QByteArray::fromStdString(file.dump()));
    out.close();

    DatasetConfig dataset;
    dataset.name = QStringLiteral("sharegpt");
    dataset.path = path;
    dataset.numPrompts = 4;
    QString error;
    std::optional<std::vector<ConversationScript>> loaded = loadConversations(dataset, nullptr, &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(int(loaded->size()), 4);

    SimServerThread server;
    QVERIFY(server.start(fixedServer()).ok());
    BenchmarkRunner runner(chatConfig(server.baseUrl(), 4, 2), std::move(*loaded));
    const RunResult result = run(runner);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 12);
    std::map<int, int> lastTurn;
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        // Completion order within a conversation is turn order.
        const auto it = lastTurn.find(r.conversation);
        QCOMPARE(r.turn, it == lastTurn.end() ? 0 : it->second + 1);
        lastTurn[r.conversation] = r.turn;
        // The server counted the growing history.
        QCOMPARE(r.promptTokenSource, TokenCountSource::Server);
    }
}

void TestMultiTurn::multiTurnNeedsChatAndShareGpt()
{
    BenchmarkConfig config = chatConfig(QUrl(QStringLiteral("http://127.0.0.1:9")), 1, 0);
    QVERIFY(validationError(config).isEmpty());
    config.target.backend = QStringLiteral("openai");
    QVERIFY(!validationError(config).isEmpty());
    config = chatConfig(QUrl(QStringLiteral("http://127.0.0.1:9")), 1, 0);
    config.datasetName = QStringLiteral("random");
    QVERIFY(!validationError(config).isEmpty());
}

QTEST_GUILESS_MAIN(TestMultiTurn)
#include "tst_multiturn.moc"
