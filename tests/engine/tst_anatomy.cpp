#include "backends/backendregistry.h"
#include "datasets/randomdataset.h"
#include "load/benchmarkrunner.h"
#include "results/chunks.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "views/anatomy.h"
#include "records.h"
#include "simrun.h"

#include <QSignalSpy>
#include <QTest>

using namespace ts;

namespace {

using ts::test::chineseChunkedRecord;

double meanMs(const std::vector<double> &gapsS)
{
    double sum = 0.0;
    for (double g : gapsS)
        sum += g;
    return sum / double(gapsS.size()) * 1000.0;
}

} // namespace

class TestAnatomy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void figuresAreTheRecords();
    void formulasCarryTheRecordsNumbers();
    void tokenCountSourceIsNamed_data();
    void tokenCountSourceIsNamed();
    void longItlListIsShortened();
    void singleTokenHasNoTpot_data();
    void singleTokenHasNoTpot();
    void failedRecordTellsWhatWasMeasured();
    void failedBeforeFirstChunk();
    void liveRecordFromBuiltInServer();
    void reasoningChunksComeBeforeTheAnswer();
    void withoutReasoningNothingIsMarked();
    void reasoningFromBuiltInServer();
};

void TestAnatomy::figuresAreTheRecords()
{
    const RequestRecord r = chineseChunkedRecord();
    const RequestAnatomy a = anatomyOf(r);
    QVERIFY(a.success);
    QVERIFY(a.hasFirstChunk);
    QVERIFY(a.chunkTexts);
    QCOMPARE(a.chunkCount, 5);
    QCOMPARE(a.ttftMs, r.ttft * 1000.0);
    QCOMPARE(a.e2elMs, r.latency * 1000.0);
    QCOMPARE(a.outputTokens, 7);
    QVERIFY(a.tpotMs);
    QCOMPARE(*a.tpotMs, r.tpot() * 1000.0);
    QCOMPARE(*a.tpotMs, (r.latency - r.ttft) / 6.0 * 1000.0);
    QCOMPARE(int(a.itlMs.size()), 4);
    QCOMPARE(a.itlMs[1], 40.0);
    QCOMPARE(a.itlMeanMs, meanMs(r.itl));
    QVERIFY(a.failureLine.isEmpty());
}

void TestAnatomy::formulasCarryTheRecordsNumbers()
{
    const RequestAnatomy a = anatomyOf(chineseChunkedRecord());
    QCOMPARE(a.ttftLine, QStringLiteral("TTFT = t(first chunk) − t(sent) = 125.0 ms"));
    // (262.0 − 125.0) / 6 = 22.83 ms
    QCOMPARE(a.tpotLine, QStringLiteral("TPOT = (E2EL − TTFT) / (n − 1) = (262.0 − 125.0) / (7 − 1) = 22.8 ms"));
    QVERIFY2(a.tokenCountLine.contains(QStringLiteral("n = 7")), qPrintable(a.tokenCountLine));
    QCOMPARE(a.itlLine, QStringLiteral("ITL = [30.0, 40.0, 35.0, 32.0] ms"));
    QCOMPARE(a.itlStatsLine, QStringLiteral("4 gaps between chunks, mean 34.3 ms"));
    QCOMPARE(a.e2elLine, QStringLiteral("E2EL = t(last chunk) − t(sent) = 262.0 ms"));
    QVERIFY(a.formulaLines().contains(a.tpotLine));
    QVERIFY(a.summaryLines.join(u'\n').contains(QStringLiteral("pool")));
    // 7 tokens in 5 chunks: the reader is told why mean ITL and TPOT differ.
    QVERIFY(a.summaryLines.join(u'\n').contains(QStringLiteral("7 tokens came in 5 chunks")));
}

void TestAnatomy::tokenCountSourceIsNamed_data()
{
    QTest::addColumn<TokenCountSource>("source");
    QTest::addColumn<QString>("words");
    QTest::addRow("server") << TokenCountSource::Server << QStringLiteral("server reported");
    QTest::addRow("tokenizer") << TokenCountSource::Tokenizer << QStringLiteral("tokenizer");
    QTest::addRow("chunks") << TokenCountSource::Chunks << QStringLiteral("estimated");
}

void TestAnatomy::tokenCountSourceIsNamed()
{
    QFETCH(TokenCountSource, source);
    QFETCH(QString, words);
    RequestRecord r = chineseChunkedRecord();
    r.outputTokenSource = source;
    const RequestAnatomy a = anatomyOf(r);
    QCOMPARE(a.outputTokenSource, source);
    QVERIFY2(a.tokenCountLine.contains(words), qPrintable(a.tokenCountLine));
}

void TestAnatomy::longItlListIsShortened()
{
    RequestRecord r;
    r.success = true;
    r.outputTokens = 41;
    r.contentChunks = 41;
    r.ttft = 0.1;
    r.itl.assign(40, 0.020);
    r.latency = 0.1 + 40 * 0.020;
    const RequestAnatomy a = anatomyOf(r, 5);
    QCOMPARE(int(a.itlMs.size()), 40);
    QCOMPARE(a.itlLine, QStringLiteral("ITL = [20.0, 20.0, 20.0, 20.0, 20.0, … and 35 more] ms"));
    QVERIFY(a.itlStatsLine.startsWith(QStringLiteral("40 gaps")));
    QVERIFY(!a.chunkTexts);
}

void TestAnatomy::singleTokenHasNoTpot_data()
{
    QTest::addColumn<int>("tokens");
    QTest::addRow("one token") << 1;
    QTest::addRow("no token") << 0;
}

void TestAnatomy::singleTokenHasNoTpot()
{
    QFETCH(int, tokens);
    RequestRecord r;
    r.success = true;
    r.generatedText = tokens ? QStringLiteral("是") : QString();
    r.contentChunks = 1;
    r.outputTokens = tokens;
    r.outputTokenSource = TokenCountSource::Server;
    r.ttft = 0.2;
    r.latency = 0.2;
    const RequestAnatomy a = anatomyOf(r);
    QVERIFY(!a.tpotMs);
    QVERIFY2(a.tpotLine.contains(QStringLiteral("none")), qPrintable(a.tpotLine));
    QVERIFY2(a.tpotLine.contains(QStringLiteral("n = %1").arg(tokens)), qPrintable(a.tpotLine));
    QVERIFY(a.itlMs.empty());
    QVERIFY(a.itlStatsLine.isEmpty());
    QVERIFY2(a.itlLine.contains(QStringLiteral("single chunk")), qPrintable(a.itlLine));
    QCOMPARE(a.e2elMs, 200.0);
}

void TestAnatomy::failedRecordTellsWhatWasMeasured()
{
    RequestRecord r = chineseChunkedRecord();
    r.success = false;
    r.error = QStringLiteral("The server closed the connection in the middle of the answer.");
    r.itl.resize(2);
    r.chunkTextEnds.resize(3);
    r.chunkTokens.resize(3);
    r.generatedText.truncate(4);
    r.contentChunks = 3;
    r.latency = 0.125 + 0.030 + 0.040 + 0.100; // the failure came 100 ms after the last chunk
    const RequestAnatomy a = anatomyOf(r);
    QVERIFY(!a.success);
    QVERIFY2(a.failureLine.contains(r.error), qPrintable(a.failureLine));
    QVERIFY2(a.failureLine.contains(QStringLiteral("HTTP 200")), qPrintable(a.failureLine));
    QCOMPARE(a.measuredBeforeFailureLine,
             QStringLiteral("Before the failure: 3 chunks arrived, the first after 125.0 ms, the last after 195.0 ms; "
                            "the request ended after 295.0 ms."));
    QCOMPARE(a.ttftMs, 125.0);
    QCOMPARE(int(a.itlMs.size()), 2);
    // Failed requests enter no latency statistic, so no TPOT is worked out.
    QVERIFY(!a.tpotMs);
    QVERIFY(a.tpotLine.isEmpty());
    QCOMPARE(a.formulaLines().constFirst(), a.failureLine);
    QVERIFY(a.summaryLines.join(u'\n').contains(QStringLiteral("failed")));
}

void TestAnatomy::failedBeforeFirstChunk()
{
    RequestRecord r;
    r.success = false;
    r.error = QStringLiteral("Connection refused");
    r.latency = 0.004;
    const RequestAnatomy a = anatomyOf(r);
    QVERIFY(!a.hasFirstChunk);
    QCOMPARE(a.chunkCount, 0);
    QCOMPARE(a.failureLine, QStringLiteral("Failed: Connection refused"));
    QVERIFY2(a.measuredBeforeFailureLine.contains(QStringLiteral("no content arrived")), qPrintable(a.measuredBeforeFailureLine));
    QVERIFY(a.ttftLine.contains(QStringLiteral("no first token")));
    QVERIFY(a.itlLine.isEmpty());
}

// A record as a live run measures it against the built-in server: whatever the transport
// keeps of each chunk, the anatomy's figures are the record's own.
void TestAnatomy::liveRecordFromBuiltInServer()
{
    SimServerThread server;
    QVERIFY(server.start(ts::test::fixedServer(30, 5)).ok());
    BenchmarkConfig config;
    config.target.baseUrl = server.baseUrl();
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.random.inputLen = 16;
    config.random.outputLen = 12;
    config.load.numPrompts = 2;
    config.load.maxConcurrency = 1;
    const RunResult result = ts::test::runToEnd(config);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(!result.records.empty());
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        const RequestAnatomy a = anatomyOf(r);
        QCOMPARE(a.chunkCount, int(chunksOf(r).size()));
        QCOMPARE(a.chunkTexts, hasChunkTexts(r));
        QCOMPARE(a.ttftMs, r.ttft * 1000.0);
        QCOMPARE(a.e2elMs, r.latency * 1000.0);
        QCOMPARE(a.outputTokens, 12);
        QVERIFY(a.tpotMs);
        QCOMPARE(*a.tpotMs, r.tpot() * 1000.0);
        QCOMPARE(int(a.itlMs.size()), int(r.itl.size()));
        QCOMPARE(a.itlMeanMs, meanMs(r.itl));
        QVERIFY2(a.tpotLine.contains(QStringLiteral("(12 − 1)")), qPrintable(a.tpotLine));
    }
}

void TestAnatomy::reasoningChunksComeBeforeTheAnswer()
{
    // 你好 and ， are the model thinking; the answer starts with the fourth chunk.
    RequestRecord r = chineseChunkedRecord();
    r.ttfrt = r.ttft;
    r.ttfat = r.ttft + 0.030 + 0.040 + 0.035;
    r.reasoningTokens = 4;
    const RequestAnatomy a = anatomyOf(r);
    QVERIFY(a.reasoning);
    QCOMPARE(a.reasoningChunks, 3);
    QVERIFY(a.isReasoningChunk(0));
    QVERIFY(a.isReasoningChunk(2));
    QVERIFY(!a.isReasoningChunk(3));
    QCOMPARE(a.ttfrtMs, 125.0);
    QVERIFY(a.ttfatMs);
    QCOMPARE(*a.ttfatMs, r.ttfat * 1000.0);
    QCOMPARE(a.reasoningTokens, 4);
    QVERIFY2(a.ttfrtLine.contains(QStringLiteral("125.0 ms")), qPrintable(a.ttfrtLine));
    QVERIFY2(a.ttfatLine.contains(QStringLiteral("230.0 ms")), qPrintable(a.ttfatLine));
    QVERIFY2(a.reasoningLine.contains(QStringLiteral("105.0 ms")), qPrintable(a.reasoningLine));
    QVERIFY2(a.reasoningLine.contains(QStringLiteral("4 reasoning tokens")), qPrintable(a.reasoningLine));
    const QStringList lines = a.formulaLines();
    QVERIFY(lines.indexOf(a.ttfrtLine) > lines.indexOf(a.ttftLine));
    QVERIFY(lines.indexOf(a.ttfatLine) < lines.indexOf(a.tpotLine));
    QVERIFY(a.summaryLines.join(u'\n').contains(QStringLiteral("TTFRT and TTFAT")));

    // Reasoning that never reached an answer: every chunk is reasoning.
    r.ttfat = -1.0;
    const RequestAnatomy thinking = anatomyOf(r);
    QCOMPARE(thinking.reasoningChunks, 5);
    QVERIFY(!thinking.ttfatMs);
    QVERIFY(thinking.isReasoningChunk(4));
}

void TestAnatomy::withoutReasoningNothingIsMarked()
{
    const RequestAnatomy a = anatomyOf(chineseChunkedRecord());
    QVERIFY(!a.reasoning);
    QCOMPARE(a.reasoningChunks, 0);
    QVERIFY(!a.isReasoningChunk(0));
    QVERIFY(a.ttfrtLine.isEmpty());
    QVERIFY(a.ttfatLine.isEmpty());
    QVERIFY(a.reasoningLine.isEmpty());
    QVERIFY(!a.summaryLines.join(u'\n').contains(QStringLiteral("TTFRT")));
}

void TestAnatomy::reasoningFromBuiltInServer()
{
    // Gaps long enough that the last reasoning chunk and the first answer chunk arrive apart.
    SimServerConfig sim = ts::test::fixedServer(5, 25);
    sim.reasoningTokens = 3;
    SimServerThread server;
    QVERIFY(server.start(sim).ok());
    BenchmarkConfig config;
    config.target.baseUrl = server.baseUrl();
    config.target.backend = QStringLiteral("openai-chat");
    config.target.endpoint = findBackend(config.target.backend)->defaultEndpoint;
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.random.inputLen = 16;
    config.random.outputLen = 8;
    config.load.numPrompts = 2;
    const RunResult result = ts::test::runToEnd(config);
    QCOMPARE(int(result.records.size()), 2);
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        const RequestAnatomy a = anatomyOf(r);
        QVERIFY(a.reasoning);
        // One token per chunk: three reasoning chunks, then five of the answer.
        QCOMPARE(a.reasoningChunks, 3);
        QCOMPARE(a.chunkCount, 8);
        QVERIFY(a.ttfatMs && *a.ttfatMs > a.ttfrtMs);
        QCOMPARE(a.ttftMs, a.ttfrtMs);
    }
}

QTEST_GUILESS_MAIN(TestAnatomy)
#include "tst_anatomy.moc"
