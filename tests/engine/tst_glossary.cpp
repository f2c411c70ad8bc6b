#include "metrics/benchmarkmetrics.h"
#include "metrics/rating.h"
#include "results/summary.h"
#include "views/glossary.h"
#include "views/metricselection.h"
#include "records.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <set>

using namespace ts;

namespace {

using ts::test::succeeded;

RequestRecord failed(int index, double start)
{
    RequestRecord r;
    r.index = index;
    r.startTime = start;
    r.latency = 0.5;
    r.error = QStringLiteral("Internal Server Error");
    return r;
}

// A run whose summary has every line formatSummary() can write: concurrency and rate set,
// goodput, all five sections, several percentiles, estimated tokens, stopped early, reasoning.
RunResult fullRun()
{
    RunResult run;
    run.records = { succeeded(0, 0.0, 0.10, { 0.05, 0.05 }, 0.30, 3), succeeded(1, 0.5, 0.20, { 0.40 }, 0.60, 2), failed(2, 0.2) };
    run.records[1].outputTokenSource = TokenCountSource::Chunks;
    // The first request reasoned, so the summary has its Reasoning block.
    run.records[0].ttfrt = 0.10;
    run.records[0].ttfat = 0.15;
    run.records[0].reasoningTokens = 1;
    run.duration = 2.0;
    run.stopped = true;
    run.config.load.requestRate = 10.0;
    run.config.load.maxConcurrency = 8;
    MetricsConfig &cfg = run.config.metrics;
    cfg.percentileMetrics = { QStringLiteral("ttft"), QStringLiteral("tpot"), QStringLiteral("itl"),
                              QStringLiteral("e2el"), QStringLiteral("queue") };
    cfg.percentiles = { 50.0, 90.0, 99.0, 99.9 };
    cfg.goodputTtftMs = 250.0;
    return run;
}

std::vector<int> sorted(std::vector<int> v)
{
    std::sort(v.begin(), v.end());
    return v;
}

} // namespace

class TestGlossary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyMetricHasAFullEntry()
    {
        QSet<QString> anchors;
        const std::vector<GlossaryEntry> entries = glossaryEntries();
        QCOMPARE(entries.size(), allMetricIds().size());
        const QString html = glossaryHtml();
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const GlossaryEntry &e = entries[i];
            QCOMPARE(e.id, allMetricIds()[i]);
            const QString where = e.anchor.isEmpty() ? QString::number(int(e.id)) : e.anchor;
            for (const QString *field : { &e.anchor, &e.name, &e.shortTip, &e.measures, &e.formula, &e.whyItMatters,
                                          &e.thresholds, &e.whatMovesIt })
                QVERIFY2(!field->trimmed().isEmpty(), qPrintable(where));
            QVERIFY2(!anchors.contains(e.anchor), qPrintable(where));
            anchors.insert(e.anchor);
            QVERIFY2(html.contains(QStringLiteral("<a name=\"%1\">").arg(e.anchor)), qPrintable(where));
            QCOMPARE(glossaryEntry(e.id).name, e.name);
            QCOMPARE(glossaryAnchor(e.id), e.anchor);
        }
    }

    void thresholdsFollowTheRatingDefaults()
    {
        // The texts quote the rating's limits, so changing a default shows up in the glossary.
        const RatingThresholds t;
        QVERIFY(glossaryEntry(MetricId::Ttft).thresholds.contains(QString::number(t.ttftExcellentMs)));
        QVERIFY(glossaryEntry(MetricId::Ttft).thresholds.contains(QStringLiteral("500")));
        QVERIFY(glossaryEntry(MetricId::Tpot).thresholds.contains(QString::number(t.tpotGoodMs)));
        QVERIFY(glossaryEntry(MetricId::RequestThroughput).thresholds.contains(QString::number(t.throughputExcellent)));
        QVERIFY(glossaryEntry(MetricId::SuccessRate).thresholds.contains(QString::number(t.successGoodPercent)));
        QVERIFY(glossaryEntry(MetricId::Tpot).formula.contains(QStringLiteral("output tokens − 1")));
    }

    void parsesEverySummaryLine()
    {
        const RunResult run = fullRun();
        const QString summary = formatSummary(run, computeMetrics(run.records, run.duration, run.config.metrics),
                                              run.config.metrics);
        const QStringList lines = summary.split(u'\n', Qt::SkipEmptyParts);
        std::set<MetricId> seen;
        int unnamed = 0;
        for (const QString &line : lines) {
            const std::optional<MetricValue> v = metricOfSummaryLine(line);
            if (v)
                seen.insert(v->metric);
            else
                ++unnamed;
        }
        // The banner, the closing rule and the two notes name no metric; every other line does.
        QCOMPARE(unnamed, 4);
        for (MetricId id : allMetricIds())
            QVERIFY2(seen.count(id) == 1, qPrintable(glossaryAnchor(id)));
    }

    void summaryLines_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<MetricId>("metric");
        QTest::addColumn<Statistic>("statistic");
        QTest::addColumn<double>("percentile");
        const auto row = [](const char *label, const char *value) {
            return summaryRow(QString::fromLatin1(label), QString::fromLatin1(value));
        };
        QTest::addRow("successful") << row("Successful requests:", "1000") << MetricId::SuccessRate << Statistic::None << 0.0;
        QTest::addRow("failed") << row("Failed requests:", "0") << MetricId::FailedRequests << Statistic::None << 0.0;
        QTest::addRow("concurrency") << row("Maximum request concurrency:", "100") << MetricId::MaxConcurrency << Statistic::None << 0.0;
        QTest::addRow("rate") << row("Request rate configured (RPS):", "20.00") << MetricId::RequestRate << Statistic::None << 0.0;
        QTest::addRow("duration") << row("Benchmark duration (s):", "45.23") << MetricId::Duration << Statistic::None << 0.0;
        QTest::addRow("input") << row("Total input tokens:", "512000") << MetricId::InputTokens << Statistic::None << 0.0;
        QTest::addRow("output") << row("Total generated tokens:", "128000") << MetricId::OutputTokens << Statistic::None << 0.0;
        QTest::addRow("req/s") << row("Request throughput (req/s):", "22.11") << MetricId::RequestThroughput << Statistic::None << 0.0;
        QTest::addRow("goodput") << row("Request goodput (req/s):", "20.00") << MetricId::RequestGoodput << Statistic::None << 0.0;
        QTest::addRow("tok/s") << row("Output token throughput (tok/s):", "2830.45") << MetricId::OutputTokenThroughput << Statistic::None << 0.0;
        QTest::addRow("peak tok/s") << row("Peak output token throughput (tok/s):", "3000.00") << MetricId::PeakOutputTokenThroughput << Statistic::None << 0.0;
        QTest::addRow("peak concurrent") << row("Peak concurrent requests:", "100.00") << MetricId::PeakConcurrentRequests << Statistic::None << 0.0;
        QTest::addRow("total tok/s") << row("Total token throughput (tok/s):", "14152.25") << MetricId::TotalTokenThroughput << Statistic::None << 0.0;
        QTest::addRow("mean ttft") << row("Mean TTFT (ms):", "125.34") << MetricId::Ttft << Statistic::Mean << 0.0;
        QTest::addRow("median tpot") << row("Median TPOT (ms):", "32.45") << MetricId::Tpot << Statistic::Median << 0.0;
        QTest::addRow("p99 itl") << row("P99 ITL (ms):", "78.23") << MetricId::Itl << Statistic::Percentile << 99.0;
        QTest::addRow("p99.9 e2el") << row("P99.9 E2EL (ms):", "1.00") << MetricId::E2el << Statistic::Percentile << 99.9;
        QTest::addRow("p50 queue") << row("P50 Queue (ms):", "0.00") << MetricId::QueueTime << Statistic::Percentile << 50.0;
        QTest::addRow("std ttft") << row("Std TTFT (ms):", "3.00") << MetricId::Ttft << Statistic::Std << 0.0;
        QTest::addRow("ttft title") << summaryTitle(QStringLiteral("Time to First Token"), u'-') << MetricId::Ttft << Statistic::None << 0.0;
        QTest::addRow("tpot title") << summaryTitle(QStringLiteral("Time per Output Token (excl. 1st token)"), u'-') << MetricId::Tpot << Statistic::None << 0.0;
        QTest::addRow("itl title") << summaryTitle(QStringLiteral("Inter-token Latency"), u'-') << MetricId::Itl << Statistic::None << 0.0;
        QTest::addRow("e2el title") << summaryTitle(QStringLiteral("End-to-end Latency"), u'-') << MetricId::E2el << Statistic::None << 0.0;
        QTest::addRow("queue title") << summaryTitle(QStringLiteral("Client Queue Time"), u'-') << MetricId::QueueTime << Statistic::None << 0.0;
        QTest::addRow("ttfrt") << row("Mean TTFRT (ms):", "12.00") << MetricId::Ttfrt << Statistic::Mean << 0.0;
        QTest::addRow("ttfat p99") << row("P99 TTFAT (ms):", "80.00") << MetricId::Ttfat << Statistic::Percentile << 99.0;
        QTest::addRow("reasoning tokens") << row("Total reasoning tokens:", "300") << MetricId::ReasoningTokens << Statistic::None << 0.0;
        QTest::addRow("reasoning title") << summaryTitle(QStringLiteral("Reasoning"), u'-') << MetricId::ReasoningTokens << Statistic::None << 0.0;
    }

    void summaryLines()
    {
        QFETCH(QString, line);
        QFETCH(MetricId, metric);
        QFETCH(Statistic, statistic);
        QFETCH(double, percentile);
        const std::optional<MetricValue> v = metricOfSummaryLine(line);
        QVERIFY(v);
        QCOMPARE(v->metric, metric);
        QCOMPARE(v->statistic, statistic);
        QCOMPARE(v->percentile, percentile);
    }

    void linesWithoutAMetric()
    {
        QVERIFY(!metricOfSummaryLine(summaryTitle(QStringLiteral(" Serving Benchmark Result "), u'=')));
        QVERIFY(!metricOfSummaryLine(QString(50, u'=')));
        QVERIFY(!metricOfSummaryLine(QString()));
        QVERIFY(!metricOfSummaryLine(QStringLiteral("Output tokens are estimates (server sent no usage)")));
        QVERIFY(!metricOfSummaryLine(QStringLiteral("Mean FOO (ms):       1.00")));
        QVERIFY(!metricOfSummaryLine(QStringLiteral("P101 TTFT (ms):      1.00")));
    }

    void resultKeys()
    {
        QCOMPARE(metricOfResultKey(u"p99.9_ttft_ms"), (MetricValue { MetricId::Ttft, Statistic::Percentile, 99.9 }));
        QCOMPARE(metricOfResultKey(u"mean_itl_ms"), (MetricValue { MetricId::Itl, Statistic::Mean, 0.0 }));
        QCOMPARE(metricOfResultKey(u"std_e2el_ms"), (MetricValue { MetricId::E2el, Statistic::Std, 0.0 }));
        QCOMPARE(metricOfResultKey(u"output_throughput"), (MetricValue { MetricId::OutputTokenThroughput, Statistic::None, 0.0 }));
        QCOMPARE(metricOfResultKey(u"completed"), (MetricValue { MetricId::SuccessRate, Statistic::None, 0.0 }));
        QVERIFY(!metricOfResultKey(u"model_id"));
    }

    void p99OfTtftIsTheSlowestPercent()
    {
        // TTFTs 1..200 ms in shuffled order: P99 interpolates to 198.01 ms, so the two slowest
        // requests (199 and 200 ms) make it, and only they.
        std::vector<int> order(200);
        for (int i = 0; i < 200; ++i)
            order[std::size_t(i)] = i + 1;
        std::shuffle(order.begin(), order.end(), *QRandomGenerator::global());
        std::vector<RequestRecord> records;
        std::vector<int> expected;
        for (std::size_t i = 0; i < order.size(); ++i) {
            records.push_back(succeeded(int(i), 0.0, order[i] / 1000.0, {}, 1.0, 5));
            if (order[i] >= 199)
                expected.push_back(int(i));
        }
        QCOMPARE(requestsBehind(records, MetricId::Ttft, Statistic::Percentile, 99.0), expected);

        // The cut is the summary's own number: every chosen TTFT is at or above it.
        MetricsConfig cfg;
        cfg.percentiles = { 90.0 };
        const BenchmarkMetrics m = computeMetrics(records, 1.0, cfg);
        const std::vector<int> p90 = requestsBehind(records, MetricId::Ttft, Statistic::Percentile, 90.0);
        QCOMPARE(p90.size(), std::size_t(20));
        for (int i : p90)
            QVERIFY(records[std::size_t(i)].ttft * 1000.0 >= *m.ttftMs.valueAt(90.0) - 1e-9);
    }

    void failedRequestsAreLeftOutOfLatencies()
    {
        std::vector<RequestRecord> records { succeeded(0, 0.0, 0.1, {}, 0.5, 5), failed(1, 0.0), succeeded(2, 0.0, 0.3, {}, 0.9, 5),
                                             failed(3, 0.1) };
        QCOMPARE(requestsBehind(records, MetricId::FailedRequests, Statistic::None, 0.0), (std::vector<int> { 1, 3 }));
        QCOMPARE(requestsBehind(records, MetricId::E2el, Statistic::Percentile, 99.0), (std::vector<int> { 2 }));
        QCOMPARE(requestsBehind(records, MetricId::Ttft, Statistic::Mean, 0.0), (std::vector<int> { 0, 2 }));
        QCOMPARE(requestsBehind(records, MetricId::RequestThroughput, Statistic::None, 0.0), (std::vector<int> { 0, 2 }));
        QCOMPARE(requestsBehind(records, MetricId::SuccessRate, Statistic::None, 0.0), (std::vector<int> { 0, 2 }));
    }

    void medianIsTheMiddleRequests()
    {
        // Odd count: the one in the middle. Even count: the two the median lies between.
        std::vector<RequestRecord> odd { succeeded(0, 0, 0.5, {}, 1, 5), succeeded(1, 0, 0.1, {}, 1, 5), succeeded(2, 0, 0.3, {}, 1, 5) };
        QCOMPARE(requestsBehind(odd, MetricId::Ttft, Statistic::Median, 0.0), (std::vector<int> { 2 }));
        odd.push_back(succeeded(3, 0, 0.4, {}, 1, 5));
        QCOMPARE(requestsBehind(odd, MetricId::Ttft, Statistic::Median, 0.0), (std::vector<int> { 2, 3 }));
    }

    void tpotCountsOnlyLongerAnswers()
    {
        // Request 1 has one output token and no TPOT; it must never be chosen for TPOT.
        std::vector<RequestRecord> records { succeeded(0, 0, 0.1, { 0.1 }, 0.2, 2), succeeded(1, 0, 0.1, {}, 0.1, 1),
                                             succeeded(2, 0, 0.1, { 0.3 }, 0.4, 2) };
        QCOMPARE(requestsBehind(records, MetricId::Tpot, Statistic::Mean, 0.0), (std::vector<int> { 0, 2 }));
        QCOMPARE(requestsBehind(records, MetricId::Tpot, Statistic::Percentile, 99.0), (std::vector<int> { 2 }));
    }

    void itlPicksRequestsWithASlowGap()
    {
        // 100 gaps pooled: 97 of 10 ms spread over requests 0 and 1, and 30, 40, 50 ms in
        // requests 2, 3 and 1. P99 = 40 + 0.01 × 10 = 40.1 ms: only the 50 ms gap is above it.
        std::vector<RequestRecord> records { succeeded(0, 0, 0.1, std::vector<double>(50, 0.010), 1, 51),
                                             succeeded(1, 0, 0.1, std::vector<double>(47, 0.010), 1, 49),
                                             succeeded(2, 0, 0.1, { 0.030 }, 1, 2), succeeded(3, 0, 0.1, { 0.040 }, 1, 2),
                                             succeeded(4, 0, 0.1, {}, 0.1, 1), failed(5, 0) };
        records[1].itl.push_back(0.050);
        QCOMPARE(requestsBehind(records, MetricId::Itl, Statistic::Percentile, 99.0), (std::vector<int> { 1 }));
        // P95 = 10 ms exactly (index 94.05 lies between two 10 ms gaps): every request with a gap.
        QCOMPARE(requestsBehind(records, MetricId::Itl, Statistic::Percentile, 95.0), (std::vector<int> { 0, 1, 2, 3 }));
        QCOMPARE(requestsBehind(records, MetricId::Itl, Statistic::Percentile, 98.0), (std::vector<int> { 1, 3 }));
        QCOMPARE(requestsBehind(records, MetricId::Itl, Statistic::Mean, 0.0), (std::vector<int> { 0, 1, 2, 3 }));
        QCOMPARE(requestsBehind(records, MetricId::Itl, Statistic::Median, 0.0), (std::vector<int> { 0, 1 }));
    }

    void peaks()
    {
        // 0 and 1 overlap from 0.5 to 1.0; 2 starts as 1 ends and so does not overlap it.
        std::vector<RequestRecord> records { succeeded(0, 0.0, 0.1, { 0.1, 0.1 }, 1.0, 3), succeeded(1, 0.5, 0.1, { 0.1 }, 1.0, 2),
                                             succeeded(2, 1.5, 0.1, {}, 0.5, 1) };
        QCOMPARE(maxConcurrentRequests(records), 2);
        QCOMPARE(sorted(requestsBehind(records, MetricId::PeakConcurrentRequests, Statistic::None, 0.0)),
                 (std::vector<int> { 0, 1 }));
        // Chunks: request 0 at 0.1, 0.2, 0.3; request 1 at 0.6, 0.7; request 2 at 1.6. Second 0
        // holds five chunks, from requests 0 and 1.
        QCOMPARE(maxOutputTokensPerSecond(records), 5.0);
        QCOMPARE(requestsBehind(records, MetricId::PeakOutputTokenThroughput, Statistic::None, 0.0),
                 (std::vector<int> { 0, 1 }));
    }

    void reasoningPicksRequestsThatReasoned()
    {
        std::vector<RequestRecord> records = { succeeded(0, 0.0, 0.10, { 0.05 }, 0.20, 2), succeeded(1, 0.1, 0.10, { 0.05 }, 0.20, 2),
                                               succeeded(2, 0.2, 0.10, { 0.05 }, 0.20, 2), failed(3, 0.3) };
        records[0].ttfrt = 0.10;
        records[0].ttfat = 0.40;
        records[1].ttfrt = 0.10;
        records[1].ttfat = 0.90;
        records[1].reasoningTokens = 40;
        records[2].reasoningTokens = 0;   // counted, none: did not reason
        records[3].ttfrt = 0.10;          // failed: in no statistic
        QCOMPARE(requestsBehind(records, MetricId::Ttfrt, Statistic::Mean, 0.0), (std::vector<int> { 0, 1 }));
        QCOMPARE(requestsBehind(records, MetricId::Ttfat, Statistic::Percentile, 99.0), (std::vector<int> { 1 }));
        QCOMPARE(requestsBehind(records, MetricId::ReasoningTokens, Statistic::None, 0.0), (std::vector<int> { 0, 1 }));
    }

    void noRecordsNoSelection()
    {
        for (MetricId id : allMetricIds())
            QVERIFY(requestsBehind({}, id, Statistic::Percentile, 99.0).empty());
    }
};

QTEST_GUILESS_MAIN(TestGlossary)
#include "tst_glossary.moc"
