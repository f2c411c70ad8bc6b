#include "report/reportcharts.h"

#include "sweep/sweepverdict.h"
#include "views/metricselection.h"

#include <QCoreApplication>

#include <algorithm>

namespace ts::report {

namespace {

QString levelAxisLabel(SweepMode mode)
{
    return mode == SweepMode::Concurrency ? QCoreApplication::translate("ts::Report", "Concurrency")
                                          : QCoreApplication::translate("ts::Report", "Request rate (req/s)");
}

// Grouped bars: one group per row of the comparison, one bar per file.
ChartSpec groupedBars(const Comparison &comparison, const QStringList &keys)
{
    ChartSpec chart;
    const int files = int(comparison.files.size());
    const double width = 0.8 / std::max(1, files);
    std::vector<const ComparisonRow *> rows;
    for (const QString &key : keys) {
        for (const ComparisonRow &row : comparison.metricRows) {
            if (row.key == key)
                rows.push_back(&row);
        }
    }
    for (const ComparisonRow *row : rows)
        chart.categories << row->label;
    for (int f = 0; f < files; ++f) {
        ChartSeries bars;
        bars.kind = ChartSeries::Bars;
        bars.name = QStringLiteral("[%1] %2").arg(f + 1).arg(comparison.names.value(f));
        bars.barWidth = width;
        bars.colorIndex = f;
        for (int i = 0; i < int(rows.size()); ++i) {
            const std::optional<double> v = f < int(rows[i]->values.size()) ? rows[i]->values[f] : std::nullopt;
            if (v)
                bars.points << QPointF(i - 0.4 + width * (f + 0.5), *v);
        }
        chart.series.push_back(std::move(bars));
    }
    return chart;
}

} // namespace

ChartSpec distributionChart(const QString &title, const QString &xLabel, const Distribution &distribution)
{
    ChartSpec chart;
    chart.title = title;
    chart.xLabel = xLabel;
    chart.yLabel = QCoreApplication::translate("ts::Report", "Requests");
    chart.y2Label = QCoreApplication::translate("ts::Report", "Cumulative %");
    const Histogram &h = distribution.histogram;
    ChartSeries bars;
    bars.kind = ChartSeries::Bars;
    bars.name = QCoreApplication::translate("ts::Report", "Count");
    bars.barWidth = h.binWidth;
    for (int i = 0; i < int(h.counts.size()); ++i)
        bars.points << QPointF(h.lower + h.binWidth * (i + 0.5), h.counts[i]);
    chart.series.push_back(std::move(bars));
    ChartSeries cdf;
    cdf.name = QCoreApplication::translate("ts::Report", "CDF");
    cdf.rightAxis = true;
    cdf.colorIndex = 1;
    for (const QPointF &p : distribution.cdf) {
        if (p.x() <= h.upper() || h.counts.empty())
            cdf.points << p;
    }
    chart.series.push_back(std::move(cdf));
    if (distribution.count > 0) {
        chart.markerX = distribution.p99;
        chart.markerLabel = QStringLiteral("P99");
    }
    return chart;
}

ChartSpec ttftOverRunChart(const std::vector<RequestRecord> &records)
{
    ChartSpec chart;
    chart.title = QCoreApplication::translate("ts::Report", "TTFT per request over the run");
    chart.xLabel = QCoreApplication::translate("ts::Report", "Sent at (s since the start)");
    chart.yLabel = QCoreApplication::translate("ts::Report", "TTFT (ms)");
    ChartSeries ok;
    ok.kind = ChartSeries::Scatter;
    ok.name = QCoreApplication::translate("ts::Report", "Succeeded");
    ChartSeries failed;
    failed.kind = ChartSeries::Scatter;
    failed.name = QCoreApplication::translate("ts::Report", "Failed");
    failed.colorIndex = 3;
    for (const RequestRecord &r : records) {
        if (r.success)
            ok.points << QPointF(r.startTime, r.ttft * 1000.0);
        else
            failed.points << QPointF(r.startTime, 0.0);
    }
    chart.series.push_back(std::move(ok));
    if (!failed.points.isEmpty())
        chart.series.push_back(std::move(failed));
    return chart;
}

ChartSpec sweepThroughputChart(const SweepResult &sweep)
{
    ChartSpec chart;
    chart.title = QCoreApplication::translate("ts::Report", "Throughput against the load");
    chart.xLabel = levelAxisLabel(sweep.config.mode);
    // Without generated tokens (embeddings) the tokens that count are the inputs.
    const bool outputs = runHasMetric(sweep.config.base.target.backend, MetricId::OutputTokenThroughput);
    chart.yLabel = outputs ? QCoreApplication::translate("ts::Report", "Output tokens/s")
                           : QCoreApplication::translate("ts::Report", "Tokens/s");
    chart.y2Label = QCoreApplication::translate("ts::Report", "Requests/s");
    chart.logX = true;
    ChartSeries tokens;
    tokens.name = outputs ? QCoreApplication::translate("ts::Report", "Output throughput")
                          : QCoreApplication::translate("ts::Report", "Total token throughput");
    ChartSeries requests;
    requests.name = QCoreApplication::translate("ts::Report", "Request throughput");
    requests.rightAxis = true;
    requests.colorIndex = 1;
    for (const SweepLevelResult &l : sweep.levels) {
        tokens.points << QPointF(l.level, outputs ? l.metrics.outputThroughput : l.metrics.totalTokenThroughput);
        requests.points << QPointF(l.level, l.metrics.requestThroughput);
    }
    chart.series.push_back(std::move(tokens));
    chart.series.push_back(std::move(requests));
    if (sweep.verdict.kneeLevel) {
        chart.markerX = *sweep.verdict.kneeLevel;
        chart.markerLabel = QCoreApplication::translate("ts::Report", "knee");
    }
    return chart;
}

ChartSpec sweepLatencyChart(const SweepResult &sweep)
{
    ChartSpec chart;
    chart.title = QCoreApplication::translate("ts::Report", "Latency against the load");
    chart.xLabel = levelAxisLabel(sweep.config.mode);
    const QString backend = sweep.config.base.target.backend;
    const bool ttft = runHasMetric(backend, MetricId::Ttft);
    const bool tpot = runHasMetric(backend, MetricId::Tpot);
    chart.yLabel = ttft ? QCoreApplication::translate("ts::Report", "TTFT, E2EL (ms)")
                        : QCoreApplication::translate("ts::Report", "E2EL (ms)");
    if (tpot)
        chart.y2Label = QCoreApplication::translate("ts::Report", "TPOT (ms)");
    chart.logX = true;
    const auto series = [&sweep](const QString &name, int color, bool right, auto value) {
        ChartSeries s;
        s.name = name;
        s.colorIndex = color;
        s.rightAxis = right;
        for (const SweepLevelResult &l : sweep.levels)
            s.points << QPointF(l.level, value(l.metrics));
        return s;
    };
    if (ttft) {
        chart.series.push_back(series(QCoreApplication::translate("ts::Report", "P99 TTFT"), 0, false, [](const BenchmarkMetrics &m) {
            return m.ttftMs.valueAt(99).value_or(m.ttftMs.mean);
        }));
    }
    chart.series.push_back(series(QCoreApplication::translate("ts::Report", "Median E2EL"), 2, false,
                                  [](const BenchmarkMetrics &m) { return m.e2elMs.median; }));
    if (tpot) {
        chart.series.push_back(series(QCoreApplication::translate("ts::Report", "Mean TPOT"), 1, true,
                                      [](const BenchmarkMetrics &m) { return m.tpotMs.mean; }));
    }
    if (sweep.verdict.kneeLevel) {
        chart.markerX = *sweep.verdict.kneeLevel;
        chart.markerLabel = QCoreApplication::translate("ts::Report", "knee");
    }
    return chart;
}

ChartSpec comparisonLatencyChart(const Comparison &comparison)
{
    ChartSpec chart = groupedBars(comparison, { QStringLiteral("mean_ttft_ms"), QStringLiteral("p99_ttft_ms"),
                                                QStringLiteral("mean_tpot_ms"), QStringLiteral("mean_itl_ms"),
                                                QStringLiteral("mean_e2el_ms") });
    chart.title = QCoreApplication::translate("ts::Report", "Latencies");
    chart.yLabel = QCoreApplication::translate("ts::Report", "Milliseconds");
    return chart;
}

ChartSpec comparisonThroughputChart(const Comparison &comparison)
{
    ChartSpec chart = groupedBars(comparison, { QStringLiteral("output_throughput"), QStringLiteral("total_token_throughput") });
    chart.title = QCoreApplication::translate("ts::Report", "Throughput");
    chart.yLabel = QCoreApplication::translate("ts::Report", "Tokens/s");
    return chart;
}

} // namespace ts::report
