#include "clitestutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <map>

using namespace clitest;

class TestCliRun : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runAgainstFixedLatencyServer();
    void multiTurnSendsConversationsTurnByTurn();
    void embeddingsRunUsesPoolingLayout();
    void badFlagsExitWithTwo_data();
    void badFlagsExitWithTwo();
    void tokenizerNameIsOnlyRecorded();
    void hostileTokenizerFilesRefused_data();
    void hostileTokenizerFilesRefused();
    void unreachableServerExitsWithOne();
    void everyRequestRejectedExitsWithOne();
    void rampUpIsRecordedAsVllmDoes();
    void durationRunIsRecorded();
};

// The configured truth: TTFT 40 ms, one token every 10 ms, 12 tokens per request.
void TestCliRun::runAgainstFixedLatencyServer()
{
    ServeProcess server({ QStringLiteral("--preset"), QStringLiteral("fixed"), QStringLiteral("--ttft-ms"),
                          QStringLiteral("40"), QStringLiteral("--itl-ms"), QStringLiteral("10") });
    QVERIFY(!server.url().isEmpty());
    QTemporaryDir dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-secret-do-not-write"));
    const Result r = runCli({ QStringLiteral("run"), QStringLiteral("--base-url"), server.url(),
                              QStringLiteral("--model"), QStringLiteral("tokenstorm-sim"),
                              QStringLiteral("--num-prompts"), QStringLiteral("30"),
                              QStringLiteral("--max-concurrency"), QStringLiteral("10"),
                              QStringLiteral("--random-input-len"), QStringLiteral("16"),
                              QStringLiteral("--random-output-len"), QStringLiteral("12"),
                              QStringLiteral("--percentile-metrics"), QStringLiteral("ttft,tpot,itl,e2el"),
                              QStringLiteral("--metric-percentiles"), QStringLiteral("50,99.9"),
                              QStringLiteral("--goodput"), QStringLiteral("ttft:1000"), QStringLiteral("e2el:5000"),
                              QStringLiteral("--metadata"), QStringLiteral("gpu=none"), QStringLiteral("site=ci"),
                              QStringLiteral("--label"), QStringLiteral("e2e"),
                              QStringLiteral("--save-detailed"), QStringLiteral("--result-dir"), dir.path(),
                              QStringLiteral("--result-filename"), QStringLiteral("r.json"),
                              QStringLiteral("--csv"), dir.filePath(QStringLiteral("r.csv")) },
                            120000, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("Successful requests:                     30")), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("Maximum request concurrency:             10")));
    // No tokenizer: the server's own tokenize endpoint made the prompts exact.
    QVERIFY2(r.out.contains(QLatin1String("Prompt tokens counted by: the server's /tokenize")), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("P99.9 TTFT (ms):")));

    QFile file(dir.filePath(QStringLiteral("r.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(!text.contains("sk-secret"));
    const auto json = nlohmann::json::parse(text.toStdString());
    QCOMPARE(json["completed"].get<int>(), 30);
    QCOMPARE(json["total_output_tokens"].get<int>(), 360);
    QCOMPARE(json["label"].get<std::string>(), std::string("e2e"));
    QCOMPARE(json["gpu"].get<std::string>(), std::string("none"));
    QCOMPARE(json["site"].get<std::string>(), std::string("ci"));
    QCOMPARE(json["request_rate"].get<std::string>(), std::string("inf"));
    QCOMPARE(json["max_concurrency"].get<int>(), 10);
    QCOMPARE(json["tokenizer_source"].get<std::string>(), std::string("server"));
    QCOMPARE(json["tokenizer_endpoint"].get<std::string>(), std::string("/tokenize"));
    QCOMPARE(json["total_input_tokens"].get<int>(), 30 * 16);
    QCOMPARE(json["request_goodput"].get<double>(), json["request_throughput"].get<double>());
    const double ttft = json["median_ttft_ms"].get<double>();
    QVERIFY2(ttft >= 39.9 && ttft < 60.0, qPrintable(QString::number(ttft)));
    const double itl = json["median_itl_ms"].get<double>();
    QVERIFY2(std::abs(itl - 10.0) < 3.0, qPrintable(QString::number(itl)));
    QVERIFY(json.contains("p99.9_ttft_ms"));
    QVERIFY(json.contains("p50_e2el_ms"));
    QCOMPARE(json["ttfts"].size(), std::size_t(30));
    QCOMPARE(json["itls"][0].size(), std::size_t(11));
    for (const auto &n : json["output_lens"])
        QCOMPARE(n.get<int>(), 12);
    for (const auto &n : json["input_lens"])
        QVERIFY(n.get<int>() > 0); // the server's count

    QFile csv(dir.filePath(QStringLiteral("r.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll().count('\n'), 31); // header + one row per request
}

// Every turn of each conversation once, turns of one conversation finishing in order; the
// result says it was a multi-turn run and which conversation and turn each request was.
void TestCliRun::multiTurnSendsConversationsTurnByTurn()
{
    QTemporaryDir dir;
    const QString chats = dir.filePath(QStringLiteral("chats.json"));
    nlohmann::json entries = nlohmann::json::array();
    for (int c = 0; c < 6; ++c) {
        nlohmann::json turns = nlohmann::json::array();
        for (int k = 0; k < 3; ++k) {
            turns.push_back({ { "from", "human" }, { "value", "Question " + std::to_string(k) + " of chat " + std::to_string(c) } });
            turns.push_back({ { "from", "gpt" }, { "value", "A recorded answer, long enough to count." } });
        }
        entries.push_back({ { "id", std::to_string(c) }, { "conversations", turns } });
    }
    QFile out(chats);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QByteArray::fromStdString(entries.dump()));
    out.close();
    const Result r = runCli({ QStringLiteral("run"), QStringLiteral("--builtin-server"), QStringLiteral("fixed"),
                              QStringLiteral("--backend"), QStringLiteral("openai-chat"),
                              QStringLiteral("--dataset-name"), QStringLiteral("sharegpt"),
                              QStringLiteral("--dataset-path"), chats,
                              QStringLiteral("--multi-turn"), QStringLiteral("--num-prompts"), QStringLiteral("5"),
                              QStringLiteral("--max-concurrency"), QStringLiteral("2"),
                              QStringLiteral("--save-detailed"), QStringLiteral("--result-dir"), dir.path(),
                              QStringLiteral("--result-filename"), QStringLiteral("m.json") });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QFile file(dir.filePath(QStringLiteral("m.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto json = nlohmann::json::parse(file.readAll().toStdString());
    QVERIFY(json["multi_turn"].get<bool>());
    QCOMPARE(json["num_prompts"].get<int>(), 5);
    const auto &conversations = json["conversation_indices"];
    const auto &turns = json["turn_indices"];
    QCOMPARE(int(turns.size()), json["requested"].get<int>());
    QCOMPARE(json["completed"].get<int>(), json["requested"].get<int>());
    QCOMPARE(int(turns.size()), 5 * 3);
    std::map<int, int> next;
    for (std::size_t i = 0; i < turns.size(); ++i) {
        const int c = conversations[i].get<int>();
        QVERIFY(c >= 0 && c < 5);
        QCOMPARE(turns[i].get<int>(), next[c]++);
    }
    QCOMPARE(int(next.size()), 5);
}

// vLLM's pooling run: every request is one body from the built-in server's /v1/embeddings.
void TestCliRun::embeddingsRunUsesPoolingLayout()
{
    QTemporaryDir dir;
    const Result r = runCli({ QStringLiteral("run"), QStringLiteral("--builtin-server"), QStringLiteral("fixed"),
                              QStringLiteral("--backend"), QStringLiteral("openai-embeddings"),
                              QStringLiteral("--num-prompts"), QStringLiteral("16"),
                              QStringLiteral("--random-input-len"), QStringLiteral("64"),
                              QStringLiteral("--save-result"), QStringLiteral("--result-dir"), dir.path(),
                              QStringLiteral("--result-filename"), QStringLiteral("e.json") });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("Successful requests:").leftJustified(40) + QStringLiteral(" 16")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("Input throughput (inputs/s):")));
    QVERIFY(r.out.contains(QStringLiteral("Mean E2EL (ms):")));
    QVERIFY(!r.out.contains(QStringLiteral("TTFT")));
    QFile file(dir.filePath(QStringLiteral("e.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto json = nlohmann::json::parse(file.readAll().toStdString());
    QCOMPARE(json["backend"].get<std::string>(), std::string("openai-embeddings"));
    QCOMPARE(json["completed"].get<int>(), 16);
    QCOMPARE(json["failed"].get<int>(), 0);
    QVERIFY(json["total_input_tokens"].get<int>() > 0);
    QVERIFY(json["mean_e2el_ms"].get<double>() > 0.0);
    QVERIFY(!json.contains("mean_ttft_ms"));
    QVERIFY(!json.contains("total_output_tokens"));
}

void TestCliRun::badFlagsExitWithTwo_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::addRow("not a number") << QStringList { QStringLiteral("--num-prompts"), QStringLiteral("many") } << "--num-prompts";
    QTest::addRow("unknown backend") << QStringList { QStringLiteral("--backend"), QStringLiteral("nope") } << "nope";
    QTest::addRow("unknown flag") << QStringList { QStringLiteral("--no-such-flag") } << "no-such-flag";
    QTest::addRow("bad goodput") << QStringList { QStringLiteral("--goodput"), QStringLiteral("speed:3") } << "--goodput";
    QTest::addRow("negative rate") << QStringList { QStringLiteral("--request-rate"), QStringLiteral("-1") } << "rate";
    QTest::addRow("multi-turn without chat") << QStringList { QStringLiteral("--multi-turn"), QStringLiteral("--dataset-name"), QStringLiteral("sharegpt"), QStringLiteral("--dataset-path"), QStringLiteral("x.json") } << "openai-chat";
    QTest::addRow("input longer than any model") << QStringList { QStringLiteral("--random-input-len"), QStringLiteral("100000000") } << "100000000 tokens";
    QTest::addRow("output longer than any model") << QStringList { QStringLiteral("--random-output-len"), QStringLiteral("100000000") } << "100000000 tokens";
    QTest::addRow("range ratio past the cap")
        << QStringList { QStringLiteral("--random-input-len"), QStringLiteral("9000000"), QStringLiteral("--random-range-ratio"), QStringLiteral("0.5") }
        << "13500000 tokens";
    QTest::addRow("10^9 prompts") << QStringList { QStringLiteral("--num-prompts"), QStringLiteral("1000000000") } << "GB of memory";
    QTest::addRow("sonnet input longer than any model")
        << QStringList { QStringLiteral("--dataset-name"), QStringLiteral("sonnet"), QStringLiteral("--dataset-path"), QStringLiteral("s.txt"),
                         QStringLiteral("--sonnet-input-len"), QStringLiteral("2000000000") }
        << "2000000000 tokens";
    QTest::addRow("rate 1e-9") << QStringList { QStringLiteral("--request-rate"), QStringLiteral("1e-9") } << "0.001";
    QTest::addRow("over a week to send") << QStringList { QStringLiteral("--request-rate"), QStringLiteral("0.002"), QStringLiteral("--num-prompts"), QStringLiteral("5000") } << "29 days";
    QTest::addRow("missing tokenizer.json") << QStringList { QStringLiteral("--tokenizer"), QStringLiteral("missing-tokenizer.json") } << "“missing-tokenizer.json” does not exist";
    QTest::addRow("missing relative folder") << QStringList { QStringLiteral("--tokenizer"), QStringLiteral("./models/llama") } << "does not exist";
    QTest::addRow("missing absolute path") << QStringList { QStringLiteral("--tokenizer"), QStringLiteral("/nonexistent/llama") } << "does not exist";
    QTest::addRow("bad url") << QStringList { QStringLiteral("--base-url"), QStringLiteral("ftp://x") } << "ftp://x";
    QTest::addRow("unknown ramp-up") << QStringList { QStringLiteral("--ramp-up-strategy"), QStringLiteral("cubic") } << "cubic";
    QTest::addRow("ramp-up with a rate")
        << QStringList { QStringLiteral("--ramp-up-strategy"), QStringLiteral("linear"), QStringLiteral("--ramp-up-start-rps"), QStringLiteral("1"),
                         QStringLiteral("--ramp-up-end-rps"), QStringLiteral("5"), QStringLiteral("--request-rate"), QStringLiteral("3") }
        << "do not give a request rate";
    QTest::addRow("ramp-up without end")
        << QStringList { QStringLiteral("--ramp-up-strategy"), QStringLiteral("linear"), QStringLiteral("--ramp-up-start-rps"), QStringLiteral("1") }
        << "both a start and an end rate";
    QTest::addRow("ramp-up down")
        << QStringList { QStringLiteral("--ramp-up-strategy"), QStringLiteral("linear"), QStringLiteral("--ramp-up-start-rps"), QStringLiteral("9"),
                         QStringLiteral("--ramp-up-end-rps"), QStringLiteral("2") }
        << "not be above the end rate";
    QTest::addRow("negative ramp-up")
        << QStringList { QStringLiteral("--ramp-up-strategy"), QStringLiteral("linear"), QStringLiteral("--ramp-up-start-rps"), QStringLiteral("-1"),
                         QStringLiteral("--ramp-up-end-rps"), QStringLiteral("2") }
        << "cannot be negative";
    QTest::addRow("exponential ramp-up from 0")
        << QStringList { QStringLiteral("--ramp-up-strategy"), QStringLiteral("exponential"), QStringLiteral("--ramp-up-start-rps"), QStringLiteral("0"),
                         QStringLiteral("--ramp-up-end-rps"), QStringLiteral("2") }
        << "exponential ramp-up cannot start at 0";
    QTest::addRow("fractional ramp-up rate")
        << QStringList { QStringLiteral("--ramp-up-strategy"), QStringLiteral("linear"), QStringLiteral("--ramp-up-start-rps"), QStringLiteral("0.5"),
                         QStringLiteral("--ramp-up-end-rps"), QStringLiteral("2") }
        << "--ramp-up-start-rps";
    QTest::addRow("ramp-up rates without strategy") << QStringList { QStringLiteral("--ramp-up-end-rps"), QStringLiteral("5") } << "strategy";
    QTest::addRow("zero duration") << QStringList { QStringLiteral("--duration"), QStringLiteral("0"), QStringLiteral("--request-rate"), QStringLiteral("2") } << "--duration";
    QTest::addRow("cancel without duration") << QStringList { QStringLiteral("--duration-cancel") } << "--duration-cancel needs --duration";
    QTest::addRow("endless burst") << QStringList { QStringLiteral("--duration"), QStringLiteral("5") } << "maximum concurrency";
}

void TestCliRun::badFlagsExitWithTwo()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Result r = runCli(QStringList { QStringLiteral("run") } + arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count(u'\n'), 0); // one line
}

// A model name has a slash too; it is recorded, not loaded, so the run goes on to the server.
void TestCliRun::tokenizerNameIsOnlyRecorded()
{
    const Result r = runCli({ QStringLiteral("--base-url"), QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--model"),
                              QStringLiteral("m"), QStringLiteral("--num-prompts"), QStringLiteral("3"), QStringLiteral("--tokenizer"),
                              QStringLiteral("meta-llama/Llama-3-8B") });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("refused")), qPrintable(r.err));
}

// Tokenizer files that once took all memory or crashed: one clear line and exit code 1.
void TestCliRun::hostileTokenizerFilesRefused_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<qint64>("sparseSize");
    QTest::addColumn<QString>("message");
    QTest::addRow("id 2^31-1") << QByteArray(R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 2147483647}, "merges": []}})") << qint64(0)
                               << QStringLiteral("2147483647");
    QTest::addRow("2 GB file") << QByteArray() << qint64(2) * 1024 * 1024 * 1024 << QStringLiteral("256 MB");
}

void TestCliRun::hostileTokenizerFilesRefused()
{
    QFETCH(QByteArray, content);
    QFETCH(qint64, sparseSize);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    if (sparseSize > 0)
        QVERIFY(f.resize(sparseSize));   // sparse: no disk used
    f.close();
    const Result r = runCli({ QStringLiteral("tokenize"), QStringLiteral("--tokenizer"), path, QStringLiteral("--text"), QStringLiteral("hi") });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count(u'\n'), 0);
}

void TestCliRun::unreachableServerExitsWithOne()
{
    const Result r = runCli({ QStringLiteral("--base-url"), QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--model"),
                              QStringLiteral("m"), QStringLiteral("--num-prompts"), QStringLiteral("3") });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("refused")), qPrintable(r.err));
}

// Prompts longer than the server's context are rejected with HTTP 400.
void TestCliRun::everyRequestRejectedExitsWithOne()
{
    ServeProcess server({ QStringLiteral("--preset"), QStringLiteral("fixed"), QStringLiteral("--max-model-len"), QStringLiteral("50") });
    QVERIFY(!server.url().isEmpty());
    const Result r = runCli({ QStringLiteral("--base-url"), server.url(), QStringLiteral("--num-prompts"), QStringLiteral("3"),
                              QStringLiteral("--random-input-len"), QStringLiteral("200") });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("400")), qPrintable(r.err));
}

// vLLM's keys and file name for a ramp-up run.
void TestCliRun::rampUpIsRecordedAsVllmDoes()
{
    QTemporaryDir dir;
    const Result r = runCli({ QStringLiteral("run"), QStringLiteral("--builtin-server"), QStringLiteral("fixed"),
                              QStringLiteral("--num-prompts"), QStringLiteral("20"),
                              QStringLiteral("--random-input-len"), QStringLiteral("16"),
                              QStringLiteral("--random-output-len"), QStringLiteral("4"),
                              QStringLiteral("--ramp-up-strategy"), QStringLiteral("exponential"),
                              QStringLiteral("--ramp-up-start-rps"), QStringLiteral("20"),
                              QStringLiteral("--ramp-up-end-rps"), QStringLiteral("200"),
                              QStringLiteral("--save-result"), QStringLiteral("--result-dir"), dir.path() });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList files = QDir(dir.path()).entryList({ QStringLiteral("*.json") });
    QCOMPARE(files.size(), 1);
    QVERIFY2(files.first().startsWith(QLatin1String("openai-ramp-up-exponential-20qps-200qps-")), qPrintable(files.first()));
    QFile file(dir.filePath(files.first()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto json = nlohmann::json::parse(file.readAll().toStdString());
    QCOMPARE(json["completed"].get<int>(), 20);
    QCOMPARE(json["request_rate"].get<std::string>(), std::string("inf"));
    QCOMPARE(json["ramp_up_strategy"].get<std::string>(), std::string("exponential"));
    QCOMPARE(json["ramp_up_start_rps"].get<int>(), 20);
    QCOMPARE(json["ramp_up_end_rps"].get<int>(), 200);
    QVERIFY(!json.contains("duration_limit_s"));
}

// A timed run sends past --num-prompts (cycling through the prompts) and says how it ended.
void TestCliRun::durationRunIsRecorded()
{
    QTemporaryDir dir;
    const Result r = runCli({ QStringLiteral("run"), QStringLiteral("--builtin-server"), QStringLiteral("fixed"),
                              QStringLiteral("--num-prompts"), QStringLiteral("3"),
                              QStringLiteral("--random-input-len"), QStringLiteral("16"),
                              QStringLiteral("--random-output-len"), QStringLiteral("4"),
                              QStringLiteral("--max-concurrency"), QStringLiteral("2"),
                              QStringLiteral("--duration"), QStringLiteral("1.5"), QStringLiteral("--duration-cancel"),
                              QStringLiteral("--result-dir"), dir.path(), QStringLiteral("--result-filename"), QStringLiteral("d.json") });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QFile file(dir.filePath(QStringLiteral("d.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto json = nlohmann::json::parse(file.readAll().toStdString());
    QCOMPARE(json["num_prompts"].get<int>(), 3);
    QCOMPARE(json["duration_limit_s"].get<double>(), 1.5);
    QCOMPARE(json["duration_end"].get<std::string>(), std::string("cancel"));
    const int sent = json["completed"].get<int>() + json["failed"].get<int>();
    QCOMPARE(json["requested"].get<int>(), sent);
    QVERIFY2(sent > 3, qPrintable(QString::number(sent)));
    QVERIFY2(json["duration"].get<double>() < 5.0, qPrintable(QString::number(json["duration"].get<double>())));
    QVERIFY(!json.contains("ramp_up_strategy"));
}

QTEST_GUILESS_MAIN(TestCliRun)
#include "tst_cli_run.moc"
