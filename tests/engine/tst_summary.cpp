#include "results/summary.h"
#include "records.h"

#include <QTest>

using namespace ts;

namespace {

using ts::test::succeeded;

// The hand-worked requests of tst_benchmarkmetrics: 4 successes, 1 failure, 2 s.
RunResult handRun()
{
    RunResult run;
    RequestRecord failed;
    failed.index = 3;
    failed.startTime = 0.2;
    failed.latency = 0.5;
    failed.promptTokens = 40;
    failed.error = QStringLiteral("Internal Server Error");
    run.records = {succeeded(0, 0.0, 0.10, {0.05, 0.05, 0.10}, 0.30, 4, 10), succeeded(1, 0.5, 0.20, {0.40}, 0.60, 2, 20),
                   succeeded(2, 1.0, 0.05, {}, 0.05, 1, 30), failed, succeeded(4, 1.2, 0.30, {0.1, 0.1, 0.1, 0.1}, 0.70, 10, 50)};
    run.duration = 2.0;
    run.config.load.requestRate = 10.0;
    run.config.load.maxConcurrency = 8;
    MetricsConfig &cfg = run.config.metrics;
    cfg.percentileMetrics = {QStringLiteral("ttft"), QStringLiteral("tpot"), QStringLiteral("itl"), QStringLiteral("e2el")};
    cfg.percentiles = {50.0, 99.0, 99.9};
    cfg.goodputTtftMs = 250.0;
    return run;
}

QString summaryOf(const RunResult &run)
{
    return formatSummary(run, computeMetrics(run.records, run.duration, run.config.metrics), run.config.metrics);
}

} // namespace

class TestSummary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wholeLayout();
    void optionalLines();
    void ownNotes();
    void queueSection();
    void titleAndRow();
};

// The expected text was printed by running vLLM's own format strings ("{:<40} {:<10.2f}",
// "{s:{c}^{n}}" with n=50) in Python on the hand-computed values of these requests.
void TestSummary::wholeLayout()
{
    const QString expected = QStringLiteral(
        "============ Serving Benchmark Result ============\n"
        "Successful requests:                     4         \n"
        "Failed requests:                         1         \n"
        "Maximum request concurrency:             8         \n"
        "Request rate configured (RPS):           10.00     \n"
        "Benchmark duration (s):                  2.00      \n"
        "Total input tokens:                      110       \n"
        "Total generated tokens:                  17        \n"
        "Request throughput (req/s):              2.00      \n"
        "Request goodput (req/s):                 1.50      \n"
        "Output token throughput (tok/s):         8.50      \n"
        "Peak output token throughput (tok/s):    7.00      \n"
        "Peak concurrent requests:                2.00      \n"
        "Total token throughput (tok/s):          63.50     \n"
        "---------------Time to First Token----------------\n"
        "Mean TTFT (ms):                          162.50    \n"
        "Median TTFT (ms):                        150.00    \n"
        "P50 TTFT (ms):                           150.00    \n"
        "P99 TTFT (ms):                           297.00    \n"
        "P99.9 TTFT (ms):                         299.70    \n"
        "-----Time per Output Token (excl. 1st token)------\n"
        "Mean TPOT (ms):                          170.37    \n"
        "Median TPOT (ms):                        66.67     \n"
        "P50 TPOT (ms):                           66.67     \n"
        "P99 TPOT (ms):                           393.33    \n"
        "P99.9 TPOT (ms):                         399.33    \n"
        "---------------Inter-token Latency----------------\n"
        "Mean ITL (ms):                           125.00    \n"
        "Median ITL (ms):                         100.00    \n"
        "P50 ITL (ms):                            100.00    \n"
        "P99 ITL (ms):                            379.00    \n"
        "P99.9 ITL (ms):                          397.90    \n"
        "----------------End-to-end Latency----------------\n"
        "Mean E2EL (ms):                          412.50    \n"
        "Median E2EL (ms):                        450.00    \n"
        "P50 E2EL (ms):                           450.00    \n"
        "P99 E2EL (ms):                           697.00    \n"
        "P99.9 E2EL (ms):                         699.70    \n"
        "==================================================\n");
    const QString got = summaryOf(handRun());
    const QStringList gotLines = got.split(u'\n');
    const QStringList expectedLines = expected.split(u'\n');
    for (qsizetype i = 0; i < std::min(gotLines.size(), expectedLines.size()); ++i)
        QCOMPARE(gotLines[i], expectedLines[i]);
    QCOMPARE(got, expected);
}

void TestSummary::optionalLines()
{
    RunResult run = handRun();
    run.config.load.requestRate = std::numeric_limits<double>::infinity();
    run.config.load.maxConcurrency = 0;
    run.config.metrics.goodputTtftMs.reset();
    run.config.metrics.percentileMetrics = {QStringLiteral("ttft")};
    run.config.metrics.percentiles = {99.0};
    const QString s = summaryOf(run);
    QVERIFY(!s.contains(QStringLiteral("Request rate configured")));
    QVERIFY(!s.contains(QStringLiteral("Maximum request concurrency")));
    QVERIFY(!s.contains(QStringLiteral("Request goodput")));
    QVERIFY(!s.contains(QStringLiteral("TPOT")));
    QVERIFY(!s.contains(QStringLiteral("P50 TTFT")));
    QVERIFY(s.contains(QStringLiteral("\nP99 TTFT (ms):                           297.00    \n")));

    // Python rounds the exact binary value half to even: format(0.125, ".2f") == "0.12".
    run.duration = 0.125;
    const QString tie = summaryOf(run);
    QVERIFY2(tie.contains(QStringLiteral("\nBenchmark duration (s):                  0.12      \n")), qPrintable(tie));
}

void TestSummary::ownNotes()
{
    RunResult run = handRun();
    QVERIFY(!summaryOf(run).contains(QStringLiteral("estimates")));
    run.records[1].outputTokenSource = TokenCountSource::Chunks;
    run.stopped = true;
    const QStringList lines = summaryOf(run).split(u'\n');
    const auto total = lines.indexOf(QStringLiteral("Total token throughput (tok/s):          63.50     "));
    QVERIFY(total > 0);
    QCOMPARE(lines[total + 1], QStringLiteral("Output tokens are estimates (server sent no usage)"));
    QCOMPARE(lines[total + 2], QStringLiteral("The run was stopped before all requests finished"));
    QCOMPARE(lines[total + 3], QStringLiteral("---------------Time to First Token----------------"));
}

void TestSummary::queueSection()
{
    RunResult run = handRun();
    run.records[0].queueTime = 0.004;   // queue times 4, 0, 0, 0 ms
    run.config.metrics.percentileMetrics = {QStringLiteral("queue")};
    run.config.metrics.percentiles = {99.0};
    const QString s = summaryOf(run);
    QVERIFY(s.contains(QStringLiteral("\n----------------Client Queue Time-----------------\n"
                                      "Mean Queue (ms):                         1.00      \n"
                                      "Median Queue (ms):                       0.00      \n"
                                      "P99 Queue (ms):                          3.88      \n")));
}

void TestSummary::titleAndRow()
{
    QCOMPARE(summaryTitle(QStringLiteral("ab"), u'-'), QString(24, u'-') + QStringLiteral("ab") + QString(24, u'-'));
    QCOMPARE(summaryTitle(QStringLiteral("abc"), u'-'), QString(23, u'-') + QStringLiteral("abc") + QString(24, u'-'));
    QCOMPARE(summaryTitle(QString(60, u'x'), u'='), QString(60, u'x'));
    // Python does not cut long labels or values.
    QCOMPARE(summaryRow(QString(45, u'a'), QStringLiteral("12345678901")),
             QString(45, u'a') + QStringLiteral(" 12345678901"));
}

QTEST_GUILESS_MAIN(TestSummary)
#include "tst_summary.moc"
