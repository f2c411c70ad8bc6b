#include "datasets/chattemplate.h"
#include "datasets/dataset.h"
#include "datasets/datasetsummary.h"
#include "datasets/pythonrandom.h"
#include "datasets/randomdataset.h"
#include "datasets/workloadlimits.h"
#include "tokenizer/tokenizer.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <numeric>

using namespace ts;

namespace {

QString dataPath(const QString &name)
{
    return qEnvironmentVariable("TOKENSTORM_TEST_DATA") + u'/' + name;
}

// A committed tokenizer (tests/data/tokenizer) or a real model's, fetched by the
// fetch_tokenizers fixture; null when not there.
std::shared_ptr<const Tokenizer> tokenizerNamed(const QString &name)
{
    QString path = dataPath(QStringLiteral("tokenizer/") + name + QStringLiteral(".json"));
    if (!QFile::exists(path))
        path = qEnvironmentVariable("TOKENSTORM_TOKENIZERS_DIR") + u'/' + name;
    if (!QFile::exists(path))
        return nullptr;
    QString error;
    auto tokenizer = Tokenizer::load(path, &error);
    if (!tokenizer)
        qWarning("%s", qPrintable(error));
    return tokenizer;
}

#define REQUIRE_TOKENIZER(var, name)                                                                              \
    const auto var = tokenizerNamed(name);                                                                        \
    if (!var)                                                                                                     \
        QSKIP("The " name " tokenizer is not here: run the fetch_tokenizers test with npm and a network, or set " \
              "TOKENSTORM_TOKENIZERS_DIR.");

DatasetConfig configFor(const QString &name, const QString &file, int numPrompts)
{
    DatasetConfig config;
    config.name = name;
    config.path = file.isEmpty() ? QString() : dataPath(QStringLiteral("datasets/") + file);
    config.numPrompts = numPrompts;
    return config;
}

} // namespace

class TestDatasets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pythonRandomMatchesCPython();
    void shareGptAsVllm_data();
    void shareGptAsVllm();
    void shareGptFixedOutputLength();
    void shareGptRejectsBrokenFiles_data();
    void shareGptRejectsBrokenFiles();
    void sonnetAsVllm_data();
    void sonnetAsVllm();
    void customJsonl();
    void customCsv();
    void customRejectsBrokenFiles_data();
    void customRejectsBrokenFiles();
    void multiTurnConversations();
    void exactRandomLengths_data();
    void exactRandomLengths();
    void randomWithoutTokenizerUnchanged();
    void prefixRepetition();
    void progressAndCancel();
    void unknownDataset();
    void chatTemplates_data();
    void chatTemplates();
    void summary();
    void emptyAndUnusableFiles_data();
    void emptyAndUnusableFiles();
    void workloadTooLarge_data();
    void workloadTooLarge();
    void workloadThatFits();
    void requestRateLimits_data();
    void requestRateLimits();
};

// Reference values printed by CPython 3 (random.seed, shuffle, getrandbits, random, choice, choices).
void TestDatasets::pythonRandomMatchesCPython()
{
    PythonRandom r(0);
    std::vector<int> items { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    r.shuffle(items);
    QCOMPARE(items, (std::vector<int> { 7, 8, 1, 5, 3, 4, 2, 0, 9, 6 }));
    r.seed64(0);
    QCOMPARE(r.next32(), 3626764237U);
    QCOMPARE(r.next32(), 1654615998U);
    QCOMPARE(r.next32(), 3255389356U);
    r.seed64(12345678901ULL);
    QCOMPARE(r.uniform(), 0.9460118159397316);
    QCOMPARE(r.choiceIndex(1000), std::size_t(335));
    r.seed64(0);
    std::vector<std::size_t> picks;
    for (int i = 0; i < 5; ++i)
        picks.push_back(r.choicesIndex(100));
    QCOMPARE(picks, (std::vector<std::size_t> { 84, 75, 42, 25, 51 }));
}

void TestDatasets::shareGptAsVllm_data()
{
    QTest::addColumn<QString>("tokenizer");
    QTest::addColumn<int>("numPrompts");
    QTest::addColumn<QStringList>("prompts");   // the start of each prompt, in order
    QTest::addColumn<QList<int>>("inputLengths");
    QTest::addColumn<QList<int>>("outputLengths");
    // Expected: vLLM's ShareGPTDataset (Python random, Hugging Face tokenizers) on sharegpt.json, seed 0.
    const QStringList order { QStringLiteral("Explain TTFT"), QStringLiteral("Give me three"), QStringLiteral("Write a Python"),
                              QStringLiteral("A prompt whose"), QStringLiteral("请用中文"), QStringLiteral("Summarize:"),
                              QStringLiteral("What is the capital"), QStringLiteral("What is 2 + 2") };
    QStringList tinyOrder = order;
    tinyOrder.removeAt(3);   // its long answer passes 2048 tokens with this small vocabulary
    // 7 conversations pass; 3 more come from oversampling (random.choice, seed 0).
    QTest::addRow("tiny-bytelevel") << QStringLiteral("tiny-bytelevel") << 10
                                    << (tinyOrder + QStringList { QStringLiteral("What is 2 + 2"), QStringLiteral("请用中文"), QStringLiteral("What is 2 + 2") })
                                    << QList<int> { 41, 17, 37, 90, 45, 39, 29, 29, 90, 29 }
                                    << QList<int> { 63, 25, 26, 130, 37, 35, 41, 41, 130, 41 };
    QTest::addRow("qwen3") << QStringLiteral("qwen3") << 8 << order << QList<int> { 14, 5, 9, 7, 18, 20, 11, 12 }
                           << QList<int> { 23, 9, 12, 1501, 26, 16, 14, 15 };
    // Llama 2 adds a BOS to both sides.
    QTest::addRow("llama2") << QStringLiteral("llama2") << 8 << order << QList<int> { 17, 6, 10, 8, 32, 21, 12, 13 }
                            << QList<int> { 26, 10, 15, 1502, 44, 17, 14, 17 };
}

void TestDatasets::shareGptAsVllm()
{
    QFETCH(QString, tokenizer);
    QFETCH(int, numPrompts);
    QFETCH(QStringList, prompts);
    QFETCH(QList<int>, inputLengths);
    QFETCH(QList<int>, outputLengths);
    const auto tok = tokenizerNamed(tokenizer);
    if (!tok)
        QSKIP("Tokenizer not fetched: run the fetch_tokenizers test with npm and a network.");
    QString error;
    const auto result = loadDataset(configFor(QStringLiteral("sharegpt"), QStringLiteral("sharegpt.json"), numPrompts),
                                    tok.get(), &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(int(result->prompts.size()), numPrompts);
    for (int i = 0; i < numPrompts; ++i) {
        QVERIFY2(result->prompts[std::size_t(i)].prompt.startsWith(prompts.at(i)), qPrintable(result->prompts[std::size_t(i)].prompt));
        QCOMPARE(result->prompts[std::size_t(i)].promptTokens, inputLengths.at(i));
        QCOMPARE(result->prompts[std::size_t(i)].expectedOutputTokens, outputLengths.at(i));
    }
    QCOMPARE(result->recordsRead, 14);
    QCOMPARE(result->recordsSkipped, tokenizer == QLatin1String("tiny-bytelevel") ? 1 : 0);
    if (result->recordsSkipped)
        QVERIFY2(result->warnings.join(u' ').contains(QStringLiteral("byte")), qPrintable(result->warnings.join(u' ')));
    QVERIFY(!result->lengthsEstimated);
}

void TestDatasets::shareGptFixedOutputLength()
{
    const auto tok = tokenizerNamed(QStringLiteral("tiny-bytelevel"));
    QVERIFY(tok);
    DatasetConfig config = configFor(QStringLiteral("sharegpt"), QStringLiteral("sharegpt.json"), 100);
    config.sharegptOutputLen = 3;   // below the minimum of 4: allowed once fixed
    config.noOversample = true;
    QString error;
    const auto result = loadDataset(config, tok.get(), &error);
    QVERIFY2(result, qPrintable(error));
    // With a fixed length the short answer ("Ok") and the long one pass; "Hi" and the
    // 1100-word prompt do not.
    QCOMPARE(int(result->prompts.size()), 9);
    for (const PromptSpec &p : result->prompts)
        QCOMPARE(p.expectedOutputTokens, 3);
    QCOMPARE(result->oversampled, 0);
}

void TestDatasets::shareGptRejectsBrokenFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("truncated") << QStringLiteral("sharegpt-truncated.json") << QStringLiteral("byte");
    QTest::addRow("object") << QStringLiteral("sharegpt-object.json") << QStringLiteral("array");
    QTest::addRow("missing") << QStringLiteral("no-such-file.json") << QStringLiteral("no-such-file.json");
    QTest::addRow("no conversations") << QStringLiteral("custom.csv") << QStringLiteral("custom.csv");
}

void TestDatasets::shareGptRejectsBrokenFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!loadDataset(configFor(QStringLiteral("sharegpt"), file, 5), nullptr, &error));
    QVERIFY2(error.contains(file), qPrintable(error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestDatasets::sonnetAsVllm_data()
{
    QTest::addColumn<QString>("tokenizer");
    QTest::addColumn<int>("seed");
    QTest::addColumn<QList<int>>("inputLengths");
    // Expected: vLLM's SonnetDataset with --sonnet-input-len 550 --sonnet-output-len 150
    // --sonnet-prefix-len 200, the model's chat template rendered by Jinja (none for tiny).
    QTest::addRow("tiny-bytelevel") << QStringLiteral("tiny-bytelevel") << 3 << QList<int> { 539, 524, 526, 543, 531, 528 };
    QTest::addRow("qwen3") << QStringLiteral("qwen3") << 0 << QList<int> { 548, 543, 550, 543, 549, 542, 536, 537 };
    QTest::addRow("llama3") << QStringLiteral("llama3") << 0 << QList<int> { 550, 545, 545, 550, 543, 538, 539, 540 };
    QTest::addRow("deepseek_v3") << QStringLiteral("deepseek_v3") << 0 << QList<int> { 543, 548, 544, 537, 538, 541, 544, 541 };
}

void TestDatasets::sonnetAsVllm()
{
    QFETCH(QString, tokenizer);
    QFETCH(int, seed);
    QFETCH(QList<int>, inputLengths);
    const auto tok = tokenizerNamed(tokenizer);
    if (!tok)
        QSKIP("Tokenizer not fetched: run the fetch_tokenizers test with npm and a network.");
    DatasetConfig config = configFor(QStringLiteral("sonnet"), QStringLiteral("sonnet.txt"), int(inputLengths.size()));
    config.seed = std::uint64_t(seed);
    QString error;
    const auto result = loadDataset(config, tok.get(), &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(int(result->prompts.size()), int(inputLengths.size()));
    for (int i = 0; i < inputLengths.size(); ++i) {
        const PromptSpec &p = result->prompts[std::size_t(i)];
        QCOMPARE(p.promptTokens, inputLengths.at(i));
        QCOMPARE(p.expectedOutputTokens, 150);
        // Every prompt shares the instruction and the file's first lines.
        QVERIFY(p.prompt.contains(QStringLiteral("Pick as many lines as you can from these poem lines:\nShall I compare thee")));
    }
    // The chat variant sends the text without the template but counts it with the template.
    config.chatBackend = true;
    const auto chat = loadDataset(config, tok.get(), &error);
    QVERIFY2(chat, qPrintable(error));
    QVERIFY(chat->prompts.front().prompt.startsWith(QStringLiteral("Pick as many lines")));
    QCOMPARE(chat->prompts.front().promptTokens, inputLengths.front());
}

void TestDatasets::customJsonl()
{
    const auto tok = tokenizerNamed(QStringLiteral("tiny-bytelevel"));
    QVERIFY(tok);
    DatasetConfig config = configFor(QStringLiteral("custom"), QStringLiteral("custom.jsonl"), 0);   // 0: all records
    config.disableShuffle = true;
    QString error;
    const auto result = loadDataset(config, tok.get(), &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(int(result->prompts.size()), 4);
    QCOMPARE(result->recordsSkipped, 4);
    QCOMPARE(result->recordsRead, 8);
    const QString warnings = result->warnings.join(u'\n');
    QVERIFY2(warnings.contains(QStringLiteral("4 malformed")), qPrintable(warnings));
    QVERIFY2(warnings.contains(QStringLiteral("custom.jsonl, line 4")), qPrintable(warnings));
    QCOMPARE(result->prompts[0].expectedOutputTokens, 32);
    QCOMPARE(result->prompts[1].expectedOutputTokens, 256);   // --custom-output-len
    QCOMPARE(result->prompts[2].messages.size(), std::size_t(2));
    QCOMPARE(result->prompts[2].messages[1].content, QStringLiteral("Name a prime number."));
    QCOMPARE(result->prompts[2].expectedOutputTokens, 8);
    QCOMPARE(result->prompts[3].prompt, QStringLiteral("用一句话介绍长城。"));   // no chat template in this tokenizer
    QCOMPARE(result->prompts[0].promptTokens, tok->countTokens(result->prompts[0].prompt, true));

    // vLLM shuffles custom prompts with seed 0 and oversamples to --num-prompts.
    config.disableShuffle = false;
    config.numPrompts = 6;
    const auto shuffled = loadDataset(config, tok.get(), &error);
    QVERIFY2(shuffled, qPrintable(error));
    QCOMPARE(int(shuffled->prompts.size()), 6);
    QCOMPARE(shuffled->oversampled, 2);
}

void TestDatasets::customCsv()
{
    DatasetConfig config = configFor(QStringLiteral("custom"), QStringLiteral("custom.csv"), 0);
    config.disableShuffle = true;
    QString error;
    const auto result = loadDataset(config, nullptr, &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(int(result->prompts.size()), 4);
    QCOMPARE(result->recordsSkipped, 2);
    QVERIFY(result->lengthsEstimated);
    QCOMPARE(result->prompts[0].prompt, QStringLiteral("Write a haiku about autumn, with a comma."));
    QCOMPARE(result->prompts[0].expectedOutputTokens, 40);
    QCOMPARE(result->prompts[1].prompt, QStringLiteral("A prompt on\ntwo lines with \"quotes\""));
    QCOMPARE(result->prompts[1].expectedOutputTokens, 256);
    QCOMPARE(result->prompts[3].prompt, QStringLiteral("最后一个提示"));
    const QString warnings = result->warnings.join(u'\n');
    QVERIFY2(warnings.contains(QStringLiteral("custom.csv, line 6")), qPrintable(warnings));   // the first bad row
}

void TestDatasets::customRejectsBrokenFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("no prompt column") << QStringLiteral("custom-noprompt.csv") << QStringLiteral("line 1");
    QTest::addRow("no usable record") << QStringLiteral("custom-allbad.jsonl") << QStringLiteral("line 1");
    QTest::addRow("no path") << QString() << QStringLiteral("--dataset-path");
}

void TestDatasets::customRejectsBrokenFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!loadDataset(configFor(QStringLiteral("custom"), file, 5), nullptr, &error));
    QVERIFY2(error.contains(file), qPrintable(error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestDatasets::multiTurnConversations()
{
    const auto tok = tokenizerNamed(QStringLiteral("tiny-bytelevel"));
    QVERIFY(tok);
    DatasetConfig config = configFor(QStringLiteral("sharegpt"), QStringLiteral("sharegpt.json"), 100);
    config.disableShuffle = true;
    QString error;
    const auto scripts = loadConversations(config, tok.get(), &error);
    QVERIFY2(scripts, qPrintable(error));
    // Every conversation with a user turn and a reply, the malformed one ("i") left out.
    QCOMPARE(int(scripts->size()), 11);
    // "f" has user, assistant, user: one turn with a reply.
    const ConversationScript &chinese = (*scripts)[3];
    QCOMPARE(int(chinese.turns.size()), 1);
    const PromptSpec &turn = chinese.turns.front();
    QVERIFY(turn.prompt.startsWith(QStringLiteral("请用中文")));
    QCOMPARE(turn.messages.size(), std::size_t(1));
    QCOMPARE(turn.messages.front().role, QStringLiteral("user"));
    QCOMPARE(turn.promptTokens, tok->countTokens(turn.prompt, true));
    QCOMPARE(turn.expectedOutputTokens,
             tok->countTokens(QStringLiteral("大语言模型的推理服务把模型部署在服务器上，首字延迟是从发送请求到收到第一个词元的时间。")));

    // A longer conversation: every later turn carries the recorded history.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("multi.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"([{"conversations": [{"from": "system", "value": "Be brief."},
                   {"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello!"},
                   {"from": "human", "value": "Name a color."}, {"from": "gpt", "value": "Blue."},
                   {"from": "human", "value": "Thanks"}]}])");
    file.close();
    config.path = path;
    const auto multi = loadConversations(config, tok.get(), &error);
    QVERIFY2(multi, qPrintable(error));
    QCOMPARE(int(multi->size()), 1);
    const std::vector<PromptSpec> &turns = multi->front().turns;
    QCOMPARE(int(turns.size()), 2);   // the last user message has no recorded reply
    QCOMPARE(turns[1].messages.size(), std::size_t(4));
    QCOMPARE(turns[1].messages[0].role, QStringLiteral("system"));
    QCOMPARE(turns[1].messages[2].content, QStringLiteral("Hello!"));
    QCOMPARE(turns[1].prompt, QStringLiteral("Name a color."));
    QCOMPARE(turns[1].expectedOutputTokens, tok->countTokens(QStringLiteral("Blue.")));
    QVERIFY(turns[1].promptTokens > turns[0].promptTokens);
}

void TestDatasets::exactRandomLengths_data()
{
    QTest::addColumn<QString>("tokenizer");
    QTest::addColumn<double>("rangeRatio");
    for (const char *name : { "tiny-bytelevel", "tiny-sentencepiece", "qwen3", "llama3", "deepseek_v3", "llama2" }) {
        QTest::addRow("%s fixed", name) << QString::fromLatin1(name) << 0.0;
        QTest::addRow("%s range", name) << QString::fromLatin1(name) << 0.5;
    }
}

void TestDatasets::exactRandomLengths()
{
    QFETCH(QString, tokenizer);
    QFETCH(double, rangeRatio);
    const auto tok = tokenizerNamed(tokenizer);
    if (!tok)
        QSKIP("Tokenizer not fetched: run the fetch_tokenizers test with npm and a network.");
    RandomDatasetConfig config;
    config.inputLen = 200;
    config.outputLen = 20;
    config.rangeRatio = rangeRatio;
    config.prefixLen = 16;
    int mismatch = -1;
    const std::vector<PromptSpec> prompts = makeRandomPrompts(config, 12, 7, *tok, &mismatch);
    QCOMPARE(int(prompts.size()), 12);
    QCOMPARE(mismatch, 0);
    const int special = tok->numSpecialTokensToAdd();
    bool varied = false;
    for (const PromptSpec &p : prompts) {
        // The prompt, as the server will tokenize it, has exactly the length it claims.
        QCOMPARE(tok->countTokens(p.prompt, true), p.promptTokens);
        if (rangeRatio == 0.0) {
            QCOMPARE(p.promptTokens, config.prefixLen + config.inputLen);
            QCOMPARE(p.expectedOutputTokens, config.outputLen);
        } else {
            const int sampled = p.promptTokens - config.prefixLen - special;
            QVERIFY(sampled >= int((config.inputLen - special) * 0.5) - 1);
            QVERIFY(sampled <= int((config.inputLen - special) * 1.5) + 1);
            varied = varied || p.promptTokens != prompts.front().promptTokens;
        }
    }
    QVERIFY(rangeRatio == 0.0 || varied);
    // Seeded: the same flags give the same workload.
    const std::vector<PromptSpec> again = makeRandomPrompts(config, 12, 7, *tok);
    QCOMPARE(again.back().prompt, prompts.back().prompt);
}

void TestDatasets::randomWithoutTokenizerUnchanged()
{
    RandomDatasetConfig config;
    config.inputLen = 50;
    config.outputLen = 10;
    DatasetConfig dataset;
    dataset.random = config;
    dataset.numPrompts = 3;
    QString error;
    const auto result = loadDataset(dataset, nullptr, &error);
    QVERIFY2(result, qPrintable(error));
    const std::vector<PromptSpec> direct = makeRandomPrompts(config, 3, 0);
    QCOMPARE(int(result->prompts.size()), 3);
    QCOMPARE(result->prompts[2].prompt, direct[2].prompt);
    QCOMPARE(result->prompts[2].promptTokens, 50);
}

void TestDatasets::prefixRepetition()
{
    const auto tok = tokenizerNamed(QStringLiteral("tiny-bytelevel"));
    QVERIFY(tok);
    DatasetConfig config = configFor(QStringLiteral("prefix_repetition"), QString(), 10);
    config.prefixRepetitionNumPrefixes = 3;
    config.prefixRepetitionPrefixLen = 40;
    config.prefixRepetitionSuffixLen = 10;
    config.prefixRepetitionOutputLen = 7;
    QString error;
    const auto result = loadDataset(config, tok.get(), &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(int(result->prompts.size()), 9);   // 3 prefixes x (10 / 3) prompts
    QSet<QString> prefixes;
    for (const PromptSpec &p : result->prompts) {
        QCOMPARE(p.expectedOutputTokens, 7);
        QCOMPARE(tok->countTokens(p.prompt, true), p.promptTokens);
        prefixes.insert(p.prompt.left(12));
    }
    QCOMPARE(prefixes.size(), 3);

    config.numPrompts = 2;
    QVERIFY(!loadDataset(config, tok.get(), &error));
    QVERIFY2(error.contains(QStringLiteral("--prefix-repetition-num-prefixes")), qPrintable(error));
}

void TestDatasets::progressAndCancel()
{
    int calls = 0;
    QString error;
    const auto result = loadDataset(configFor(QStringLiteral("sharegpt"), QStringLiteral("sharegpt.json"), 5), nullptr, &error,
                                    [&](qint64 done, qint64 total) {
                                        ++calls;
                                        return done <= total;
                                    });
    QVERIFY2(result, qPrintable(error));
    QVERIFY(calls > 0);
    const auto cancelled = loadDataset(configFor(QStringLiteral("sharegpt"), QStringLiteral("sharegpt.json"), 5), nullptr,
                                       &error, [](qint64, qint64) { return false; });
    QVERIFY(!cancelled);
    QVERIFY(error.isEmpty());
}

void TestDatasets::unknownDataset()
{
    QString error;
    QVERIFY(!loadDataset(configFor(QStringLiteral("burst"), QString(), 5), nullptr, &error));
    QVERIFY2(error.contains(QStringLiteral("sharegpt")), qPrintable(error));
}

void TestDatasets::chatTemplates_data()
{
    QTest::addColumn<QString>("chatTemplate");
    QTest::addColumn<QString>("bos");
    QTest::addColumn<QString>("expected");
    const QString content = QStringLiteral("  Hello\nworld  ");
    // Rendered by Jinja from the models' tokenizer_config.json (the template text abbreviated to
    // what identifies the family).
    QTest::addRow("qwen3") << QStringLiteral("{{- '<|im_start|>' + message.role + '\\n' + content + '<|im_end|>' + '\\n' }}") << QString()
                           << QStringLiteral("<|im_start|>user\n  Hello\nworld  <|im_end|>\n<|im_start|>assistant\n");
    QTest::addRow("qwen2.5") << QStringLiteral("{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}<|im_start|>")
                             << QString()
                             << QStringLiteral("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                                               "<|im_start|>user\n  Hello\nworld  <|im_end|>\n<|im_start|>assistant\n");
    QTest::addRow("llama3") << QStringLiteral("{% set content = '<|start_header_id|>' + message['role'] %}") << QStringLiteral("<|begin_of_text|>")
                            << QStringLiteral("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHello\nworld<|eot_id|>"
                                              "<|start_header_id|>assistant<|end_header_id|>\n\n");
    QTest::addRow("llama3.1") << QStringLiteral("<|start_header_id|> Cutting Knowledge Date: December 2023 date_string = \"26 Jul 2024\"")
                              << QStringLiteral("<|begin_of_text|>")
                              << QStringLiteral("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                                                "Today Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHello\nworld<|eot_id|>"
                                                "<|start_header_id|>assistant<|end_header_id|>\n\n");
    QTest::addRow("deepseek-v3") << QStringLiteral("{{'<\uFF5CUser\uFF5C>' + message['content']}}") << QStringLiteral("<\uFF5Cbegin\u2581of\u2581sentence\uFF5C>")
                                 << QStringLiteral("<\uFF5Cbegin\u2581of\u2581sentence\uFF5C><\uFF5CUser\uFF5C>  Hello\nworld  <\uFF5CAssistant\uFF5C>");
    QTest::addRow("llama2") << QStringLiteral("<<SYS>> [INST]") << QStringLiteral("<s>") << QStringLiteral("<s>[INST] Hello\nworld [/INST]");
    QTest::addRow("unknown") << QStringLiteral("{{ messages }}") << QString() << QString();
}

void TestDatasets::chatTemplates()
{
    QFETCH(QString, chatTemplate);
    QFETCH(QString, bos);
    QFETCH(QString, expected);
    const auto rendered = renderSingleUserPrompt(chatTemplate, bos, QStringLiteral("  Hello\nworld  "));
    if (expected.isEmpty())
        QVERIFY(!rendered);
    else
        QCOMPARE(rendered.value_or(QString()), expected);
}

void TestDatasets::summary()
{
    std::vector<PromptSpec> prompts;
    for (int i = 0; i < 100; ++i)
        prompts.push_back({ QString(), 100 + i, 10 + (i % 5), {} });
    const DatasetSummary s = summarizePrompts(prompts, 10);
    QCOMPARE(s.count, 100);
    QCOMPARE(s.input.minimum, 100);
    QCOMPARE(s.input.maximum, 199);
    QCOMPARE(s.input.mean, 149.5);
    QCOMPARE(int(s.input.bins.size()), 10);
    QCOMPARE(std::accumulate(s.input.bins.begin(), s.input.bins.end(), 0), 100);
    QCOMPARE(int(s.output.bins.size()), 5);   // never narrower than one token
    QCOMPARE(s.output.bins[0], 20);
}

void TestDatasets::emptyAndUnusableFiles_data()
{
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("mentions");
    const QString empty = QStringLiteral("is empty");
    QTest::addRow("sharegpt 0 bytes") << QStringLiteral("sharegpt") << QStringLiteral("d.json") << QByteArray() << empty;
    QTest::addRow("sharegpt blank") << QStringLiteral("sharegpt") << QStringLiteral("d.json") << QByteArray(" \n\n ") << empty;
    QTest::addRow("jsonl 0 bytes") << QStringLiteral("custom") << QStringLiteral("d.jsonl") << QByteArray() << empty;
    QTest::addRow("jsonl blank lines") << QStringLiteral("custom") << QStringLiteral("d.jsonl") << QByteArray("\n  \n\r\n") << empty;
    QTest::addRow("csv 0 bytes") << QStringLiteral("custom") << QStringLiteral("d.csv") << QByteArray() << empty;
    QTest::addRow("csv header only") << QStringLiteral("custom") << QStringLiteral("d.csv") << QByteArray("prompt,output_len\n") << empty;
    QTest::addRow("sonnet 0 bytes") << QStringLiteral("sonnet") << QStringLiteral("d.txt") << QByteArray() << empty;
    QTest::addRow("sonnet blank lines") << QStringLiteral("sonnet") << QStringLiteral("d.txt") << QByteArray("\n\n \n") << empty;
    QTest::addRow("jsonl only invalid rows") << QStringLiteral("custom") << QStringLiteral("d.jsonl")
                                            << QByteArray("{\"x\": 1}\nnot json\n[]\n") << QStringLiteral("no usable rows (3 skipped; the first:");
    QTest::addRow("sharegpt only invalid entries")
        << QStringLiteral("sharegpt") << QStringLiteral("d.json")
        << QByteArray(R"([{"conversations": [{"from": "human", "value": 5}, {"from": "gpt", "value": "x"}]},
                          {"conversations": [{"from": "human"}, {"from": "gpt", "value": "x"}]}])")
        << QStringLiteral("no usable rows (2 skipped");
}

void TestDatasets::emptyAndUnusableFiles()
{
    QFETCH(QString, dataset);
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    const QString path = dir.filePath(fileName);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    DatasetConfig config;
    config.name = dataset;
    config.path = path;
    config.numPrompts = 3;
    QString error;
    QVERIFY(!loadDataset(config, nullptr, &error));
    QVERIFY2(error.contains(fileName), qPrintable(error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestDatasets::workloadTooLarge_data()
{
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<int>("numPrompts");
    QTest::addColumn<int>("inputLen");
    QTest::addColumn<int>("outputLen");
    QTest::addColumn<double>("rangeRatio");
    QTest::addColumn<int>("prefixLen");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("input 10^8") << QStringLiteral("random") << 1 << 100000000 << 128 << 0.0 << 0 << QStringLiteral("100000000 tokens");
    QTest::addRow("output 10^8") << QStringLiteral("random") << 1 << 1024 << 100000000 << 0.0 << 0 << QStringLiteral("reply of up to 100000000");
    // 6M drawn up to 12M, each within the cap on its own.
    QTest::addRow("range ratio pushes past") << QStringLiteral("random") << 1 << 6000000 << 128 << 0.99 << 0 << QStringLiteral("11940000 tokens");
    QTest::addRow("prefix pushes past") << QStringLiteral("random") << 1 << 6000000 << 128 << 0.0 << 6000000 << QStringLiteral("12000000 tokens");
    QTest::addRow("10^9 prompts") << QStringLiteral("random") << 1000000000 << 1024 << 128 << 0.0 << 0 << QStringLiteral("GB of memory");
    QTest::addRow("10^9 sharegpt prompts") << QStringLiteral("sharegpt") << 1000000000 << 0 << 0 << 0.0 << 0 << QStringLiteral("GB of memory");
    QTest::addRow("sonnet input 10^8") << QStringLiteral("sonnet") << 5 << 100000000 << 150 << 0.0 << 0 << QStringLiteral("100000000 tokens");
}

void TestDatasets::workloadTooLarge()
{
    QFETCH(QString, dataset);
    QFETCH(int, numPrompts);
    QFETCH(int, inputLen);
    QFETCH(int, outputLen);
    QFETCH(double, rangeRatio);
    QFETCH(int, prefixLen);
    QFETCH(QString, mentions);
    DatasetConfig config = configFor(dataset, dataset == QLatin1String("sonnet") ? QStringLiteral("sonnet.txt") : QString(), numPrompts);
    config.random.inputLen = inputLen;
    config.random.outputLen = outputLen;
    config.random.rangeRatio = rangeRatio;
    config.random.prefixLen = prefixLen;
    config.sonnetInputLen = inputLen;
    config.sonnetOutputLen = outputLen;
    const qint64 budget = qint64(1) << 30;
    const QString problem = workloadSizeError(config, budget);
    QVERIFY2(problem.contains(mentions), qPrintable(problem));
    // loadDataset refuses it too, before building anything.
    QString error;
    QVERIFY(!loadDataset(config, nullptr, &error));
    QVERIFY2(!error.isEmpty(), "no error");
}

void TestDatasets::workloadThatFits()
{
    DatasetConfig config = configFor(QStringLiteral("random"), QString(), 1000);
    QCOMPARE(workloadSizeError(config, qint64(1) << 30), QString());
    // One long-context prompt fits; a thousand of them do not fit in 1 GB.
    config.random.inputLen = 1000000;
    config.numPrompts = 1;
    QCOMPARE(workloadSizeError(config, qint64(1) << 30), QString());
    config.numPrompts = 1000;
    QVERIFY(!workloadSizeError(config, qint64(1) << 30).isEmpty());
    QVERIFY(defaultMemoryBudget() > 0);
}

void TestDatasets::requestRateLimits_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("numPrompts");
    QTest::addColumn<QString>("mentions");   // empty: accepted
    QTest::addRow("inf") << std::numeric_limits<double>::infinity() << 1000000 << QString();
    QTest::addRow("slow but short") << 0.01 << 1000 << QString();
    QTest::addRow("1e-9") << 1e-09 << 1 << QStringLiteral("0.001");
    QTest::addRow("more than a week") << 0.01 << 100000 << QStringLiteral("116 days");
}

void TestDatasets::requestRateLimits()
{
    QFETCH(double, rate);
    QFETCH(int, numPrompts);
    QFETCH(QString, mentions);
    const QString problem = requestRateError(rate, numPrompts);
    if (mentions.isEmpty())
        QCOMPARE(problem, QString());
    else
        QVERIFY2(problem.contains(mentions), qPrintable(problem));
}

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
