#include "charts/livecharts.h"

#include "charts/chartview.h"
#include "views/distributiondata.h"
#include "views/glossary.h"
#include "views/metricselection.h"

#include <QAreaSeries>
#include <QChart>
#include <QEvent>
#include <QGridLayout>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>

namespace ts {

namespace {

QValueAxis *makeAxis(QChart *chart, Qt::Alignment alignment)
{
    auto *axis = new QValueAxis(chart);
    axis->setLabelFormat(QStringLiteral("%g"));
    axis->setRange(0, 1);
    chart->addAxis(axis, alignment);
    return axis;
}

void attach(QChart *chart, QAbstractSeries *series, QValueAxis *x, QValueAxis *y)
{
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

QLineSeries *makeLine(QColor color, qreal width = 2.0)
{
    auto *line = new QLineSeries;
    QPen pen(color);
    pen.setWidthF(width);
    line->setPen(pen);
    return line;
}

double maxY(const QList<QPointF> &points)
{
    double m = 0.0;
    for (const QPointF &p : points)
        m = std::max(m, p.y());
    return m;
}

// Time axes grow in round steps so they do not rescale at every redraw.
double timeAxisEnd(double elapsed)
{
    return niceCeiling(std::max(10.0, elapsed * 1.05));
}

} // namespace

LiveCharts::LiveCharts(QWidget *parent)
    : ResultTab(parent)
{
    // TTFT over time.
    m_ttftChart = new QChart;
    m_ttftX = makeAxis(m_ttftChart, Qt::AlignBottom);
    m_ttftY = makeAxis(m_ttftChart, Qt::AlignLeft);
    m_ttftPoints = new QScatterSeries;
    m_ttftPoints->setMarkerSize(5);
    m_ttftPoints->setColor(QColor(66, 133, 244, 110));
    m_ttftPoints->setBorderColor(Qt::transparent);
    m_ttftMedian = makeLine(QColor(0x1a, 0x23, 0x7e), 2.5);
    m_ttftP99 = makeLine(QColor(0xe6, 0x51, 0x00), 2.5);
    m_failures = new QScatterSeries;
    m_failures->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    m_failures->setMarkerSize(11);
    m_failures->setColor(QColor(0xc6, 0x28, 0x28));
    m_failures->setBorderColor(QColor(0x7f, 0x00, 0x00));
    for (QAbstractSeries *s : std::initializer_list<QAbstractSeries *> { m_ttftPoints, m_ttftMedian, m_ttftP99, m_failures })
        attach(m_ttftChart, s, m_ttftX, m_ttftY);

    // Request rate: the plan, what went out, what came back.
    m_requestRateChart = new QChart;
    m_requestRateX = makeAxis(m_requestRateChart, Qt::AlignBottom);
    m_requestRateY = makeAxis(m_requestRateChart, Qt::AlignLeft);
    m_targetRate = makeLine(QColor(0x61, 0x61, 0x61), 2.0);
    m_targetRate->setPen(QPen(QColor(0x61, 0x61, 0x61), 2.0, Qt::DashLine));
    m_sentPerS = makeLine(QColor(0x15, 0x65, 0xc0));
    m_requestsPerS = makeLine(QColor(0x6a, 0x1b, 0x9a));
    for (QLineSeries *s : { m_targetRate, m_sentPerS, m_requestsPerS })
        attach(m_requestRateChart, s, m_requestRateX, m_requestRateY);

    // Output throughput.
    m_rateChart = new QChart;
    m_rateX = makeAxis(m_rateChart, Qt::AlignBottom);
    m_tokensY = makeAxis(m_rateChart, Qt::AlignLeft);
    m_tokensPerS = makeLine(QColor(0x2e, 0x7d, 0x32));
    attach(m_rateChart, m_tokensPerS, m_rateX, m_tokensY);
    m_rateChart->legend()->hide();

    // Concurrency.
    m_flightChart = new QChart;
    m_flightX = makeAxis(m_flightChart, Qt::AlignBottom);
    m_flightY = makeAxis(m_flightChart, Qt::AlignLeft);
    m_inFlight = makeLine(QColor(0x00, 0x69, 0x7c));
    m_waiting = makeLine(QColor(0xbf, 0x36, 0x0c));
    m_waiting->setPen(QPen(QColor(0xbf, 0x36, 0x0c), 2.0, Qt::DashLine));
    attach(m_flightChart, m_inFlight, m_flightX, m_flightY);
    attach(m_flightChart, m_waiting, m_flightX, m_flightY);

    // TPOT histogram.
    m_tpotChart = new QChart;
    m_tpotX = makeAxis(m_tpotChart, Qt::AlignBottom);
    m_tpotY = makeAxis(m_tpotChart, Qt::AlignLeft);
    m_tpotOutline = new QLineSeries(m_tpotChart);
    m_tpotArea = new QAreaSeries(m_tpotOutline);
    m_tpotArea->setColor(QColor(66, 133, 244, 150));
    m_tpotArea->setBorderColor(QColor(0x1a, 0x23, 0x7e));
    attach(m_tpotChart, m_tpotArea, m_tpotX, m_tpotY);
    m_tpotChart->legend()->hide();

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    grid->addWidget(m_ttftView = addView(m_ttftChart, QStringLiteral("live-ttft")), 0, 0);
    grid->addWidget(addView(m_requestRateChart, QStringLiteral("live-request-rate")), 0, 1);
    grid->addWidget(m_tokensView = addView(m_rateChart, QStringLiteral("live-throughput")), 1, 0);
    grid->addWidget(addView(m_flightChart, QStringLiteral("live-concurrency")), 1, 1);
    grid->addWidget(m_tpotView = addView(m_tpotChart, QStringLiteral("live-tpot")), 2, 0, 1, 2);

    m_redrawTimer.setInterval(redrawIntervalMs);
    connect(&m_redrawTimer, &QTimer::timeout, this, &LiveCharts::redraw);
    retranslateUi();
    m_dirty = true;
    redraw();
}

ChartView *LiveCharts::addView(QChart *chart, const QString &exportName)
{
    styleChart(chart);
    auto *view = new ChartView(chart, this);
    view->setExportName(exportName);
    connect(view, &ChartView::exportRequested, this, &LiveCharts::exportRequested);
    m_views.append(view);
    return view;
}

QString LiveCharts::title() const
{
    return tr("Live");
}

QList<const Exportable *> LiveCharts::exportables() const
{
    return exportablesOf(m_views);
}

void LiveCharts::startRun()
{
    m_data.clear();
    m_dirty = true;
    redraw();
    m_redrawTimer.start();
}

void LiveCharts::setLoadPlan(const LoadConfig &load)
{
    m_data.setPlan(load);
    m_dirty = true;
    redraw();
}

void LiveCharts::setPlannedSendTimes(const std::vector<double> &sendTimes)
{
    m_data.setPlannedSendTimes(sendTimes);
    m_dirty = true;
    redraw();
}

void LiveCharts::setBackend(const QString &backend)
{
    m_ttftView->setVisible(runHasMetric(backend, MetricId::Ttft));
    m_tokensView->setVisible(runHasMetric(backend, MetricId::OutputTokenThroughput));
    m_tpotView->setVisible(runHasMetric(backend, MetricId::Tpot));
}

void LiveCharts::addProgress(const RunProgress &progress)
{
    m_data.addProgress(progress);
    m_dirty = true;
}

void LiveCharts::addRecord(const RequestRecord &record)
{
    m_data.addRecord(record);
    m_dirty = true;
}

void LiveCharts::addRecords(const std::vector<RequestRecord> &records)
{
    for (const RequestRecord &r : records)
        m_data.addRecord(r);
    m_dirty = true;
}

void LiveCharts::finishRun()
{
    m_redrawTimer.stop();
    m_data.sample();
    m_dirty = true;
    redraw();
}

qsizetype LiveCharts::shownPointCount() const
{
    qsizetype n = 0;
    for (const QXYSeries *s : std::initializer_list<const QXYSeries *> {
             m_ttftPoints, m_ttftMedian, m_ttftP99, m_failures, m_targetRate, m_sentPerS, m_requestsPerS, m_tokensPerS, m_inFlight, m_waiting,
             m_tpotOutline })
        n += s->count();
    return n;
}

void LiveCharts::redraw()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    if (m_redrawTimer.isActive())
        m_data.sample();

    // While running, the axis grows in round steps; at the end it fits the run.
    const bool finished = !m_redrawTimer.isActive() && m_data.elapsed() > 0;
    const double xEnd = finished ? std::max(1.0, m_data.elapsed() * 1.02) : timeAxisEnd(m_data.elapsed());
    for (QValueAxis *x : { m_ttftX, m_requestRateX, m_rateX, m_flightX })
        setNiceRange(x, 0, xEnd);

    m_ttftPoints->replace(m_data.ttft().points());
    m_ttftMedian->replace(m_data.ttftMedian().points());
    m_ttftP99->replace(m_data.ttftP99().points());
    m_failures->replace(m_data.failures().points());
    setNiceRange(m_ttftY, 0, std::max({ 10.0, m_data.maxTtftMs(), maxY(m_data.ttftP99().points()) }) * 1.05);

    m_targetRate->replace(m_data.targetRate());
    m_sentPerS->replace(m_data.sentPerSecond().points());
    m_requestsPerS->replace(m_data.requestsPerSecond().points());
    setNiceRange(m_requestRateY, 0, std::max({ 1.0, maxY(m_data.targetRate()) * 1.05, maxY(m_data.sentPerSecond().points()) * 1.05,
                                               maxY(m_data.requestsPerSecond().points()) * 1.05 }));

    m_tokensPerS->replace(m_data.outputTokensPerSecond().points());
    setNiceRange(m_tokensY, 0, std::max(10.0, maxY(m_data.outputTokensPerSecond().points()) * 1.05));

    m_inFlight->replace(m_data.inFlight().points());
    m_waiting->replace(m_data.waiting().points());
    setNiceRange(m_flightY, 0, std::max({ 5.0, maxY(m_data.inFlight().points()) * 1.05, maxY(m_data.waiting().points()) * 1.05 }));

    const Histogram histogram = makeHistogram(m_data.tpotsMs(), 30);
    m_tpotOutline->replace(histogram.outline());
    if (histogram.counts.empty()) {
        setNiceRange(m_tpotX, 0, 100);
        setNiceRange(m_tpotY, 0, 5);
    } else {
        setNiceRange(m_tpotX, histogram.lower, histogram.upper());
        setNiceRange(m_tpotY, 0, std::max(5.0, histogram.maxCount() * 1.1));
    }
}

void LiveCharts::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ResultTab::changeEvent(event);
}

void LiveCharts::retranslateUi()
{
    const QString time = tr("Time since start (s)");
    m_ttftChart->setTitle(tr("Time to first token per request (median and P99 of the last %1)").arg(LiveData::rollingWindow));
    m_ttftX->setTitleText(time);
    m_ttftY->setTitleText(tr("TTFT (ms)"));
    m_ttftPoints->setName(tr("Requests"));
    m_ttftMedian->setName(tr("Rolling median"));
    m_ttftP99->setName(tr("Rolling P99"));
    m_failures->setName(tr("Failed request"));

    m_requestRateChart->setTitle(tr("Request rate: planned, sent, finished"));
    m_requestRateX->setTitleText(time);
    m_requestRateY->setTitleText(tr("Requests/s"));
    m_targetRate->setName(tr("Planned"));
    m_sentPerS->setName(tr("Sent/s"));
    m_requestsPerS->setName(tr("Finished/s"));

    m_rateChart->setTitle(tr("Output throughput"));
    m_rateX->setTitleText(time);
    m_tokensY->setTitleText(tr("Output tokens/s"));
    m_tokensPerS->setName(tr("Output tokens/s"));

    m_flightChart->setTitle(tr("Concurrency"));
    m_flightX->setTitleText(time);
    m_flightY->setTitleText(tr("Requests"));
    m_inFlight->setName(tr("In flight"));
    m_waiting->setName(tr("Waiting for a slot"));

    m_tpotChart->setTitle(tr("Time per output token, distribution so far"));
    m_tpotX->setTitleText(tr("TPOT (ms)"));
    m_tpotY->setTitleText(tr("Requests"));

    // On the charts, not the views: a chart view hands tooltips to its scene's items.
    const auto tip = [](MetricId id) { return glossaryEntry(id).shortTip; };
    m_ttftChart->setToolTip(tip(MetricId::Ttft));
    m_requestRateChart->setToolTip(tip(MetricId::RequestThroughput) + u'\n'
        + tr("The dashed line is the rate the load plan releases requests at. Sent falls below it when every concurrency slot is busy; finished falls below sent when the server cannot keep up."));
    m_rateChart->setToolTip(tip(MetricId::OutputTokenThroughput));
    m_flightChart->setToolTip(tip(MetricId::MaxConcurrency));
    m_tpotChart->setToolTip(tip(MetricId::Tpot));
}

} // namespace ts
