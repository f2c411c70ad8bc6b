#pragma once

#include "charts/exportable.h"

#include <QChartView>

namespace ts {

// A chart view drawn with the raster engine (OpenGL crashes offscreen and in some remote
// sessions), with a context menu to save the chart as PNG or SVG.
class ChartView : public QChartView, public Exportable
{
    Q_OBJECT
public:
    explicit ChartView(QChart *chart, QWidget *parent = nullptr);

    QString exportName() const override { return m_exportName; }
    void setExportName(const QString &name) { m_exportName = name; }
    bool saveImage(const QString &path, QSize size, QString *error) const override;

Q_SIGNALS:
    // format is "png" or "svg".
    void exportRequested(const ts::Exportable *view, const QString &format);

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    QString m_exportName;
};

// The same views as pictures to save.
QList<const Exportable *> exportablesOf(const QList<ChartView *> &views);

// Look shared by every chart: light theme, no animation (it costs time at each redraw),
// legend below, tight margins.
void styleChart(QChart *chart);

} // namespace ts

QT_FORWARD_DECLARE_CLASS(QValueAxis)

namespace ts {
// The smallest "round" number (1, 2, 2.5, 5 × 10^k) not below value; 1 for value <= 0.
double niceCeiling(double value);
// Shows [lower, upper] with ticks at round steps (1, 2, 5 × 10^k, about five of them), the
// upper end rounded up to a tick, so labels read "0, 50, 100" rather than "0, 37.5, 75".
void setNiceRange(QValueAxis *axis, double lower, double upper);
} // namespace ts
