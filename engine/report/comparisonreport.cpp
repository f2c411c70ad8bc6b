#include "report/reportsource.h"

#include "report/reportcharts.h"
#include "report/reportparts.h"

#include <QCoreApplication>

namespace ts {

namespace {

ReportTable comparisonTable(const Comparison &comparison, const std::vector<ComparisonRow> &rows, bool withDiff)
{
    ReportTable t;
    t.numeric = withDiff;
    t.header << QString();
    for (int f = 0; f < int(comparison.names.size()); ++f)
        t.header << QStringLiteral("[%1]").arg(f + 1);
    for (const ComparisonRow &row : rows) {
        QStringList cells { row.label };
        for (int f = 0; f < int(row.texts.size()); ++f) {
            QString cell = row.texts.at(f).isEmpty() ? QStringLiteral("—") : row.texts.at(f);
            const std::optional<double> diff = withDiff && f < int(row.diffPercent.size()) ? row.diffPercent[f] : std::nullopt;
            if (diff)
                cell += QStringLiteral(" (%1%2 %)").arg(*diff > 0 ? QStringLiteral("+") : QString(), report::number(*diff, 1));
            cells << cell;
        }
        t.rows << cells;
    }
    return t;
}

} // namespace

ReportContent comparisonReportContent(const Comparison &comparison)
{
    ReportContent c;
    c.title = QCoreApplication::translate("ts::Report", "Comparison report");
    QStringList models;
    for (const ResultFile &f : comparison.files) {
        if (!f.setup.modelId.isEmpty() && !models.contains(f.setup.modelId))
            models << f.setup.modelId;
    }
    c.subtitle = QCoreApplication::translate("ts::Report", "%n result(s) · %1", nullptr, int(comparison.files.size()))
                     .arg(models.join(QStringLiteral(", ")));

    ReportSection files;
    files.title = QCoreApplication::translate("ts::Report", "Files");
    files.addParagraph(QCoreApplication::translate("ts::Report", "Each later file is compared with the first: differences in percent of [1]."));
    ReportTable legend;
    for (int f = 0; f < int(comparison.names.size()); ++f)
        legend.rows << QStringList { QStringLiteral("[%1]").arg(f + 1), comparison.names.at(f) };
    files.addTable(std::move(legend));
    c.sections.push_back(std::move(files));

    ReportSection setup;
    setup.title = QCoreApplication::translate("ts::Report", "Setups");
    setup.addTable(comparisonTable(comparison, comparison.setupRows, false));
    c.sections.push_back(std::move(setup));

    ReportSection metrics;
    metrics.title = QCoreApplication::translate("ts::Report", "Metrics");
    metrics.addTable(comparisonTable(comparison, comparison.metricRows, true));
    c.sections.push_back(std::move(metrics));

    ReportSection charts;
    charts.title = QCoreApplication::translate("ts::Report", "Charts");
    charts.addChart(report::comparisonLatencyChart(comparison));
    charts.addChart(report::comparisonThroughputChart(comparison));
    c.sections.push_back(std::move(charts));
    c.sections.push_back(report::environmentSection());
    return c;
}

} // namespace ts
