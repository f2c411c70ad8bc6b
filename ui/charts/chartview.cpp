#include "charts/chartview.h"

#include "charts/chartexport.h"

#include <QContextMenuEvent>
#include <QGraphicsLayout>
#include <QLegend>
#include <QMenu>
#include <QValueAxis>

#include <cmath>

namespace ts {

ChartView::ChartView(QChart *chart, QWidget *parent)
    : QChartView(chart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(280, 200);
    setContextMenuPolicy(Qt::DefaultContextMenu);
}

bool ChartView::saveImage(const QString &path, QSize size, QString *error) const
{
    return saveChart(chart(), path, size, error);
}

void ChartView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    menu.addAction(tr("Save as PNG…"), this, [this] { Q_EMIT exportRequested(this, QStringLiteral("png")); });
    menu.addAction(tr("Save as SVG…"), this, [this] { Q_EMIT exportRequested(this, QStringLiteral("svg")); });
    menu.exec(event->globalPos());
}

void ChartView::showEvent(QShowEvent *event)
{
    // Qt Charts sizes the axis label column before a tall fallback font (Chinese text) is
    // known and then elides short numbers such as "40" to "...": never elide tick labels.
    const QList<QAbstractAxis *> axes = chart()->axes();
    for (QAbstractAxis *axis : axes)
        axis->setTruncateLabels(false);
    QChartView::showEvent(event);
}

QList<const Exportable *> exportablesOf(const QList<ChartView *> &views)
{
    QList<const Exportable *> pictures;
    pictures.reserve(views.size());
    for (const ChartView *view : views)
        pictures.append(view);
    return pictures;
}

void styleChart(QChart *chart)
{
    chart->setTheme(QChart::ChartThemeLight);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);
    QFont title = chart->titleFont();
    title.setBold(true);
    chart->setTitleFont(title);
}

} // namespace ts

namespace ts {

double niceCeiling(double value)
{
    if (!(value > 0) || !std::isfinite(value))
        return 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : { 1.0, 2.0, 2.5, 5.0, 10.0 }) {
        if (step * magnitude >= value * (1.0 - 1e-12))
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

} // namespace ts

namespace ts {

void setNiceRange(QValueAxis *axis, double lower, double upper)
{
    if (!(upper > lower))
        upper = lower + 1.0;
    const double rough = (upper - lower) / 5.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = 10.0 * magnitude;
    for (double m : { 1.0, 2.0, 5.0 }) {
        if (m * magnitude >= rough) {
            step = m * magnitude;
            break;
        }
    }
    const double start = std::floor(lower / step) * step;
    const double end = std::ceil(upper / step - 1e-9) * step;
    // Fixed ticks while the range changes: with dynamic ticks the axis would first lay out
    // the new range at the old interval, which can mean millions of tick items.
    axis->setTickType(QValueAxis::TicksFixed);
    axis->setRange(start, end);
    axis->setTickAnchor(0.0);
    axis->setTickInterval(step);
    axis->setTickType(QValueAxis::TicksDynamic);
}

} // namespace ts
