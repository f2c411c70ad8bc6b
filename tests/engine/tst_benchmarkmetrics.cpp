#include "metrics/benchmarkmetrics.h"

#include <QTest>

#include <cmath>

using namespace ts;

namespace {

bool near(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); }

#define VERIFY_NEAR(actual, expected)                                                              \
    QVERIFY2(near((actual), (expected)),                                                           \
             qPrintable(QStringLiteral("%1 != %2").arg((actual), 0, 'g', 17).arg((expected), 0, 'g', 17)))

RequestRecord ok(int index, double start, double ttft, std::vector<double> itl, double latency,
                 int promptTokens, int outputTokens, double queue = 0.0)
{
    RequestRecord r;
    r.index = index;
    r.success = true;
    r.httpStatus = 200;
    r.startTime = start;
    r.ttft = ttft;
    r.itl = std::move(itl);
    r.latency = latency;
    r.promptTokens = promptTokens;
    r.outputTokens = outputTokens;
    r.outputTokenSource = TokenCountSource::Server;
    r.contentChunks = int(r.itl.size()) + 1;
    r.queueTime = queue;
    return r;
}

RequestRecord failed(int index, double start, double latency, int promptTokens)
{
    RequestRecord r;
    r.index = index;
    r.success = false;
    r.httpStatus = 500;
    r.error = QStringLiteral("Internal Server Error");
    r.startTime = start;
    r.latency = latency;
    r.promptTokens = promptTokens;
    return r;
}

// Five requests worked by hand (times in seconds):
//   #0 ok   start 0.0  ttft 0.10 gaps .05 .05 .10  e2el 0.30  in 10 out 4   TPOT 0.2/3
//   #1 ok   start 0.5  ttft 0.20 gaps .40          e2el 0.60  in 20 out 2   TPOT 0.4
//   #2 ok   start 1.0  ttft 0.05                   e2el 0.05  in 30 out 1   no TPOT
//   #3 FAIL start 0.2                              e2el 0.50  in 40
//   #4 ok   start 1.2  ttft 0.30 gaps .1 .1 .1 .1  e2el 0.70  in 50 out 10  TPOT 0.4/9
std::vector<RequestRecord> handRecords()
{
    return {ok(0, 0.0, 0.10, {0.05, 0.05, 0.10}, 0.30, 10, 4, 0.0),
            ok(1, 0.5, 0.20, {0.40}, 0.60, 20, 2, 0.010),
            ok(2, 1.0, 0.05, {}, 0.05, 30, 1, 0.020),
            failed(3, 0.2, 0.50, 40),
            ok(4, 1.2, 0.30, {0.1, 0.1, 0.1, 0.1}, 0.70, 50, 10, 0.0)};
}

MetricsConfig allMetrics()
{
    MetricsConfig cfg;
    cfg.percentileMetrics = {QStringLiteral("ttft"), QStringLiteral("tpot"), QStringLiteral("itl"),
                             QStringLiteral("e2el"), QStringLiteral("queue")};
    cfg.percentiles = {50.0, 99.0, 99.9};
    return cfg;
}

} // namespace

class TestBenchmarkMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void totalsAndThroughput();
    void latencyStatistics();
    void failuresContributeNothing();
    void estimatedOutputTokens();
    void goodput_data();
    void goodput();
    void noGoodputWithoutSlo();
    void maxOutputTokensPerS_data();
    void maxOutputTokensPerS();
    void maxConcurrent_data();
    void maxConcurrent();
    void zeroDuration();
    void timeSeries();
};

void TestBenchmarkMetrics::totalsAndThroughput()
{
    const BenchmarkMetrics m = computeMetrics(handRecords(), 2.0, allMetrics());
    QCOMPARE(m.completed, 4);
    QCOMPARE(m.failed, 1);
    QCOMPARE(m.totalInputTokens, qint64(110));    // 10+20+30+50: the failed request's 40 not counted
    QCOMPARE(m.totalOutputTokens, qint64(17));    // 4+2+1+10
    VERIFY_NEAR(m.duration, 2.0);
    VERIFY_NEAR(m.requestThroughput, 2.0);        // 4 / 2
    VERIFY_NEAR(m.outputThroughput, 8.5);         // 17 / 2
    VERIFY_NEAR(m.totalTokenThroughput, 63.5);    // 127 / 2
    VERIFY_NEAR(m.successRatePercent(), 80.0);
    QVERIFY(!m.requestGoodput);
    QVERIFY(!m.outputTokensEstimated);
}

// Expected values from Python's statistics module (mean, median, pstdev) and numpy's linear
// percentile rule written out in Python, on the millisecond values of handRecords().
void TestBenchmarkMetrics::latencyStatistics()
{
    const BenchmarkMetrics m = computeMetrics(handRecords(), 2.0, allMetrics());

    // TTFT 100, 200, 50, 300
    QCOMPARE(m.ttftMs.count, 4);
    VERIFY_NEAR(m.ttftMs.mean, 162.5);
    VERIFY_NEAR(m.ttftMs.median, 150.0);
    VERIFY_NEAR(m.ttftMs.std, 96.0143218483576);
    VERIFY_NEAR(*m.ttftMs.valueAt(50.0), 150.0);
    VERIFY_NEAR(*m.ttftMs.valueAt(99.0), 297.0);
    VERIFY_NEAR(*m.ttftMs.valueAt(99.9), 299.7);

    // TPOT only for >1 output token: 200/3, 400, 400/9 (request #2 with one token is left out)
    QCOMPARE(m.tpotMs.count, 3);
    VERIFY_NEAR(m.tpotMs.mean, 170.37037037037038);
    VERIFY_NEAR(m.tpotMs.median, 66.66666666666667);
    VERIFY_NEAR(m.tpotMs.std, 162.6259140748159);
    VERIFY_NEAR(*m.tpotMs.valueAt(99.0), 393.3333333333333);

    // ITL pools every gap: 50,50,100 + 400 + 100,100,100,100
    QCOMPARE(m.itlMs.count, 8);
    VERIFY_NEAR(m.itlMs.mean, 125.0);
    VERIFY_NEAR(m.itlMs.median, 100.0);
    VERIFY_NEAR(m.itlMs.std, 106.06601717798213);
    VERIFY_NEAR(*m.itlMs.valueAt(99.0), 379.0);
    VERIFY_NEAR(*m.itlMs.valueAt(99.9), 397.9);

    // E2EL 300, 600, 50, 700
    QCOMPARE(m.e2elMs.count, 4);
    VERIFY_NEAR(m.e2elMs.mean, 412.5);
    VERIFY_NEAR(m.e2elMs.median, 450.0);
    VERIFY_NEAR(m.e2elMs.std, 255.868618630734);
    VERIFY_NEAR(*m.e2elMs.valueAt(99.0), 697.0);

    // Queue 0, 10, 20, 0
    VERIFY_NEAR(m.queueMs.mean, 7.5);
    VERIFY_NEAR(m.queueMs.median, 5.0);
    VERIFY_NEAR(m.queueMs.std, 8.2915619758885);
    VERIFY_NEAR(*m.queueMs.valueAt(99.0), 19.7);
}

void TestBenchmarkMetrics::failuresContributeNothing()
{
    // A failed request with a partial stream (a first chunk, gaps, tokens) changes no statistic.
    auto records = handRecords();
    const BenchmarkMetrics before = computeMetrics(records, 2.0, allMetrics());
    RequestRecord partial = failed(5, 0.1, 0.9, 999);
    partial.ttft = 0.001;
    partial.itl = {5.0, 5.0};
    partial.outputTokens = 3;
    records.push_back(partial);
    const BenchmarkMetrics after = computeMetrics(records, 2.0, allMetrics());

    QCOMPARE(after.failed, 2);
    QCOMPARE(after.completed, before.completed);
    QCOMPARE(after.totalInputTokens, before.totalInputTokens);
    QCOMPARE(after.totalOutputTokens, before.totalOutputTokens);
    QCOMPARE(after.ttftMs.mean, before.ttftMs.mean);
    QCOMPARE(after.itlMs.count, before.itlMs.count);
    QCOMPARE(after.itlMs.mean, before.itlMs.mean);
    QCOMPARE(after.tpotMs.mean, before.tpotMs.mean);
    QCOMPARE(after.e2elMs.mean, before.e2elMs.mean);
    QCOMPARE(after.maxOutputTokensPerS, before.maxOutputTokensPerS);
}

void TestBenchmarkMetrics::estimatedOutputTokens()
{
    auto records = handRecords();
    records[3].outputTokenSource = TokenCountSource::Chunks;   // the failed one: does not count
    QVERIFY(!computeMetrics(records, 2.0, allMetrics()).outputTokensEstimated);
    records[1].outputTokenSource = TokenCountSource::Chunks;
    QVERIFY(computeMetrics(records, 2.0, allMetrics()).outputTokensEstimated);
}

void TestBenchmarkMetrics::goodput_data()
{
    QTest::addColumn<std::optional<double>>("ttft");
    QTest::addColumn<std::optional<double>>("tpot");
    QTest::addColumn<std::optional<double>>("e2el");
    QTest::addColumn<int>("good");
    const std::optional<double> none;
    // TTFTs 100,200,50,300 ms; TPOTs 66.7, 400, (one token: 0), 44.4; E2ELs 300,600,50,700.
    QTest::addRow("ttft 250") << std::optional<double>(250) << none << none << 3;    // #0 #1 #2
    QTest::addRow("ttft 200 inclusive") << std::optional<double>(200) << none << none << 3;
    QTest::addRow("ttft 99") << std::optional<double>(99) << none << none << 1;      // #2
    QTest::addRow("tpot 50") << none << std::optional<double>(50) << none << 2;      // #2 (0) and #4
    QTest::addRow("e2el 650") << none << none << std::optional<double>(650) << 3;    // #0 #1 #2
    QTest::addRow("ttft 250 + tpot 50") << std::optional<double>(250) << std::optional<double>(50) << none << 1;
    QTest::addRow("all three loose") << std::optional<double>(1000) << std::optional<double>(1000)
                                     << std::optional<double>(1000) << 4;           // never the failed one
}

void TestBenchmarkMetrics::goodput()
{
    QFETCH(std::optional<double>, ttft);
    QFETCH(std::optional<double>, tpot);
    QFETCH(std::optional<double>, e2el);
    QFETCH(int, good);
    MetricsConfig cfg = allMetrics();
    cfg.goodputTtftMs = ttft;
    cfg.goodputTpotMs = tpot;
    cfg.goodputE2elMs = e2el;
    QCOMPARE(goodRequestCount(handRecords(), cfg), good);
    const BenchmarkMetrics m = computeMetrics(handRecords(), 2.0, cfg);
    QVERIFY(m.requestGoodput.has_value());
    VERIFY_NEAR(*m.requestGoodput, good / 2.0);
}

void TestBenchmarkMetrics::noGoodputWithoutSlo()
{
    QCOMPARE(goodRequestCount(handRecords(), allMetrics()), 0);
    QVERIFY(!computeMetrics(handRecords(), 2.0, allMetrics()).requestGoodput);
}

void TestBenchmarkMetrics::maxOutputTokensPerS_data()
{
    QTest::addColumn<std::vector<RequestRecord>>("records");
    QTest::addColumn<double>("expected");

    // Chunk times of handRecords(): 0.1 .15 .2 .3 | 0.7 1.1 | 1.05 | 1.5 1.6 1.7 1.8 1.9.
    // Buckets from 0.0 (earliest successful start): [0,1) holds 5, [1,2) holds 7.
    QTest::addRow("hand records") << handRecords() << 7.0;

    // Buckets start at the earliest *successful* start (0.5), not at the failed one (0.0):
    // chunks at 0.6 .. 1.4 all fall in [0.5, 1.5); counted from 0.0 they would span two buckets.
    std::vector<RequestRecord> shifted {failed(0, 0.0, 0.1, 5),
                                        ok(1, 0.5, 0.1, {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, 0.9, 5, 9)};
    QTest::addRow("origin is first successful start") << shifted << 9.0;

    // Chunks are counted, not tokens: one chunk carrying 50 tokens counts once.
    QTest::addRow("chunks not tokens") << std::vector<RequestRecord> {ok(0, 0.0, 0.2, {}, 0.2, 5, 50)} << 1.0;
    QTest::addRow("no success") << std::vector<RequestRecord> {failed(0, 0.0, 1.0, 5)} << 0.0;
    QTest::addRow("empty") << std::vector<RequestRecord> {} << 0.0;
}

void TestBenchmarkMetrics::maxOutputTokensPerS()
{
    QFETCH(std::vector<RequestRecord>, records);
    QFETCH(double, expected);
    QCOMPARE(maxOutputTokensPerSecond(records), expected);
    QCOMPARE(computeMetrics(records, 2.0, allMetrics()).maxOutputTokensPerS, expected);
}

void TestBenchmarkMetrics::maxConcurrent_data()
{
    QTest::addColumn<std::vector<RequestRecord>>("records");
    QTest::addColumn<int>("expected");
    // Intervals [0,.3] [.5,1.1] [1,1.05] [.2,.7](failed) [1.2,1.9]: at most two at a time.
    QTest::addRow("hand records") << handRecords() << 2;
    QTest::addRow("back to back does not overlap")
        << std::vector<RequestRecord> {ok(0, 0.0, 0.5, {}, 1.0, 1, 1), ok(1, 1.0, 0.5, {}, 1.0, 1, 1),
                                       ok(2, 2.0, 0.5, {}, 1.0, 1, 1)}
        << 1;
    QTest::addRow("nested")
        << std::vector<RequestRecord> {ok(0, 0.0, 0.1, {}, 10.0, 1, 1), ok(1, 1.0, 0.1, {}, 5.0, 1, 1),
                                       ok(2, 2.0, 0.1, {}, 1.0, 1, 1), ok(3, 7.0, 0.1, {}, 1.0, 1, 1)}
        << 3;
    QTest::addRow("failed requests count")
        << std::vector<RequestRecord> {failed(0, 0.0, 2.0, 1), failed(1, 0.5, 2.0, 1), ok(2, 1.0, 0.1, {}, 0.5, 1, 1)}
        << 3;
    QTest::addRow("empty") << std::vector<RequestRecord> {} << 0;
}

void TestBenchmarkMetrics::maxConcurrent()
{
    QFETCH(std::vector<RequestRecord>, records);
    QFETCH(int, expected);
    QCOMPARE(maxConcurrentRequests(records), expected);
}

void TestBenchmarkMetrics::zeroDuration()
{
    const BenchmarkMetrics m = computeMetrics({}, 0.0, allMetrics());
    QCOMPARE(m.completed, 0);
    QCOMPARE(m.requestThroughput, 0.0);
    QCOMPARE(m.outputThroughput, 0.0);
    QCOMPARE(m.ttftMs.mean, 0.0);
    QCOMPARE(m.successRatePercent(), 0.0);
}

void TestBenchmarkMetrics::timeSeries()
{
    // Buckets from run start 0: chunks 0.1 .15 .2 .3 .7 | 1.1 1.05 1.5 1.6 1.7 1.8 1.9.
    const auto buckets = ts::timeSeries(handRecords(), 1.0);
    QCOMPARE(buckets.size(), std::size_t(2));   // last event at 1.9
    QCOMPARE(buckets[0].start, 0.0);
    QCOMPARE(buckets[0].outputChunks, 5);
    QCOMPARE(buckets[1].outputChunks, 7);
    QCOMPARE(buckets[0].started, 3);     // #0 #1 #3
    QCOMPARE(buckets[1].started, 2);     // #2 #4
    QCOMPARE(buckets[0].succeeded, 1);   // #0 at 0.3
    QCOMPARE(buckets[0].failed, 1);      // #3 at 0.7
    QCOMPARE(buckets[1].succeeded, 3);   // #1 1.1, #2 1.05, #4 1.9
    QCOMPARE(buckets[1].failed, 0);
}

QTEST_GUILESS_MAIN(TestBenchmarkMetrics)
#include "tst_benchmarkmetrics.moc"
