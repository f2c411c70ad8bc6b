#pragma once

#include "sweep/sweepverdict.h"

#include <QList>
#include <QWidget>

#include <array>
#include <vector>

QT_FORWARD_DECLARE_CLASS(QAbstractAxis)
QT_FORWARD_DECLARE_CLASS(QChart)
QT_FORWARD_DECLARE_CLASS(QLineSeries)
QT_FORWARD_DECLARE_CLASS(QScatterSeries)
QT_FORWARD_DECLARE_CLASS(QValueAxis)
QT_FORWARD_DECLARE_CLASS(QXYSeries)

namespace ts {

class ChartView;
class Exportable;

// The sweep's charts, one point per finished level: throughput, TTFT, TPOT and E2EL (median
// and p99) and the success rate against the level, and latency against throughput, where the
// knee shows as the bend after which latency climbs with no more throughput. Every chart marks
// the knee and the highest stable level. The level axis is logarithmic (base 2), so that
// 1, 2, 4, ... 512 are evenly spaced as the levels of a sweep usually are.
class SweepCharts : public QWidget
{
    Q_OBJECT
public:
    enum Chart { ThroughputChart, TtftChart, TpotChart, E2elChart, LatencyThroughputChart, SuccessChart, ChartCount };

    explicit SweepCharts(QWidget *parent = nullptr);

    // A new sweep: the axes span the planned levels from the start.
    void setPlan(SweepMode mode, const std::vector<double> &plannedLevels, const SweepStopRules &rules);
    // Redraws every chart from the levels finished so far and their verdict.
    void setLevels(const std::vector<SweepLevelResult> &levels, const SweepVerdict &verdict);

    QList<ChartView *> chartViews() const { return m_views; }
    QChart *chart(Chart which) const;
    // The chart's first line (output tokens/s, median TTFT, ...): one point per evaluated level.
    QXYSeries *mainSeries(Chart which) const;
    QScatterSeries *kneeMarker(Chart which) const;
    QScatterSeries *stableMarker(Chart which) const;

Q_SIGNALS:
    void exportRequested(const ts::Exportable *view, const QString &format);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Parts
    {
        QChart *chart = nullptr;
        QAbstractAxis *x = nullptr;
        QValueAxis *y = nullptr;
        QValueAxis *y2 = nullptr;        // requests/s on the throughput chart
        QLineSeries *first = nullptr;    // median, or output tokens/s
        QLineSeries *second = nullptr;   // p99, or requests/s
        QLineSeries *limit = nullptr;    // the rule's threshold, when the chart has one
        QScatterSeries *knee = nullptr;
        QScatterSeries *stable = nullptr;
        QList<QScatterSeries *> levelLabels;   // latency against throughput: the level at each point
    };

    void buildChart(Chart which);
    void retranslateUi();
    void redraw();
    void updateLevelAxes();
    void placeMarkers(Parts &p, double (*x)(const SweepLevelResult &), double (*y)(const SweepLevelResult &));

    std::array<Parts, ChartCount> m_parts;
    QList<ChartView *> m_views;
    SweepMode m_mode = SweepMode::Concurrency;
    std::vector<double> m_planned;
    SweepStopRules m_rules;
    std::vector<SweepLevelResult> m_levels;   // evaluated levels only, without records
    SweepVerdict m_verdict;
};

} // namespace ts
