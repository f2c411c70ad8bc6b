// The result as the results view shows it, for a reasoning model and for a plain one: the
// TTFRT and TTFAT distributions and the summary's Reasoning block appear only with reasoning.
#include "backends/backendregistry.h"
#include "results/summary.h"
#include "sim/simserverthread.h"
#include "views/glossary.h"
#include "views/resultdocument.h"
#include "simrun.h"

#include <QTest>

using namespace ts;

namespace {

RunResult runAgainstSim(int reasoningTokens)
{
    // Gaps long enough that the last reasoning chunk and the first answer chunk arrive apart.
    SimServerConfig sim = test::fixedServer(5, 25);
    sim.reasoningTokens = reasoningTokens;
    SimServerThread server;
    if (!server.start(sim).ok())
        return {};
    BenchmarkConfig config;
    config.target.baseUrl = server.baseUrl();
    config.target.backend = QStringLiteral("openai-chat");
    config.target.endpoint = findBackend(config.target.backend)->defaultEndpoint;
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.random.inputLen = 16;
    config.random.outputLen = 8;
    config.load.numPrompts = 4;
    config.metrics.percentiles = { 50.0, 99.0 };
    return test::runToEnd(config);
}

// The metrics the summary text names, line by line.
std::vector<MetricValue> summaryMetrics(const ResultDocument &doc)
{
    std::vector<MetricValue> out;
    const QStringList lines = formatSummary(doc.run, doc.metrics, doc.metricsConfig).split(u'\n');
    for (const QString &line : lines) {
        if (const std::optional<MetricValue> v = metricOfSummaryLine(line))
            out.push_back(*v);
    }
    return out;
}

bool names(const std::vector<MetricValue> &values, MetricId id)
{
    return std::any_of(values.begin(), values.end(), [id](const MetricValue &v) { return v.metric == id; });
}

} // namespace

class TestResultDocument : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void reasoningRunHasItsDistributionsAndBlock()
    {
        const RunResult run = runAgainstSim(3);
        QCOMPARE(int(run.records.size()), 4);
        const ResultDocument doc = documentFromRun(run);
        QCOMPARE(doc.metrics.reasoningRequests, 4);
        QCOMPARE(doc.ttfrtMs.count, 4);
        QCOMPARE(doc.ttfatMs.count, 4);
        // The answer follows three reasoning tokens 25 ms apart.
        QVERIFY2(doc.ttfrtMs.p50 < doc.ttfatMs.p50, qPrintable(QStringLiteral("%1 < %2").arg(doc.ttfrtMs.p50).arg(doc.ttfatMs.p50)));
        QCOMPARE(doc.ttfrtMs.p50, doc.ttftMs.p50);

        const std::vector<MetricValue> named = summaryMetrics(doc);
        QVERIFY(names(named, MetricId::Ttfrt));
        QVERIFY(names(named, MetricId::Ttfat));
        QVERIFY(names(named, MetricId::ReasoningTokens));
        const MetricValue p99 { MetricId::Ttfat, Statistic::Percentile, 99.0 };
        QVERIFY(std::find(named.begin(), named.end(), p99) != named.end());
        const QString text = formatSummary(doc.run, doc.metrics, doc.metricsConfig);
        QVERIFY(text.contains(QStringLiteral("Total reasoning tokens:")));
        QVERIFY(text.contains(QStringLiteral("12")));   // 4 requests × 3 reasoning tokens
    }

    void plainRunLooksAsBefore()
    {
        const RunResult run = runAgainstSim(0);
        QCOMPARE(int(run.records.size()), 4);
        const ResultDocument doc = documentFromRun(run);
        QVERIFY(!doc.metrics.hasReasoning());
        QCOMPARE(doc.ttfrtMs.count, 0);
        QCOMPARE(doc.ttfatMs.count, 0);
        QCOMPARE(doc.ttftMs.count, 4);
        const std::vector<MetricValue> named = summaryMetrics(doc);
        QVERIFY(!names(named, MetricId::Ttfrt));
        QVERIFY(!names(named, MetricId::Ttfat));
        QVERIFY(!names(named, MetricId::ReasoningTokens));
    }
};

QTEST_GUILESS_MAIN(TestResultDocument)
#include "tst_resultdocument.moc"
