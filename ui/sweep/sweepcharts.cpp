#include "sweep/sweepcharts.h"

#include "charts/chartview.h"

#include <QChart>
#include <QEvent>
#include <QGridLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

const QColor FirstColor(0x1a, 0x23, 0x7e);
const QColor SecondColor(0xe6, 0x51, 0x00);
const QColor LimitColor(0xc6, 0x28, 0x28);
const QColor KneeColor(0xff, 0xb3, 0x00);
const QColor StableColor(0x2e, 0x7d, 0x32);

double levelOf(const SweepLevelResult &l) { return l.level; }
double outputThroughput(const SweepLevelResult &l) { return l.metrics.outputThroughput; }
double requestThroughput(const SweepLevelResult &l) { return l.metrics.requestThroughput; }
double successRate(const SweepLevelResult &l) { return l.successRatePercent; }

double medianOf(const SweepLevelResult &l, QStringView metric)
{
    const MetricSummary *s = l.metrics.summary(metric);
    return s ? s->median : 0.0;
}
double p99Of(const SweepLevelResult &l, QStringView metric) { return p99Ms(l.metrics, metric).value_or(0.0); }
double ttftMedian(const SweepLevelResult &l) { return medianOf(l, u"ttft"); }
double ttftP99(const SweepLevelResult &l) { return p99Of(l, u"ttft"); }
double tpotMedian(const SweepLevelResult &l) { return medianOf(l, u"tpot"); }
double tpotP99(const SweepLevelResult &l) { return p99Of(l, u"tpot"); }
double e2elMedian(const SweepLevelResult &l) { return medianOf(l, u"e2el"); }
double e2elP99(const SweepLevelResult &l) { return p99Of(l, u"e2el"); }

using Value = double (*)(const SweepLevelResult &);

QLineSeries *makeLine(QColor color, Qt::PenStyle style)
{
    auto *line = new QLineSeries;
    line->setPen(QPen(color, 2.5, style));
    line->setPointsVisible(true);
    return line;
}

QScatterSeries *makeMarker(QColor color, QScatterSeries::MarkerShape shape, qreal size)
{
    auto *marker = new QScatterSeries;
    marker->setMarkerShape(shape);
    marker->setMarkerSize(size);
    marker->setColor(color);
    marker->setBorderColor(color.darker(160));
    marker->setPointLabelsVisible(true);
    marker->setPointLabelsClipping(false);
    marker->setPointLabelsColor(color.darker(180));
    QFont font = marker->pointLabelsFont();
    font.setBold(true);
    marker->setPointLabelsFont(font);
    return marker;
}

void attach(QChart *chart, QAbstractSeries *series, QAbstractAxis *x, QAbstractAxis *y)
{
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

double maxOf(const std::vector<SweepLevelResult> &levels, Value value)
{
    double m = 0.0;
    for (const SweepLevelResult &l : levels)
        m = std::max(m, value(l));
    return m;
}

void setLegendVisible(QChart *chart, QAbstractSeries *series, bool visible)
{
    for (QLegendMarker *marker : chart->legend()->markers(series))
        marker->setVisible(visible);
}

} // namespace

SweepCharts::SweepCharts(QWidget *parent)
    : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    static const char *const names[ChartCount] = { "sweep-throughput", "sweep-ttft", "sweep-tpot", "sweep-e2el",
                                                   "sweep-latency-throughput", "sweep-success" };
    for (int c = 0; c < ChartCount; ++c) {
        buildChart(Chart(c));
        styleChart(m_parts[c].chart);
        auto *view = new ChartView(m_parts[c].chart, this);
        view->setExportName(QLatin1String(names[c]));
        connect(view, &ChartView::exportRequested, this, &SweepCharts::exportRequested);
        m_views.append(view);
        grid->addWidget(view, c / 3, c % 3);
    }
    retranslateUi();
    redraw();
}

void SweepCharts::buildChart(Chart which)
{
    Parts &p = m_parts[which];
    p.chart = new QChart;
    if (which == LatencyThroughputChart) {
        auto *x = new QValueAxis(p.chart);
        x->setLabelFormat(QStringLiteral("%g"));
        p.x = x;
    } else {
        auto *x = new QLogValueAxis(p.chart);
        x->setBase(2.0);
        x->setLabelFormat(QStringLiteral("%g"));
        x->setMinorTickCount(-1);
        p.x = x;
    }
    p.chart->addAxis(p.x, Qt::AlignBottom);
    p.y = new QValueAxis(p.chart);
    p.y->setLabelFormat(QStringLiteral("%g"));
    p.chart->addAxis(p.y, Qt::AlignLeft);

    p.first = makeLine(FirstColor, Qt::SolidLine);
    attach(p.chart, p.first, p.x, p.y);
    if (which != SuccessChart) {
        p.second = makeLine(which == ThroughputChart ? QColor(0x6a, 0x1b, 0x9a) : SecondColor, Qt::DashLine);
        if (which == ThroughputChart) {
            p.y2 = new QValueAxis(p.chart);
            p.y2->setLabelFormat(QStringLiteral("%g"));
            p.chart->addAxis(p.y2, Qt::AlignRight);
            attach(p.chart, p.second, p.x, p.y2);
        } else {
            attach(p.chart, p.second, p.x, p.y);
        }
    }
    if (which == TtftChart || which == TpotChart || which == E2elChart || which == SuccessChart) {
        p.limit = new QLineSeries;
        p.limit->setPen(QPen(LimitColor, 1.5, Qt::DotLine));
        attach(p.chart, p.limit, p.x, p.y);
    }
    p.stable = makeMarker(StableColor, QScatterSeries::MarkerShapeRotatedRectangle, 16);
    p.knee = makeMarker(KneeColor, QScatterSeries::MarkerShapeStar, 22);
    attach(p.chart, p.stable, p.x, p.y);
    attach(p.chart, p.knee, p.x, p.y);
    // The marks are labelled at their point; the legend keeps room for the lines.
    setLegendVisible(p.chart, p.stable, false);
    setLegendVisible(p.chart, p.knee, false);
}

QChart *SweepCharts::chart(Chart which) const
{
    return m_parts[which].chart;
}

QXYSeries *SweepCharts::mainSeries(Chart which) const
{
    return m_parts[which].first;
}

QScatterSeries *SweepCharts::kneeMarker(Chart which) const
{
    return m_parts[which].knee;
}

QScatterSeries *SweepCharts::stableMarker(Chart which) const
{
    return m_parts[which].stable;
}

void SweepCharts::setPlan(SweepMode mode, const std::vector<double> &plannedLevels, const SweepStopRules &rules)
{
    m_mode = mode;
    m_planned = plannedLevels;
    m_rules = rules;
    m_levels.clear();
    m_verdict = SweepVerdict();
    m_verdict.mode = mode;
    retranslateUi();
    redraw();
}

void SweepCharts::setLevels(const std::vector<SweepLevelResult> &levels, const SweepVerdict &verdict)
{
    m_levels.clear();
    for (const SweepLevelResult &l : levels) {
        // A stopped or failed level has no numbers worth a point.
        if (!l.evaluated())
            continue;
        m_levels.push_back(l);
        m_levels.back().run.records = {};
    }
    m_verdict = verdict;
    retranslateUi();
    redraw();
}

void SweepCharts::updateLevelAxes()
{
    // From the first level to the one after the last measured, so the charts fill out as the
    // sweep goes on and show where it stopped.
    std::vector<double> shown;
    for (const SweepLevelResult &l : m_levels)
        shown.push_back(l.level);
    const std::size_t next = std::min(m_planned.size(), m_levels.size() + 1);
    for (std::size_t i = 0; i < next; ++i)
        shown.push_back(m_planned[i]);
    double lo = 1.0, hi = 2.0;
    if (!shown.empty()) {
        lo = *std::min_element(shown.begin(), shown.end());
        hi = *std::max_element(shown.begin(), shown.end());
    }
    // Half a step of margin on the logarithmic axis keeps the end points off the frame.
    lo /= 1.4;
    hi *= 1.4;
    if (hi / lo < 4.0) {
        lo /= 1.5;
        hi *= 1.5;
    }
    for (int c = 0; c < ChartCount; ++c) {
        if (c == LatencyThroughputChart)
            continue;
        static_cast<QLogValueAxis *>(m_parts[c].x)->setRange(lo, hi);
        if (QLineSeries *limit = m_parts[c].limit) {
            std::optional<double> value;
            if (c == TtftChart)
                value = m_rules.maxP99TtftMs;
            else if (c == TpotChart)
                value = m_rules.maxP99TpotMs;
            else if (c == E2elChart)
                value = m_rules.maxP99E2elMs;
            else if (c == SuccessChart)
                value = m_rules.minSuccessRatePercent;
            if (value)
                limit->replace({ QPointF(lo, *value), QPointF(hi, *value) });
            else
                limit->clear();
            setLegendVisible(m_parts[c].chart, limit, value.has_value());
        }
    }
}

void SweepCharts::placeMarkers(Parts &p, Value x, Value y)
{
    QList<QPointF> knee, stable;
    for (const SweepLevelResult &l : m_levels) {
        if (m_verdict.kneeLevel && l.level == *m_verdict.kneeLevel)
            knee << QPointF(x(l), y(l));
        if (m_verdict.maxStableLevel && l.level == *m_verdict.maxStableLevel)
            stable << QPointF(x(l), y(l));
    }
    p.knee->replace(knee);
    p.stable->replace(stable);
}

void SweepCharts::redraw()
{
    updateLevelAxes();
    const auto fill = [this](QLineSeries *series, Value x, Value y) {
        QList<QPointF> points;
        for (const SweepLevelResult &l : m_levels)
            points << QPointF(x(l), y(l));
        series->replace(points);
    };
    const auto fitY = [this](QValueAxis *axis, double highest, std::optional<double> limit = std::nullopt) {
        setNiceRange(axis, 0, std::max({ 1.0, highest, limit.value_or(0.0) }) * 1.1);
    };

    Parts &t = m_parts[ThroughputChart];
    fill(t.first, levelOf, outputThroughput);
    fill(t.second, levelOf, requestThroughput);
    fitY(t.y, maxOf(m_levels, outputThroughput));
    fitY(t.y2, maxOf(m_levels, requestThroughput));
    placeMarkers(t, levelOf, outputThroughput);

    const struct {
        Chart chart;
        Value median, p99;
        std::optional<double> limit;
    } latencies[] = { { TtftChart, ttftMedian, ttftP99, m_rules.maxP99TtftMs },
                      { TpotChart, tpotMedian, tpotP99, m_rules.maxP99TpotMs },
                      { E2elChart, e2elMedian, e2elP99, m_rules.maxP99E2elMs } };
    for (const auto &l : latencies) {
        Parts &p = m_parts[l.chart];
        fill(p.first, levelOf, l.median);
        fill(p.second, levelOf, l.p99);
        // An SLO far above the measured values would flatten the lines; show it only when near.
        const double highest = maxOf(m_levels, l.p99);
        fitY(p.y, highest, l.limit && *l.limit < 3.0 * std::max(highest, 1.0) ? l.limit : std::nullopt);
        placeMarkers(p, levelOf, l.median);
    }

    Parts &lt = m_parts[LatencyThroughputChart];
    fill(lt.first, outputThroughput, e2elMedian);
    fill(lt.second, outputThroughput, e2elP99);
    setNiceRange(static_cast<QValueAxis *>(lt.x), 0, std::max(1.0, maxOf(m_levels, outputThroughput)) * 1.15);
    fitY(lt.y, maxOf(m_levels, e2elP99));
    placeMarkers(lt, outputThroughput, e2elMedian);
    // Each point says its level: on this chart the levels are not on an axis.
    for (QScatterSeries *label : std::as_const(lt.levelLabels)) {
        lt.chart->removeSeries(label);
        delete label;
    }
    lt.levelLabels.clear();
    for (const SweepLevelResult &l : m_levels) {
        auto *label = new QScatterSeries;
        label->setMarkerSize(1);
        label->setColor(Qt::transparent);
        label->setBorderColor(Qt::transparent);
        label->setPointLabelsVisible(true);
        label->setPointLabelsClipping(false);
        label->setPointLabelsColor(QColor(0x42, 0x42, 0x42));
        label->setPointLabelsFormat(sweepLevelText(l.level));
        label->append(outputThroughput(l), e2elMedian(l));
        attach(lt.chart, label, lt.x, lt.y);
        setLegendVisible(lt.chart, label, false);
        lt.levelLabels << label;
    }

    Parts &s = m_parts[SuccessChart];
    fill(s.first, levelOf, successRate);
    s.y->setRange(0, 105);
    s.y->setTickType(QValueAxis::TicksDynamic);
    s.y->setTickAnchor(0);
    s.y->setTickInterval(20);
    placeMarkers(s, levelOf, successRate);
}

void SweepCharts::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SweepCharts::retranslateUi()
{
    const bool rate = m_mode == SweepMode::RequestRate;
    const QString levelTitle = rate ? tr("Request rate (req/s)") : tr("Concurrency");
    for (int c = 0; c < ChartCount; ++c) {
        if (c != LatencyThroughputChart)
            m_parts[c].x->setTitleText(levelTitle);
    }
    const QString median = tr("Median");
    const QString p99 = tr("P99");

    Parts &t = m_parts[ThroughputChart];
    t.chart->setTitle(rate ? tr("Throughput against request rate") : tr("Throughput against concurrency"));
    t.y->setTitleText(tr("Output tok/s"));
    t.y2->setTitleText(tr("Requests/s"));
    t.first->setName(tr("Output tokens/s"));
    t.second->setName(tr("Requests/s"));

    m_parts[TtftChart].chart->setTitle(rate ? tr("Time to first token against request rate") : tr("Time to first token against concurrency"));
    m_parts[TtftChart].y->setTitleText(tr("TTFT (ms)"));
    m_parts[TpotChart].chart->setTitle(rate ? tr("Time per output token against request rate") : tr("Time per output token against concurrency"));
    m_parts[TpotChart].y->setTitleText(tr("TPOT (ms)"));
    m_parts[E2elChart].chart->setTitle(rate ? tr("End-to-end latency against request rate") : tr("End-to-end latency against concurrency"));
    m_parts[E2elChart].y->setTitleText(tr("E2EL (ms)"));
    for (Chart c : { TtftChart, TpotChart, E2elChart }) {
        m_parts[c].first->setName(median);
        m_parts[c].second->setName(p99);
        m_parts[c].limit->setName(tr("p99 limit"));
    }

    Parts &lt = m_parts[LatencyThroughputChart];
    lt.chart->setTitle(tr("Latency against throughput"));
    lt.x->setTitleText(tr("Output tokens/s"));
    lt.y->setTitleText(tr("E2EL (ms)"));
    lt.first->setName(tr("Median E2EL"));
    lt.second->setName(tr("P99 E2EL"));

    Parts &s = m_parts[SuccessChart];
    s.chart->setTitle(rate ? tr("Success rate against request rate") : tr("Success rate against concurrency"));
    s.y->setTitleText(tr("Succeeded (%)"));
    s.first->setName(tr("Success rate"));
    s.limit->setName(tr("Lowest allowed"));

    // The marks: a star for the knee, a diamond for the highest stable level, named in the
    // legend and labelled at the point; one label when both fall on the same level.
    const bool same = m_verdict.kneeLevel && m_verdict.maxStableLevel && *m_verdict.kneeLevel == *m_verdict.maxStableLevel;
    const QString kneeName = m_verdict.kneeLevel ? tr("Knee: %1").arg(sweepLevelPhrase(m_mode, *m_verdict.kneeLevel)) : tr("Knee");
    const QString stableName = m_verdict.maxStableLevel
        ? tr("Highest stable: %1").arg(sweepLevelPhrase(m_mode, *m_verdict.maxStableLevel))
        : tr("Highest stable");
    const QString kneeLevel = m_verdict.kneeLevel ? sweepLevelText(*m_verdict.kneeLevel) : QString();
    const QString stableLevel = m_verdict.maxStableLevel ? sweepLevelText(*m_verdict.maxStableLevel) : QString();
    for (Parts &p : m_parts) {
        p.knee->setName(kneeName);
        p.stable->setName(stableName);
        p.knee->setPointLabelsFormat(same ? QString() : tr("knee (%1)").arg(kneeLevel));
        p.stable->setPointLabelsFormat(same ? tr("knee, highest stable (%1)").arg(stableLevel) : tr("highest stable (%1)").arg(stableLevel));
    }
    // Success rates sit at the top of their chart, where a label would cover the title.
    m_parts[SuccessChart].knee->setPointLabelsVisible(false);
    m_parts[SuccessChart].stable->setPointLabelsVisible(false);
    m_views.at(LatencyThroughputChart)->setToolTip(tr("Each point is a level, labelled with its %1. Along the curve, throughput first grows at little cost in latency; past the knee, latency climbs while throughput stays put.")
                                                      .arg(rate ? tr("request rate") : tr("concurrency")));
}

} // namespace ts
