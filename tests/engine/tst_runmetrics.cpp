#include "backends/backendregistry.h"
#include "report/reportsource.h"
#include "sim/simserverthread.h"
#include "simrun.h"
#include "views/metricselection.h"
#include "views/resultdocument.h"

#include <QTest>

#include <algorithm>

using namespace ts;

namespace {

// Every text of a report: section titles, paragraphs, table cells and chart titles.
QStringList reportTexts(const ReportContent &content)
{
    QStringList texts;
    for (const ReportSection &section : content.sections) {
        texts << section.title;
        for (const ReportBlock &block : section.blocks) {
            texts << block.text << block.chart.title;
            for (const QStringList &row : block.table.rows)
                texts << row;
        }
    }
    return texts;
}

bool mentions(const QStringList &texts, const QString &what)
{
    return std::any_of(texts.begin(), texts.end(), [&](const QString &t) { return t.contains(what); });
}

RunResult runAgainstSim(const QString &backend)
{
    SimServerThread server;
    if (!server.start(test::fixedServer(10, 2)).ok())
        return {};
    BenchmarkConfig config;
    config.target.backend = backend;
    config.target.endpoint = findBackend(backend)->defaultEndpoint;
    config.target.baseUrl = server.baseUrl();
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.random.inputLen = 32;
    config.random.outputLen = 6;
    config.load.numPrompts = 8;
    config.load.maxConcurrency = 4;
    return test::runToEnd(config);
}

} // namespace

// Which metrics a run has, the rule every view and the report follow: all of them for an API
// that generates text, none of the token timings for one that answers with embeddings.
class TestRunMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyApiRow()
    {
        for (const BackendInfo &info : backends()) {
            for (MetricId metric : allMetricIds()) {
                const bool tokenMetric = metric == MetricId::Ttft || metric == MetricId::Tpot || metric == MetricId::Itl
                    || metric == MetricId::OutputTokenThroughput || metric == MetricId::PeakOutputTokenThroughput
                    || metric == MetricId::OutputTokens;
                QCOMPARE(runHasMetric(info.name, metric), info.generatesText() || !tokenMetric);
            }
        }
        QVERIFY(!runHasMetric(QStringLiteral("openai-embeddings"), MetricId::Ttft));
        QVERIFY(runHasMetric(QStringLiteral("openai-embeddings"), MetricId::E2el));
        QVERIFY(runHasMetric(QStringLiteral("openai-embeddings"), MetricId::TotalTokenThroughput));
        // A result file of an API this build does not know is shown in full.
        QVERIFY(runHasMetric(QStringLiteral("no-such-api"), MetricId::Tpot));
        QVERIFY(runHasMetric(QString(), MetricId::Ttft));
    }

    void reportOfAnEmbeddingsRun()
    {
        const RunResult run = runAgainstSim(QStringLiteral("openai-embeddings"));
        QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
        QCOMPARE(int(run.records.size()), 8);
        const QStringList texts = reportTexts(runReportContent(documentFromRun(run)));
        QVERIFY(mentions(texts, QStringLiteral("E2EL (ms)")));
        QVERIFY(mentions(texts, QStringLiteral("Input tokens")));
        QVERIFY(mentions(texts, QStringLiteral("Request throughput")));
        for (const QString &absent : { QStringLiteral("Mean TTFT"), QStringLiteral("Mean TPOT"), QStringLiteral("TTFT (ms)"),
                                       QStringLiteral("TPOT (ms)"), QStringLiteral("ITL (ms)"), QStringLiteral("Output tokens"),
                                       QStringLiteral("TTFT per request") })
            QVERIFY2(!mentions(texts, absent), qPrintable(absent));
    }

    void reportOfATextRunKeepsEverything()
    {
        const RunResult run = runAgainstSim(QStringLiteral("openai"));
        QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
        const QStringList texts = reportTexts(runReportContent(documentFromRun(run)));
        for (const QString &present : { QStringLiteral("Mean TTFT"), QStringLiteral("Mean TPOT"), QStringLiteral("TTFT (ms)"),
                                        QStringLiteral("ITL (ms)"), QStringLiteral("Output tokens"),
                                        QStringLiteral("E2EL (ms)") })
            QVERIFY2(mentions(texts, present), qPrintable(present));
    }
};

QTEST_GUILESS_MAIN(TestRunMetrics)
#include "tst_runmetrics.moc"
