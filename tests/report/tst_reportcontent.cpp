#include "metrics/ratinghints.h"
#include "report/reportsource.h"

#include <QTest>

using namespace ts;

namespace {

QString dataFile(const QString &name)
{
    return qEnvironmentVariable("TOKENSTORM_TEST_DATA") + u'/' + name;
}

// Every text of a report, to search it as a reader would.
QString allText(const ReportContent &c)
{
    QStringList texts { c.title, c.subtitle };
    for (const ReportSection &s : c.sections) {
        texts << s.title;
        for (const ReportBlock &b : s.blocks) {
            texts << b.text << b.table.header;
            for (const QStringList &row : b.table.rows)
                texts << row;
            texts << b.chart.title << b.chart.categories;
            for (const ChartSeries &series : b.chart.series)
                texts << series.name;
        }
    }
    return texts.join(u'\n');
}

std::vector<const ReportBlock *> blocksOf(const ReportContent &c, ReportBlock::Kind kind)
{
    std::vector<const ReportBlock *> blocks;
    for (const ReportSection &s : c.sections) {
        for (const ReportBlock &b : s.blocks) {
            if (b.kind == kind)
                blocks.push_back(&b);
        }
    }
    return blocks;
}

// A run of n successful requests with slow first tokens, sent 0.1 s apart.
RunResult slowRun(int n)
{
    RunResult run;
    run.config.target.baseUrl = QUrl(QStringLiteral("http://10.1.2.3:8000"));
    run.config.target.model = QStringLiteral("m-test");
    run.config.target.apiKey = QStringLiteral("sk-very-secret");
    run.config.target.headers << qMakePair(QByteArray("X-Token"), QByteArray("header-secret"));
    run.config.load.numPrompts = n;
    run.date = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5));
    for (int i = 0; i < n; ++i) {
        RequestRecord r;
        r.index = i;
        r.success = true;
        r.promptTokens = 100;
        r.outputTokens = 11;
        r.startTime = 0.1 * i;
        r.ttft = 0.5;
        r.itl = std::vector<double>(10, 0.02);
        r.latency = 0.7;
        run.records.push_back(r);
    }
    run.duration = 0.1 * n + 0.7;
    run.requested = n;
    run.clientThreads = 2;
    return run;
}

} // namespace

class TestReportContent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void vllmResultFile();
    void liveRunShowsTargetWithoutSecrets();
    void reasoningRunAddsItsStatistics();
    void busyClientWarning_data();
    void busyClientWarning();
    void hintsAreTheRatingPanels();
    void sweepSummary();
    void comparison();
    void sourceFromFiles();
};

void TestReportContent::vllmResultFile()
{
    QString error;
    const std::optional<ResultDocument> doc = documentFromFile(dataFile(QStringLiteral("vllm/vllm-completions-detailed.json")), &error);
    QVERIFY2(doc, qPrintable(error));
    const ReportContent c = runReportContent(*doc);
    QVERIFY(c.subtitle.contains(QLatin1String("tiny")));
    const QString text = allText(c);
    QVERIFY(text.contains(QLatin1String("Serving Benchmark Result")));   // vLLM's console layout
    QVERIFY(text.contains(QLatin1String("not in the result file")));     // no address in vLLM's files
    // Per-request statistics over the 24 requests.
    const std::vector<const ReportBlock *> tables = blocksOf(c, ReportBlock::Table);
    const auto stats = std::find_if(tables.begin(), tables.end(), [](const ReportBlock *b) {
        return b->table.rows.size() == 6 && b->table.header.size() == 8;
    });
    QVERIFY(stats != tables.end());
    QCOMPARE((*stats)->table.rows.at(0).at(1), QStringLiteral("24"));
    // Four distributions; no TTFT-over-time chart, as vLLM records no send times.
    const std::vector<const ReportBlock *> charts = blocksOf(c, ReportBlock::Chart);
    QCOMPARE(charts.size(), std::size_t(4));
    for (const ReportBlock *chart : charts) {
        QCOMPARE(chart->chart.series.size(), std::size_t(2));
        QVERIFY(!chart->chart.series.front().points.isEmpty());
    }
    QCOMPARE(blocksOf(c, ReportBlock::Timeline).size(), std::size_t(1));
}

void TestReportContent::liveRunShowsTargetWithoutSecrets()
{
    const ResultDocument doc = documentFromRun(slowRun(20));
    const QString text = allText(runReportContent(doc));
    QVERIFY(text.contains(QLatin1String("http://10.1.2.3:8000")));
    QVERIFY(text.contains(QLatin1String("m-test")));
    QVERIFY(!text.contains(QLatin1String("sk-very-secret")));
    QVERIFY(!text.contains(QLatin1String("header-secret")));
    QVERIFY(!text.contains(QLatin1String("X-Token")));
    // With send times, TTFT over the run is the fifth chart.
    QCOMPARE(blocksOf(runReportContent(doc), ReportBlock::Chart).size(), std::size_t(5));
}

void TestReportContent::reasoningRunAddsItsStatistics()
{
    RunResult run = slowRun(10);
    for (RequestRecord &r : run.records) {
        r.ttfrt = r.ttft;
        r.ttfat = r.ttft + 0.1;
        r.reasoningTokens = 5;
    }
    const ReportContent c = runReportContent(documentFromRun(run));
    const QString text = allText(c);
    QVERIFY(text.contains(QLatin1String("TTFRT (ms)")));
    QVERIFY(text.contains(QLatin1String("TTFAT (ms)")));
    QVERIFY(text.contains(QLatin1String("Reasoning tokens")));
    QVERIFY(text.contains(QLatin1String("Mean TTFAT (ms):")));   // the console summary's block
    // The four distributions, TTFRT and TTFAT, TTFT over the run.
    QCOMPARE(blocksOf(c, ReportBlock::Chart).size(), std::size_t(7));

    const QString plain = allText(runReportContent(documentFromRun(slowRun(10))));
    QVERIFY(!plain.contains(QLatin1String("TTFRT")));
    QVERIFY(!plain.contains(QLatin1String("Reasoning tokens")));
}

void TestReportContent::busyClientWarning_data()
{
    QTest::addColumn<double>("busyShare");
    QTest::addColumn<bool>("warned");
    QTest::addRow("idle") << 0.3 << false;
    QTest::addRow("busy") << 0.97 << true;
}

void TestReportContent::busyClientWarning()
{
    QFETCH(double, busyShare);
    QFETCH(bool, warned);
    RunResult run = slowRun(10);
    run.transportCpuSeconds = busyShare * run.duration * run.clientThreads;
    run.clientCpuSeconds = run.transportCpuSeconds + 0.1;
    const ReportContent c = runReportContent(documentFromRun(run));
    const std::vector<const ReportBlock *> warnings = blocksOf(c, ReportBlock::Warning);
    QCOMPARE(!warnings.empty(), warned);
    if (warned)
        QVERIFY(warnings.front()->text.contains(QStringLiteral("%1 %").arg(qRound(busyShare * 100))));
}

void TestReportContent::hintsAreTheRatingPanels()
{
    const ResultDocument doc = documentFromRun(slowRun(10));
    const HeadlineRatings ratings = rateHeadlineMetrics(doc.metrics, {});
    QVERIFY(ratings.ttft == Rating::NeedsWork);   // 500 ms against 200 ms
    const QStringList hints = ratingHints(doc.metrics, ratings);
    QVERIFY(!hints.isEmpty());
    QVERIFY(hints.front().contains(QLatin1String("first token")));
    const std::vector<const ReportBlock *> rich = blocksOf(runReportContent(doc), ReportBlock::RichParagraph);
    QCOMPARE(int(rich.size()), int(hints.size()));
    QCOMPARE(rich.front()->text, hints.front());
    // Stricter thresholds change the verdict, as the panel's editable ones do.
    RatingThresholds lenient;
    lenient.ttftExcellentMs = 1000;
    lenient.ttftGoodMs = 2000;
    QVERIFY(rateHeadlineMetrics(doc.metrics, lenient).ttft == Rating::Excellent);
}

void TestReportContent::sweepSummary()
{
    QString error;
    const std::optional<SweepResult> sweep = readSweepSummary(dataFile(QStringLiteral("report/sweep-summary.json")), &error);
    QVERIFY2(sweep, qPrintable(error));
    const ReportContent c = sweepReportContent(*sweep);
    const QString text = allText(c);
    QVERIFY(text.contains(sweep->config.base.target.model));
    QVERIFY(text.contains(sweep->verdictText.split(u'\n').first()));
    const std::vector<const ReportBlock *> charts = blocksOf(c, ReportBlock::Chart);
    QCOMPARE(charts.size(), std::size_t(2));
    QCOMPARE(charts.front()->chart.series.front().points.size(), qsizetype(sweep->levels.size()));
    QVERIFY(sweep->verdict.kneeLevel);
    QCOMPARE(charts.front()->chart.markerX, sweep->verdict.kneeLevel);
    const std::vector<const ReportBlock *> tables = blocksOf(c, ReportBlock::Table);
    QVERIFY(std::any_of(tables.begin(), tables.end(), [&](const ReportBlock *b) { return b->table.rows.size() == qsizetype(sweep->levels.size()) && b->table.numeric; }));
}

void TestReportContent::comparison()
{
    QString error;
    const std::optional<Comparison> comparison = compareResultFiles(
        { dataFile(QStringLiteral("vllm/vllm-completions-detailed.json")), dataFile(QStringLiteral("vllm/vllm-chat-summary.json")) }, &error);
    QVERIFY2(comparison, qPrintable(error));
    const ReportContent c = comparisonReportContent(*comparison);
    QVERIFY(allText(c).contains(QLatin1String("vllm-chat-summary.json")));
    const std::vector<const ReportBlock *> charts = blocksOf(c, ReportBlock::Chart);
    QCOMPARE(charts.size(), std::size_t(2));
    for (const ReportBlock *chart : charts) {
        QCOMPARE(chart->chart.series.size(), std::size_t(2));   // a bar per file
        QVERIFY(!chart->chart.categories.isEmpty());
    }
}

void TestReportContent::sourceFromFiles()
{
    QString error;
    std::optional<ReportSource> s = reportSourceFromFiles({ dataFile(QStringLiteral("vllm/vllm-completions-detailed.json")) }, &error);
    QVERIFY(s && std::holds_alternative<ResultDocument>(*s));
    s = reportSourceFromFiles({ dataFile(QStringLiteral("report/sweep-summary.json")) }, &error);
    QVERIFY(s && std::holds_alternative<SweepResult>(*s));
    s = reportSourceFromFiles({ dataFile(QStringLiteral("vllm/vllm-completions-detailed.json")), dataFile(QStringLiteral("report/run.json")) }, &error);
    QVERIFY2(s && std::holds_alternative<Comparison>(*s), qPrintable(error));
    s = reportSourceFromFiles({ dataFile(QStringLiteral("no-such-result.json")) }, &error);
    QVERIFY(!s);
    QVERIFY2(error.contains(QLatin1String("no-such-result.json")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestReportContent)
#include "tst_reportcontent.moc"
