#include "report/reportsource.h"

#include "report/reportcharts.h"
#include "report/reportparts.h"
#include "sweep/sweepverdict.h"

#include <QCoreApplication>

namespace ts {

namespace {

QString optionalPercent(const std::optional<double> &v)
{
    return v ? QStringLiteral("%1 %").arg(report::number(*v, 1)) : QStringLiteral("—");
}

ReportTable levelTable(const SweepResult &sweep)
{
    ReportTable t;
    t.numeric = true;
    t.header = QStringList { sweep.config.mode == SweepMode::Concurrency ? QCoreApplication::translate("ts::Report", "Concurrency")
                                                                         : QCoreApplication::translate("ts::Report", "Rate (req/s)"),
                             QCoreApplication::translate("ts::Report", "Completed"),
                             QCoreApplication::translate("ts::Report", "Failed"),
                             QCoreApplication::translate("ts::Report", "Req/s"),
                             QCoreApplication::translate("ts::Report", "Output tok/s"),
                             QCoreApplication::translate("ts::Report", "Gain per doubling"),
                             QCoreApplication::translate("ts::Report", "P99 TTFT (ms)"),
                             QCoreApplication::translate("ts::Report", "Mean TPOT (ms)"),
                             QCoreApplication::translate("ts::Report", "Median E2EL (ms)"),
                             QCoreApplication::translate("ts::Report", "Rules broken") };
    for (const SweepLevelResult &l : sweep.levels) {
        const BenchmarkMetrics &m = l.metrics;
        QStringList broken;
        for (const QString &rule : l.brokenRules)
            broken << sweepLimitName(rule);
        if (l.partial)
            broken << QCoreApplication::translate("ts::Report", "stopped (partial)");
        t.rows << QStringList { report::number(l.level, sweep.config.mode == SweepMode::Concurrency ? 0 : 2),
                                QString::number(m.completed), QString::number(m.failed), report::number(m.requestThroughput),
                                report::number(m.outputThroughput, 1), optionalPercent(l.gainPerDoublingPercent),
                                report::number(m.ttftMs.valueAt(99).value_or(m.ttftMs.mean)), report::number(m.tpotMs.mean),
                                report::number(m.e2elMs.median), broken.join(QStringLiteral("; ")) };
    }
    return t;
}

} // namespace

ReportContent sweepReportContent(const SweepResult &sweep)
{
    const BenchmarkConfig &base = sweep.config.base;
    // A summary read back keeps no per-request records, nor the server's address.
    const bool fromFile = !sweep.levels.empty() && sweep.levels.front().run.records.empty();
    ReportContent c;
    c.title = QCoreApplication::translate("ts::Report", "Sweep report");
    c.subtitle = QCoreApplication::translate("ts::Report", "%1 · %2 · %3")
                     .arg(base.target.model.isEmpty() ? QCoreApplication::translate("ts::Report", "unknown model") : base.target.model,
                          sweep.config.mode == SweepMode::Concurrency ? QCoreApplication::translate("ts::Report", "concurrency sweep")
                                                                      : QCoreApplication::translate("ts::Report", "request rate sweep"),
                          report::dateText(sweep.date));
    c.sections.push_back(report::targetSection(base, fromFile));

    ReportSection verdict;
    verdict.title = QCoreApplication::translate("ts::Report", "Verdict");
    if (sweep.stopped)
        verdict.addWarning(QCoreApplication::translate("ts::Report", "The sweep was stopped before it finished."));
    const QString text = sweep.verdictText.isEmpty() ? sweepVerdictText(sweep.config, sweep.levels, sweep.verdict) : sweep.verdictText;
    for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts))
        verdict.addParagraph(line);
    c.sections.push_back(std::move(verdict));

    ReportSection levels;
    levels.title = QCoreApplication::translate("ts::Report", "Levels");
    QStringList planned;
    for (double level : sweep.config.levels)
        planned << report::number(level, sweep.config.mode == SweepMode::Concurrency ? 0 : 2);
    levels.addParagraph(QCoreApplication::translate("ts::Report", "Planned levels: %1. Measured: %2.")
                            .arg(planned.join(QStringLiteral(", ")))
                            .arg(sweep.levels.size()));
    levels.addTable(levelTable(sweep));
    c.sections.push_back(std::move(levels));

    if (!sweep.levels.empty()) {
        ReportSection charts;
        charts.title = QCoreApplication::translate("ts::Report", "Charts");
        charts.addChart(report::sweepThroughputChart(sweep));
        charts.addChart(report::sweepLatencyChart(sweep));
        c.sections.push_back(std::move(charts));
    }
    c.sections.push_back(report::environmentSection());
    return c;
}

} // namespace ts
