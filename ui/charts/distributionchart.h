#pragma once

#include "charts/chartview.h"
#include "views/distributiondata.h"

QT_FORWARD_DECLARE_CLASS(QAreaSeries)
QT_FORWARD_DECLARE_CLASS(QLineSeries)
QT_FORWARD_DECLARE_CLASS(QValueAxis)

namespace ts {

// A histogram of one metric with its cumulative distribution (percent of values at or below
// x) on the right axis. The caller sets the titles, which differ per metric.
class DistributionChart : public ChartView
{
    Q_OBJECT
public:
    explicit DistributionChart(QWidget *parent = nullptr);

    void setDistribution(const Distribution &distribution);
    void setTitles(const QString &title, const QString &valueAxisTitle);
    // What the values count, for the median and P99 in the title (milliseconds by default).
    enum class Unit { Milliseconds, Tokens };
    void setUnit(Unit unit);
    const Distribution &distribution() const { return m_distribution; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    Distribution m_distribution;
    QString m_baseTitle;
    Unit m_unit = Unit::Milliseconds;
    QLineSeries *m_outline = nullptr;
    QAreaSeries *m_bars = nullptr;
    QLineSeries *m_cdf = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_count = nullptr;
    QValueAxis *m_percent = nullptr;
};

} // namespace ts
