#include "report/reportsource.h"

#include "metrics/ratinghints.h"
#include "report/reportcharts.h"
#include "report/reportparts.h"
#include "results/summary.h"
#include "views/metricselection.h"

#include <QCoreApplication>

#include <algorithm>

namespace ts {

namespace {

QString thresholdText(double excellent, double good, const QString &unit, bool lowerIsBetter)
{
    const QString excellentText = QStringLiteral("%1 %2").arg(report::number(excellent, 1), unit);
    const QString goodText = QStringLiteral("%1 %2").arg(report::number(good, 1), unit);
    return lowerIsBetter ? QCoreApplication::translate("ts::Report", "below %1 excellent, below %2 good").arg(excellentText, goodText)
                         : QCoreApplication::translate("ts::Report", "above %1 excellent, above %2 good").arg(excellentText, goodText);
}

ReportSection ratingSection(const BenchmarkMetrics &m, const RatingThresholds &t, const QString &backend)
{
    ReportSection s;
    s.title = QCoreApplication::translate("ts::Report", "Rating against the guide's reference values");
    HeadlineRatings ratings = rateHeadlineMetrics(m, t);
    const bool hasTtft = runHasMetric(backend, MetricId::Ttft);
    const bool hasTpot = runHasMetric(backend, MetricId::Tpot);
    if (!hasTtft)
        ratings.ttft.reset();
    if (!hasTpot)
        ratings.tpot.reset();
    ReportTable table;
    table.header = QStringList { QCoreApplication::translate("ts::Report", "Metric"), QCoreApplication::translate("ts::Report", "Value"),
                                 QCoreApplication::translate("ts::Report", "Rating"),
                                 QCoreApplication::translate("ts::Report", "Thresholds") };
    const QString ms = QCoreApplication::translate("ts::Report", "ms");
    const QString reqs = QCoreApplication::translate("ts::Report", "req/s");
    const auto row = [&table](const QString &name, const std::optional<Rating> &rating, const QString &value, const QString &limits) {
        table.rows << QStringList { name, rating ? value : QStringLiteral("—"),
                                    rating ? ratingName(*rating) : QCoreApplication::translate("ts::Report", "no data"), limits };
    };
    if (hasTtft)
        row(QCoreApplication::translate("ts::Report", "Mean TTFT"), ratings.ttft, QStringLiteral("%1 %2").arg(report::number(m.ttftMs.mean, 1), ms),
            thresholdText(t.ttftExcellentMs, t.ttftGoodMs, ms, true));
    if (hasTpot)
        row(QCoreApplication::translate("ts::Report", "Mean TPOT"), ratings.tpot, QStringLiteral("%1 %2").arg(report::number(m.tpotMs.mean, 1), ms),
            thresholdText(t.tpotExcellentMs, t.tpotGoodMs, ms, true));
    row(QCoreApplication::translate("ts::Report", "Request throughput"), ratings.requestThroughput,
        QStringLiteral("%1 %2").arg(report::number(m.requestThroughput), reqs),
        thresholdText(t.throughputExcellent, t.throughputGood, reqs, false));
    row(QCoreApplication::translate("ts::Report", "Success rate"), ratings.successRate,
        QStringLiteral("%1 %").arg(report::number(m.successRatePercent(), 1)),
        thresholdText(t.successExcellentPercent, t.successGoodPercent, QStringLiteral("%"), false));
    s.addTable(std::move(table));
    const QStringList hints = ratingHints(m, ratings);
    if (hints.isEmpty())
        s.addParagraph(ratingNoHintText(ratings));
    for (const QString &hint : hints)
        s.addRich(hint);
    return s;
}

} // namespace

ReportContent runReportContent(const ResultDocument &doc, const RatingThresholds &thresholds)
{
    const RunResult &run = doc.run;
    const BenchmarkConfig &config = run.config;
    ReportContent c;
    c.title = QCoreApplication::translate("ts::Report", "Benchmark report");
    c.subtitle = QCoreApplication::translate("ts::Report", "%1 · %2 · %3")
                     .arg(config.target.model.isEmpty() ? QCoreApplication::translate("ts::Report", "unknown model") : config.target.model,
                          config.target.backend, report::dateText(run.date));
    c.sections.push_back(report::targetSection(config, doc.fromFile()));
    c.sections.push_back(report::workloadSection(config, doc.fromFile()));

    ReportSection summary;
    summary.title = QCoreApplication::translate("ts::Report", "Summary");
    if (run.stopped)
        summary.addWarning(QCoreApplication::translate("ts::Report", "The run was stopped before it finished; the numbers cover what was measured."));
    summary.addPreformatted(formatSummary(run, doc.metrics, doc.metricsConfig));
    if (doc.metrics.hasReasoning())
        summary.addParagraph(QCoreApplication::translate("ts::Report", "The model reasoned before answering: TTFT is the wait for its first reasoning, TTFAT the wait for the answer itself. TTFAT − TTFRT is the time spent reasoning."));
    c.sections.push_back(std::move(summary));

    c.sections.push_back(ratingSection(doc.metrics, thresholds, config.target.backend));

    ReportSection statistics;
    statistics.title = QCoreApplication::translate("ts::Report", "Per-request statistics");
    if (doc.hasRecords) {
        const int failed = int(std::count_if(run.records.begin(), run.records.end(), [](const RequestRecord &r) { return !r.success; }));
        statistics.addParagraph(QCoreApplication::translate("ts::Report", "%1 requests, %2 failed. Times over the successful requests.")
                                    .arg(run.records.size())
                                    .arg(failed));
        statistics.addTable(report::requestStatisticsTable(run.records, config.target.backend));
    } else {
        statistics.addParagraph(QCoreApplication::translate("ts::Report", "The result file has no per-request data; only the summary above is known."));
    }
    c.sections.push_back(std::move(statistics));

    if (doc.hasRecords) {
        ReportSection charts;
        charts.title = QCoreApplication::translate("ts::Report", "Distributions");
        if (runHasMetric(config.target.backend, MetricId::Ttft))
            charts.addChart(report::distributionChart(QCoreApplication::translate("ts::Report", "Time to first token (TTFT)"),
                                                      QCoreApplication::translate("ts::Report", "TTFT (ms)"), doc.ttftMs));
        if (runHasMetric(config.target.backend, MetricId::Tpot))
            charts.addChart(report::distributionChart(QCoreApplication::translate("ts::Report", "Time per output token (TPOT)"),
                                                      QCoreApplication::translate("ts::Report", "TPOT (ms)"), doc.tpotMs));
        if (runHasMetric(config.target.backend, MetricId::Itl))
            charts.addChart(report::distributionChart(QCoreApplication::translate("ts::Report", "Inter-token latency (ITL)"),
                                                      QCoreApplication::translate("ts::Report", "ITL (ms)"), doc.itlMs));
        charts.addChart(report::distributionChart(QCoreApplication::translate("ts::Report", "End-to-end latency (E2EL)"),
                                                  QCoreApplication::translate("ts::Report", "E2EL (ms)"), doc.e2elMs));
        if (doc.ttfrtMs.count > 0) {
            charts.addChart(report::distributionChart(QCoreApplication::translate("ts::Report", "Time to first reasoning token (TTFRT)"),
                                                      QCoreApplication::translate("ts::Report", "TTFRT (ms)"), doc.ttfrtMs));
            charts.addChart(report::distributionChart(QCoreApplication::translate("ts::Report", "Time to first answer token (TTFAT)"),
                                                      QCoreApplication::translate("ts::Report", "TTFAT (ms)"), doc.ttfatMs));
        }
        c.sections.push_back(std::move(charts));

        ReportSection overRun;
        overRun.title = QCoreApplication::translate("ts::Report", "Over the run");
        // vLLM's files do not record when requests were sent: every start time is then 0.
        const bool timed = std::any_of(run.records.begin(), run.records.end(), [](const RequestRecord &r) { return r.startTime > 0.0; });
        if (timed && runHasMetric(config.target.backend, MetricId::Ttft))
            overRun.addChart(report::ttftOverRunChart(run.records));
        // The timeline painter fills this in when the writer is given one (ReportOptions).
        overRun.blocks.push_back({ ReportBlock::Timeline, QCoreApplication::translate("ts::Report", "Request timeline"), {}, {} });
        c.sections.push_back(std::move(overRun));
    }

    c.sections.push_back(report::clientOverheadSection(run, doc.metrics, doc.fromFile()));
    c.sections.push_back(report::environmentSection());
    return c;
}

} // namespace ts
