#include "tokenizer/tokenizer.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/tokenizerregex.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <thread>

using namespace ts;

namespace {

QString dataPath(const QString &name)
{
    return qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QStringLiteral("/tokenizer/") + name;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// corpus.jsonl: one JSON string per line. Decoded keeping a leading U+FEFF, as it is text here.
QStringList corpus()
{
    QStringList texts;
    const QList<QByteArray> lines = readAll(dataPath(QStringLiteral("corpus.jsonl"))).split('\n');
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson('[' + line + ']');
        texts.append(doc.array().at(0).toString());
    }
    return texts;
}

std::vector<int> toIds(const QJsonValue &value)
{
    std::vector<int> ids;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array)
        ids.push_back(v.toInt());
    return ids;
}

QByteArray idsText(const std::vector<int> &ids)
{
    QByteArray out = "[";
    for (std::size_t i = 0; i < ids.size(); ++i)
        out += (i ? "," : "") + QByteArray::number(ids[i]);
    return out + ']';
}

// A tokenizer.json of the committed fixtures, or of the real models fetched by the
// fetch_tokenizers fixture; empty when not there.
QString tokenizerFile(const QString &name)
{
    const QString committed = dataPath(name + QStringLiteral(".json"));
    if (QFile::exists(committed))
        return committed;
    const QString fetched = qEnvironmentVariable("TOKENSTORM_TOKENIZERS_DIR") + u'/' + name + QStringLiteral("/tokenizer.json");
    return QFile::exists(fetched) ? fetched : QString();
}

} // namespace

class TestTokenizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
    void byteLevelRoundTrip();
    void specialTokens();
    void onigurumaRewrite_data();
    void onigurumaRewrite();
    void loadErrors_data();
    void loadErrors();
    void folderWithConfig();
    void hostileFiles_data();
    void hostileFiles();
    void idsWithGapsLoad();
    void oversizedFileRefusedUnread();
    void whiteSpaceFollowsUnicode_data();
    void whiteSpaceFollowsUnicode();
    void countsFromManyThreads();
};

void TestTokenizer::matchesReference_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : { "tiny-bytelevel", "tiny-sentencepiece", "qwen3", "llama3", "deepseek_v3", "llama2" })
        QTest::addRow("%s", name) << QString::fromLatin1(name);
}

// Token for token against Hugging Face's tokenizers (the expected ids were written by
// tools/tokenizer-reference/reference-ids.js), with and without special tokens, and decode.
void TestTokenizer::matchesReference()
{
    QFETCH(QString, name);
    const QString file = tokenizerFile(name);
    if (file.isEmpty())
        QSKIP(qPrintable(QStringLiteral("The %1 tokenizer is not here: run the fetch_tokenizers test (ctest -R tokenizer) "
                                        "with npm and a network, or set TOKENSTORM_TOKENIZERS_DIR.").arg(name)));
    QString error;
    const auto tokenizer = Tokenizer::load(file, &error);
    QVERIFY2(tokenizer, qPrintable(error));

    const QStringList texts = corpus();
    const QList<QByteArray> expected = readAll(dataPath(name + QStringLiteral(".expected.jsonl"))).split('\n');
    QVERIFY(texts.size() > 50);
    QVERIFY(expected.size() >= texts.size());
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const QJsonObject reference = QJsonDocument::fromJson(expected.at(i)).object();
        const std::vector<int> ids = tokenizer->encode(texts.at(i));
        const std::vector<int> plain = tokenizer->encode(texts.at(i), false);
        const std::vector<int> referenceIds = toIds(reference.value(QStringLiteral("ids")));
        const std::vector<int> referencePlain = toIds(reference.value(QStringLiteral("plain")));
        if (ids != referenceIds || plain != referencePlain)
            QFAIL(qPrintable(QStringLiteral("corpus line %1: %2\n got      %3\n expected %4")
                                 .arg(i + 1)
                                 .arg(texts.at(i).left(80), QString::fromLatin1(idsText(ids)),
                                      QString::fromLatin1(idsText(referenceIds)))));
        QCOMPARE(tokenizer->decode(referencePlain), reference.value(QStringLiteral("decoded")).toString());
        QCOMPARE(tokenizer->countTokens(texts.at(i)), int(referencePlain.size()));
    }
}

void TestTokenizer::byteLevelRoundTrip()
{
    QString error;
    const auto tokenizer = Tokenizer::load(dataPath(QStringLiteral("tiny-bytelevel.json")), &error);
    QVERIFY2(tokenizer, qPrintable(error));
    const QStringList texts = corpus();
    for (const QString &text : texts) {
        // Byte-level BPE loses nothing but what NFC changes.
        const QString nfc = text.normalized(QString::NormalizationForm_C);
        QCOMPARE(tokenizer->decode(tokenizer->encode(text, false)), nfc);
    }
}

void TestTokenizer::specialTokens()
{
    QString error;
    const auto tokenizer = Tokenizer::load(dataPath(QStringLiteral("tiny-bytelevel.json")), &error);
    QVERIFY2(tokenizer, qPrintable(error));
    const int end = tokenizer->tokenToId(QStringLiteral("<|end|>"));
    const int tool = tokenizer->tokenToId(QStringLiteral("<tool>"));
    QVERIFY(end > 0);
    QVERIFY(tool > 0);
    QVERIFY(tokenizer->isSpecialToken(end));
    QVERIFY(!tokenizer->isSpecialToken(tool));
    QCOMPARE(tokenizer->numSpecialTokensToAdd(), 1);
    QCOMPARE(tokenizer->idCount(), tool + 1);
    QCOMPARE(tokenizer->baseVocabSize(), end);

    // Added tokens are cut out of the text before anything else, also inside words.
    const std::vector<int> ids = tokenizer->encode(QStringLiteral("a<tool>b<|end|>"), false);
    QCOMPARE(ids.size(), std::size_t(4));
    QCOMPARE(ids[1], tool);
    QCOMPARE(ids[3], end);
    QCOMPARE(tokenizer->encode(QStringLiteral("a")).front(), end);   // the post-processor's prefix
    QCOMPARE(tokenizer->decode(ids, true), QStringLiteral("a<tool>b"));
    QCOMPARE(tokenizer->decode(ids, false), QStringLiteral("a<tool>b<|end|>"));
}

void TestTokenizer::onigurumaRewrite_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QStringList>("matches");
    // Oniguruma's \s includes U+0085 (NEL); PCRE's does not.
    QTest::addRow("nel is space") << QStringLiteral("\\s+") << QStringLiteral("a\u0085 b") << QStringList { QStringLiteral("\u0085 ") };
    QTest::addRow("nel not in \\S") << QStringLiteral("\\S+") << QStringLiteral("a\u0085b") << QStringList { QStringLiteral("a"), QStringLiteral("b") };
    QTest::addRow("class with \\s") << QStringLiteral("[^\\s\\p{L}]+") << QStringLiteral("x,\u0085.y") << QStringList { QStringLiteral(","), QStringLiteral(".") };
    QTest::addRow("\\h is hex") << QStringLiteral("\\h+") << QStringLiteral("zz0aFg") << QStringList { QStringLiteral("0aF") };
    QTest::addRow("$ at line end") << QStringLiteral("\\s+$") << QStringLiteral("a \nb  ") << QStringList { QStringLiteral(" "), QStringLiteral("  ") };
    QTest::addRow("escaped bracket") << QStringLiteral("[\\[\\]]+") << QStringLiteral("a[]b") << QStringList { QStringLiteral("[]") };
}

void TestTokenizer::onigurumaRewrite()
{
    QFETCH(QString, pattern);
    QFETCH(QString, subject);
    QFETCH(QStringList, matches);
    QString error;
    const std::optional<QRegularExpression> compiled = tok::compileOnigurumaPattern(pattern, &error);
    QVERIFY2(compiled, qPrintable(error));
    const QRegularExpression &re = *compiled;
    QStringList found;
    auto it = re.globalMatch(subject);
    while (it.hasNext())
        found.append(it.next().captured());
    QCOMPARE(found, matches);
}

void TestTokenizer::loadErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("not json") << QByteArray("{\"model\": ") << QStringLiteral("JSON");
    QTest::addRow("no model") << QByteArray("{\"version\": \"1.0\"}") << QStringLiteral("model");
    QTest::addRow("wordpiece") << QByteArray("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}}}") << QStringLiteral("WordPiece");
    QTest::addRow("unknown pre-tokenizer")
        << QByteArray("{\"pre_tokenizer\": {\"type\": \"Mystery\"}, \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}}")
        << QStringLiteral("Mystery");
    QTest::addRow("bad regex")
        << QByteArray("{\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"(\"}, \"behavior\": \"Isolated\"}, "
                      "\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}}")
        << QStringLiteral("(");
    QTest::addRow("empty vocabulary") << QByteArray("{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}") << QStringLiteral("vocabulary");
}

void TestTokenizer::loadErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(json);
    f.close();
    QString error;
    QVERIFY(!Tokenizer::load(path, &error));
    QVERIFY2(error.contains(QStringLiteral("broken.json")), qPrintable(error));
    QVERIFY2(error.contains(mentions), qPrintable(error));

    QVERIFY(!Tokenizer::load(dir.filePath(QStringLiteral("missing.json")), &error));
    QVERIFY2(error.contains(QStringLiteral("missing.json")), qPrintable(error));
    QVERIFY(!Tokenizer::load(dir.path(), &error));   // a folder without tokenizer.json
    QVERIFY2(error.contains(QStringLiteral("tokenizer.json")), qPrintable(error));
}

void TestTokenizer::folderWithConfig()
{
    QTemporaryDir dir;
    QVERIFY(QFile::copy(dataPath(QStringLiteral("tiny-sentencepiece.json")), dir.filePath(QStringLiteral("tokenizer.json"))));
    QFile config(dir.filePath(QStringLiteral("tokenizer_config.json")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(R"({"bos_token": {"content": "<s>", "special": true}, "eos_token": "</s>",
                     "chat_template": "{{ bos_token }}[INST] {{ messages[0]['content'] }} [/INST]"})");
    config.close();
    QString error;
    const auto tokenizer = Tokenizer::load(dir.path(), &error);
    QVERIFY2(tokenizer, qPrintable(error));
    QCOMPARE(tokenizer->bosToken(), QStringLiteral("<s>"));
    QCOMPARE(tokenizer->eosToken(), QStringLiteral("</s>"));
    QVERIFY(tokenizer->chatTemplate().contains(QStringLiteral("[INST]")));
    QCOMPARE(tokenizer->sourcePath(), QFileInfo(dir.filePath(QStringLiteral("tokenizer.json"))).absoluteFilePath());
    // SentencePiece byte fallback: a character outside the vocabulary becomes its UTF-8 bytes.
    const std::vector<int> ids = tokenizer->encode(QStringLiteral("é"), false);
    QCOMPARE(ids.size(), std::size_t(3));   // ▁ then <0xC3> <0xA9>
    QCOMPARE(tokenizer->idToToken(ids[1]), QStringLiteral("<0xC3>"));
    QCOMPARE(tokenizer->decode(ids), QStringLiteral("é"));
}

namespace {

// A small BPE tokenizer.json with the given vocabulary entries, added tokens and extra members.
QByteArray tokenizerWith(const QByteArray &vocab, const QByteArray &added = "[]", const QByteArray &extra = {})
{
    return "{\"added_tokens\": " + added + extra + ", \"model\": {\"type\": \"BPE\", \"vocab\": {" + vocab
        + "}, \"merges\": []}}";
}

} // namespace

void TestTokenizer::hostileFiles_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("id at INT_MAX") << tokenizerWith(R"("a": 0, "evil": 2147483647)") << QStringLiteral("“evil” has the id 2147483647");
    QTest::addRow("id 10^9") << tokenizerWith(R"("a": 0, "evil": 1000000000)") << QStringLiteral("1000000000");
    QTest::addRow("64-bit id") << tokenizerWith(R"("a": 0, "evil": 18446744073709551615)") << QStringLiteral("18446744073709551615");
    QTest::addRow("int64 wraps to small") << tokenizerWith(R"("a": 0, "evil": 4294967297)") << QStringLiteral("4294967297");
    QTest::addRow("negative id") << tokenizerWith(R"("a": 0, "evil": -5)") << QStringLiteral("“evil” has the id -5");
    QTest::addRow("added token far above")
        << tokenizerWith(R"("a": 0)", R"([{"id": 2000000000, "content": "<evil>", "special": true}])") << QStringLiteral("<evil>");
    QTest::addRow("added token negative")
        << tokenizerWith(R"("a": 0)", R"([{"id": -1, "content": "<evil>", "special": true}])") << QStringLiteral("-1");
    QTest::addRow("added token 64-bit")
        << tokenizerWith(R"("a": 0)", R"([{"id": 9223372036854775807, "content": "<evil>"}])") << QStringLiteral("<evil>");
    QTest::addRow("post-processor id")
        << tokenizerWith(R"("a": 0)", "[]",
                         R"(, "post_processor": {"type": "RobertaProcessing", "cls": ["<s>", 3000000000], "sep": ["</s>", 0]})")
        << QStringLiteral("3000000000");
    // Deep enough to overflow the stack of anything that recurses; refused after kMaxJsonDepth.
    QTest::addRow("1e6 nested arrays") << QByteArray(1000000, '[') << QStringLiteral("128");
    QByteArray deepSequence = "{\"type\": \"NFC\"}";
    for (int i = 0; i < 200; ++i)
        deepSequence = "{\"type\": \"Sequence\", \"normalizers\": [" + deepSequence + "]}";
    QTest::addRow("nested normalizer sequences") << tokenizerWith(R"("a": 0)", "[]", ", \"normalizer\": " + deepSequence)
                                                << QStringLiteral("128");
}

void TestTokenizer::hostileFiles()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!Tokenizer::fromJson(json, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestTokenizer::idsWithGapsLoad()
{
    // Real vocabularies have holes and added tokens above them (Llama 3 adds 256 past 128000).
    QString error;
    const auto tokenizer = Tokenizer::fromJson(
        tokenizerWith(R"("a": 0, "b": 7, "ab": 900)", R"([{"id": 60000, "content": "<end>", "special": true}])"), &error);
    QVERIFY2(tokenizer, qPrintable(error));
    QCOMPARE(tokenizer->idToToken(900), QStringLiteral("ab"));
    QCOMPARE(tokenizer->idCount(), 60001);
}

void TestTokenizer::oversizedFileRefusedUnread()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize(qint64(2) * 1024 * 1024 * 1024));   // sparse: takes no disk
    f.close();
    QString error;
    QVERIFY(!Tokenizer::load(dir.path(), &error));
    QVERIFY2(error.contains(QStringLiteral("2048 MB")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("256 MB")), qPrintable(error));
}

void TestTokenizer::whiteSpaceFollowsUnicode_data()
{
    QTest::addColumn<QString>("pretokenizer");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("words");
    const QString gpt2 = QStringLiteral(R"({"type": "ByteLevel", "add_prefix_space": false, "use_regex": true})");
    const QString split = QStringLiteral(R"({"type": "WhitespaceSplit"})");
    // U+180E is a format character (Cf) since Unicode 6.3, not White_Space: GPT-2's pattern takes
    // it with the space before it as punctuation-like text (" ?[^\s\p{L}\p{N}]+").
    QTest::addRow("U+180E after a space") << gpt2 << QStringLiteral("a \u180Eb") << QStringList { QStringLiteral("a"), QStringLiteral(" \u180E"), QStringLiteral("b") };
    QTest::addRow("U+180E does not split") << split << QStringLiteral("a\u180Eb c") << QStringList { QStringLiteral("a\u180Eb"), QStringLiteral("c") };
    // The White_Space characters outside ASCII still split.
    QTest::addRow("NEL and ideographic space split") << split << QStringLiteral("a\u0085b\u3000c\u202Fd")
                                                     << QStringList { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d") };
    QTest::addRow("\\s in a Split pattern") << QStringLiteral(R"({"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "Removed"})")
                                         << QStringLiteral("a\u180E b\u00A0c") << QStringList { QStringLiteral("a\u180E"), QStringLiteral("b"), QStringLiteral("c") };
    QTest::addRow("U+2029 is space to GPT-2") << gpt2 << QStringLiteral("a\u2029\u2029b")
                                              << QStringList { QStringLiteral("a"), QStringLiteral("\u2029"), QStringLiteral("\u2029"), QStringLiteral("b") };
}

void TestTokenizer::whiteSpaceFollowsUnicode()
{
    QFETCH(QString, pretokenizer);
    QFETCH(QString, text);
    QFETCH(QStringList, words);
    QString error;
    tok::PreTokenizer preTokenizer;
    QVERIFY2(preTokenizer.load(nlohmann::json::parse(pretokenizer.toStdString()), &error), qPrintable(error));
    tok::PieceArena arena;
    std::vector<tok::Piece> pieces { { text, true } };
    preTokenizer.apply(pieces, arena);
    QStringList found;
    for (const tok::Piece &piece : pieces)
        found.append(piece.text.toString());
    QCOMPARE(found, words);
}

void TestTokenizer::countsFromManyThreads()
{
    QString error;
    const auto tokenizer = Tokenizer::load(dataPath(QStringLiteral("tiny-bytelevel.json")), &error);
    QVERIFY2(tokenizer, qPrintable(error));
    const QStringList texts = corpus();
    std::vector<int> expected;
    for (const QString &text : texts)
        expected.push_back(tokenizer->countTokens(text));
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 20; ++round)
                for (qsizetype i = 0; i < texts.size(); ++i)
                    if (tokenizer->countTokens(texts.at((i + t * 7) % texts.size())) != expected[std::size_t((i + t * 7) % texts.size())])
                        ++mismatches[std::size_t(t)];
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(mismatches, std::vector<int>(4, 0));
}

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
