#pragma once

#include "report/reportcontent.h"

#include <QByteArray>
#include <QColor>
#include <QRectF>
#include <QSize>

class QPainter;

namespace ts {

// Draws a ChartSpec (axes with round ticks, bars, lines, scatter, a marker line, legend and
// title) with QPainter, so the same code makes the SVG of an HTML report and the vector
// chart of a PDF page. Sizes are in logical pixels of chartLogicalSize(): a caller painting on
// another device scales the painter (paintChartScaled does).
class ChartPainter
{
public:
    static QSize logicalSize();
    static QColor seriesColor(int index);

    // Draws into rect, given in logical pixels.
    static void paint(QPainter *painter, const QRectF &rect, const ChartSpec &chart);
    // Draws into target on any device, scaling the logical size to fit it.
    static void paintScaled(QPainter *painter, const QRectF &target, const ChartSpec &chart);
    // The chart as an SVG document of the logical size.
    static QByteArray svg(const ChartSpec &chart, const QString &title = {});
};

} // namespace ts
