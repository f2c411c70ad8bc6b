#include "core/benchmarkconfig.h"
#include "datasets/dataset.h"
#include "testfiles.h"
#include "tokenizer/tokenizer.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace ts;

namespace {

QString dataPath(const QString &name)
{
    return qEnvironmentVariable("TOKENSTORM_TEST_DATA") + u'/' + name;
}

std::shared_ptr<const Tokenizer> tinyTokenizer()
{
    QString error;
    auto tokenizer = Tokenizer::load(dataPath(QStringLiteral("tokenizer/tiny-bytelevel.json")), &error);
    if (!tokenizer)
        qWarning("%s", qPrintable(error));
    return tokenizer;
}

DatasetConfig traceConfig(const QString &path, int numPrompts = 0)
{
    DatasetConfig config;
    config.name = QStringLiteral("mooncake");
    config.path = path;
    config.numPrompts = numPrompts;
    return config;
}

struct SampleRecord
{
    double timestampMs;
    int inputLength;
    int outputLength;
};

// The first records of tests/data/datasets/mooncake.jsonl.
constexpr SampleRecord kSample[] = { { 0, 1100, 12 }, { 0, 1030, 8 }, { 80, 700, 6 }, { 150, 1300, 10 }, { 230, 260, 4 } };

} // namespace

class TestTraceDataset : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsTheSampleTrace_data();
    void readsTheSampleTrace();
    void equalHashIdsGiveEqualText_data();
    void equalHashIdsGiveEqualText();
    void numPromptsTakesTheFirstRecords();
    void badRecordsAreSkippedWithTheirLine_data();
    void badRecordsAreSkippedWithTheirLine();
    void unusableFilesAreRefused_data();
    void unusableFilesAreRefused();
    void progressAndCancel();
    void traceRunsRefuseOtherArrivals_data();
    void traceRunsRefuseOtherArrivals();

private:
    QTemporaryDir m_dir;
    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        if (!test::writeFile(path, bytes))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }
};

void TestTraceDataset::readsTheSampleTrace_data()
{
    QTest::addColumn<bool>("withTokenizer");
    QTest::addRow("tokenizer") << true;
    QTest::addRow("estimated") << false;
}

void TestTraceDataset::readsTheSampleTrace()
{
    QFETCH(bool, withTokenizer);
    const auto tokenizer = withTokenizer ? tinyTokenizer() : nullptr;
    QVERIFY(!withTokenizer || tokenizer);
    QString error;
    const auto result = loadDataset(traceConfig(dataPath(QStringLiteral("datasets/mooncake.jsonl"))), tokenizer.get(), &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(int(result->prompts.size()), 20);
    QCOMPARE(result->recordsRead, 20);
    QCOMPARE(result->recordsSkipped, 0);
    QCOMPARE(result->lengthsEstimated, !withTokenizer);
    for (std::size_t i = 0; i < std::size(kSample); ++i) {
        const PromptSpec &p = result->prompts[i];
        QVERIFY(p.sendAtS.has_value());
        QCOMPARE(*p.sendAtS, kSample[i].timestampMs / 1000.0);
        QCOMPARE(p.expectedOutputTokens, kSample[i].outputLength);
        if (tokenizer) {
            // The count is the tokenizer's; it strays from the trace's by the tokens that merge
            // where blocks meet, at most one per boundary.
            QCOMPARE(p.promptTokens, tokenizer->countTokens(p.prompt, true));
            const int boundaries = (kSample[i].inputLength - 1) / 512;
            QVERIFY2(std::abs(p.promptTokens - kSample[i].inputLength) <= boundaries,
                     qPrintable(QStringLiteral("%1 tokens for %2").arg(p.promptTokens).arg(kSample[i].inputLength)));
        } else {
            QCOMPARE(p.promptTokens, kSample[i].inputLength);
        }
    }
    // The last record is at 1.9 s.
    QCOMPARE(*result->prompts.back().sendAtS, 1.9);
}

void TestTraceDataset::equalHashIdsGiveEqualText_data()
{
    QTest::addColumn<bool>("withTokenizer");
    QTest::addRow("tokenizer") << true;
    QTest::addRow("estimated") << false;
}

// Block k of a prompt is the text of its k-th hash id, whatever the record: so two requests
// sharing hash ids [1, 2] share the text of their first 1024 tokens, and a server's prefix
// cache sees what the trace recorded.
void TestTraceDataset::equalHashIdsGiveEqualText()
{
    QFETCH(bool, withTokenizer);
    const auto tokenizer = withTokenizer ? tinyTokenizer() : nullptr;
    // The tokens the tokenizer adds itself (BOS) count in input_length, ahead of the blocks.
    const int special = tokenizer ? tokenizer->numSpecialTokensToAdd() : 0;
    QByteArray lines;
    const auto line = [&](int timestamp, int inputLength, const char *hashIds) {
        lines += "{\"timestamp\": " + QByteArray::number(timestamp) + ", \"input_length\": " + QByteArray::number(inputLength + special)
            + ", \"output_length\": 4" + (hashIds ? QByteArray(", \"hash_ids\": ") + hashIds : QByteArray()) + "}\n";
    };
    line(0, 512, "[1]");
    line(1, 1024, "[1, 2]");
    line(2, 1400, "[1, 2, 7]");
    line(3, 1024, "[1, 3]");
    line(4, 1024, "[9, 2]");
    line(5, 1024, nullptr);
    const QString path = write(QStringLiteral("shared.jsonl"), lines);
    QString error;
    const auto result = loadDataset(traceConfig(path), tokenizer.get(), &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(int(result->prompts.size()), 6);
    const QString block1 = result->prompts[0].prompt;
    const QString blocks12 = result->prompts[1].prompt;
    QVERIFY(!block1.isEmpty());
    QVERIFY(blocks12.startsWith(block1));
    QVERIFY(blocks12.size() > block1.size());
    QVERIFY(result->prompts[2].prompt.startsWith(blocks12));
    QVERIFY(result->prompts[2].prompt.size() > blocks12.size());
    QVERIFY(result->prompts[3].prompt.startsWith(block1));
    QVERIFY(!result->prompts[3].prompt.startsWith(blocks12));
    QVERIFY(!result->prompts[4].prompt.startsWith(block1));
    // Block 2 is the same text wherever it stands.
    QVERIFY(result->prompts[4].prompt.endsWith(blocks12.mid(block1.size())));
    // A record without hash ids shares nothing.
    QVERIFY(!result->prompts[5].prompt.startsWith(block1.left(8)));
    if (tokenizer) {
        // Each block alone is exactly 512 tokens.
        QCOMPARE(tokenizer->countTokens(block1, false), 512);
        QCOMPARE(tokenizer->countTokens(blocks12.mid(block1.size()), false), 512);
        QVERIFY(std::abs(tokenizer->countTokens(result->prompts[2].prompt, false) - 1400) <= 2);
    }

    // The same file gives the same text again.
    const auto again = loadDataset(traceConfig(path), tokenizer.get(), &error);
    QVERIFY(again);
    QCOMPARE(again->prompts[2].prompt, result->prompts[2].prompt);
}

void TestTraceDataset::numPromptsTakesTheFirstRecords()
{
    QString error;
    const auto result = loadDataset(traceConfig(dataPath(QStringLiteral("datasets/mooncake.jsonl")), 5), nullptr, &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(int(result->prompts.size()), 5);
    QCOMPARE(result->oversampled, 0);
    for (std::size_t i = 0; i < std::size(kSample); ++i)
        QCOMPARE(result->prompts[i].promptTokens, kSample[i].inputLength);
    // More than the file holds: each record once, never repeated.
    const auto all = loadDataset(traceConfig(dataPath(QStringLiteral("datasets/mooncake.jsonl")), 500), nullptr, &error);
    QVERIFY(all);
    QCOMPARE(int(all->prompts.size()), 20);
}

void TestTraceDataset::badRecordsAreSkippedWithTheirLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("not json") << QByteArray("{\"timestamp\": 0,") << QStringLiteral("not valid JSON");
    QTest::addRow("array") << QByteArray("[1, 2]") << QStringLiteral("not a JSON object");
    QTest::addRow("no timestamp") << QByteArray("{\"input_length\": 5, \"output_length\": 5}") << QStringLiteral("“timestamp”");
    QTest::addRow("negative timestamp") << QByteArray("{\"timestamp\": -1, \"input_length\": 5, \"output_length\": 5}") << QStringLiteral("“timestamp”");
    QTest::addRow("timestamp past a week") << QByteArray("{\"timestamp\": 1e12, \"input_length\": 5, \"output_length\": 5}") << QStringLiteral("“timestamp”");
    QTest::addRow("no input length") << QByteArray("{\"timestamp\": 0, \"output_length\": 5}") << QStringLiteral("“input_length”");
    QTest::addRow("zero input length") << QByteArray("{\"timestamp\": 0, \"input_length\": 0, \"output_length\": 5}") << QStringLiteral("“input_length”");
    QTest::addRow("fractional input length") << QByteArray("{\"timestamp\": 0, \"input_length\": 2.5, \"output_length\": 5}") << QStringLiteral("“input_length”");
    QTest::addRow("input beyond any model") << QByteArray("{\"timestamp\": 0, \"input_length\": 20000000, \"output_length\": 5}") << QStringLiteral("10000000");
    QTest::addRow("output as text") << QByteArray("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": \"5\"}") << QStringLiteral("“output_length”");
    QTest::addRow("hash ids not a list") << QByteArray("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 5, \"hash_ids\": 3}") << QStringLiteral("“hash_ids”");
    QTest::addRow("hash id as text") << QByteArray("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 5, \"hash_ids\": [\"a\"]}") << QStringLiteral("“hash_ids”");
}

void TestTraceDataset::badRecordsAreSkippedWithTheirLine()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, mentions);
    const QString path = write(QStringLiteral("bad.jsonl"), "{\"timestamp\": 0, \"input_length\": 20, \"output_length\": 3}\n" + line
                                                                + "\n\n{\"timestamp\": 5, \"input_length\": 30, \"output_length\": 3}\n");
    QString error;
    const auto result = loadDataset(traceConfig(path), nullptr, &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(int(result->prompts.size()), 2);
    QCOMPARE(result->recordsRead, 3);
    QCOMPARE(result->recordsSkipped, 1);
    const QString warnings = result->warnings.join(u'\n');
    QVERIFY2(warnings.contains(QLatin1String("bad.jsonl, line 2: ")), qPrintable(warnings));
    QVERIFY2(warnings.contains(mentions), qPrintable(warnings));
    QCOMPARE(*result->prompts[1].sendAtS, 0.005);
}

void TestTraceDataset::unusableFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("empty") << QByteArray() << QStringLiteral("is empty");
    QTest::addRow("blank lines") << QByteArray("\n \n") << QStringLiteral("is empty");
    QTest::addRow("only bad records") << QByteArray("{}\n{\"timestamp\": 0}\n") << QStringLiteral("line 1: ");
    QTest::addRow("more memory than the computer has")
        << QByteArray("{\"timestamp\": 0, \"input_length\": 9000000, \"output_length\": 9000000}\n").repeated(2000)
        << QStringLiteral("GB of memory");
}

void TestTraceDataset::unusableFilesAreRefused()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, mentions);
    const QString path = write(QStringLiteral("unusable.jsonl"), contents);
    QString error;
    QVERIFY(!loadDataset(traceConfig(path), nullptr, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));

    QVERIFY(!loadDataset(traceConfig(m_dir.filePath(QStringLiteral("missing.jsonl"))), nullptr, &error));
    QVERIFY2(error.contains(QLatin1String("missing.jsonl")), qPrintable(error));
}

void TestTraceDataset::progressAndCancel()
{
    QByteArray contents;
    for (int i = 0; i < 3000; ++i)
        contents += QByteArray("{\"timestamp\": ") + QByteArray::number(i) + ", \"input_length\": 8, \"output_length\": 2, \"hash_ids\": [" + QByteArray::number(i % 7) + "]}\n";
    const QString path = write(QStringLiteral("long.jsonl"), contents);
    qint64 lastDone = 0;
    int calls = 0;
    QString error;
    const auto whole = loadDataset(traceConfig(path), nullptr, &error, [&](qint64 done, qint64 total) {
        ++calls;
        lastDone = done;
        return done <= total;
    });
    QVERIFY2(whole, qPrintable(error));
    QCOMPARE(int(whole->prompts.size()), 3000);
    QVERIFY(calls > 1);
    QVERIFY(lastDone > 0);

    error = QStringLiteral("not cleared");
    QVERIFY(!loadDataset(traceConfig(path), nullptr, &error, [](qint64, qint64) { return false; }));
    QVERIFY(error.isEmpty());
}

void TestTraceDataset::traceRunsRefuseOtherArrivals_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<bool>("rampUp");
    QTest::addColumn<double>("duration");
    QTest::addColumn<double>("scale");
    QTest::addColumn<QString>("mentions");
    const double inf = std::numeric_limits<double>::infinity();
    QTest::addRow("as recorded") << inf << false << 0.0 << 1.0 << QString();
    QTest::addRow("twice as fast") << inf << false << 0.0 << 0.5 << QString();
    QTest::addRow("request rate") << 5.0 << false << 0.0 << 1.0 << QStringLiteral("request rate");
    QTest::addRow("ramp-up") << inf << true << 0.0 << 1.0 << QStringLiteral("ramp-up");
    QTest::addRow("duration") << inf << false << 10.0 << 1.0 << QStringLiteral("duration");
    QTest::addRow("zero scale") << inf << false << 0.0 << 0.0 << QStringLiteral("time scale");
    QTest::addRow("infinite scale") << inf << false << 0.0 << inf << QStringLiteral("time scale");
}

void TestTraceDataset::traceRunsRefuseOtherArrivals()
{
    QFETCH(double, rate);
    QFETCH(bool, rampUp);
    QFETCH(double, duration);
    QFETCH(double, scale);
    QFETCH(QString, mentions);
    BenchmarkConfig config;
    config.datasetName = QStringLiteral("mooncake");
    config.load.numPrompts = 0;   // the whole trace
    config.load.requestRate = rate;
    config.load.durationS = duration;
    config.load.maxConcurrency = duration > 0 ? 4 : 0;
    config.load.traceTimeScale = scale;
    if (rampUp) {
        config.load.rampUpStrategy = RampUpStrategy::Linear;
        config.load.rampUpStartRps = 1;
        config.load.rampUpEndRps = 10;
    }
    const QString error = validationError(config);
    if (mentions.isEmpty())
        QCOMPARE(error, QString());
    else
        QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY(isTraceDataset(config.datasetName));
    QVERIFY(!isTraceDataset(QStringLiteral("custom")));
}

QTEST_GUILESS_MAIN(TestTraceDataset)
#include "tst_tracedataset.moc"
