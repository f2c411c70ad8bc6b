#pragma once

#include <QColor>
#include <QFont>
#include <QRectF>

class QPainter;

namespace ts {

class TimelineData;

// How a timeline looks; the view sets the thresholds and the selection.
struct TimelineStyle
{
    double mediumItlMs = 25.0;     // ITL gaps from here are drawn as medium (vLLM's default)
    double slowItlMs = 50.0;       // and from here as slow
    int selectedRecord = -1;
    bool legend = true;
    bool inFlight = true;          // the in-flight count along the bottom
    QFont font;
    QColor background = Qt::white;
    QColor text = QColor(0x30, 0x30, 0x30);
};

// Which part of the run a timeline shows, and where. Rows are laid top to bottom from
// firstRow; below about one pixel per row, rows sharing a pixel line are drawn as one.
struct TimelineViewport
{
    double timeBegin = 0.0;        // seconds on the run's axis at rows.left()
    double timeEnd = 1.0;          // at rows.right()
    double firstRow = 0.0;         // the row at rows.top(), fractional while panning
    double rowHeight = 6.0;        // pixels
    QRectF rows;                   // where rows are drawn

    double xOf(double time) const;
    double timeAt(double x) const;
    double yOf(double row) const { return rows.top() + (row - firstRow) * rowHeight; }
    double rowAt(double y) const { return firstRow + (y - rows.top()) / rowHeight; }
    double visibleRows() const { return rows.height() / rowHeight; }
    double secondsPerPixel() const;
};

// The bands of a timeline in its target rectangle.
struct TimelineLayout
{
    QRectF legend;
    QRectF rows;
    QRectF axis;
    QRectF inFlight;
};

// Paints a request timeline on any QPainter (a widget, a QImage, an SVG or PDF page). Only the
// visible rows are visited; when they outnumber the pixel lines, each line sums the phases of
// its rows per pixel column, so the cost follows the visible rows and pixels, never the
// number of chunks of a run.
class TimelinePainter
{
public:
    static TimelineLayout layout(const QRectF &target, const TimelineStyle &style);
    // Every row and the whole run in target.
    static TimelineViewport fitAll(const QRectF &target, const TimelineData &data, const TimelineStyle &style);
    static void paint(QPainter *painter, const QRectF &target, const TimelineData &data,
                      const TimelineViewport &viewport, const TimelineStyle &style);
    // Time labels land on round steps about this far apart.
    static constexpr double labelSpacingPx = 110.0;
    // From this height up, rows are drawn one by one, with their chunks' gaps coloured.
    static constexpr double individualRowsFromPx = 1.5;
};

// The whole run fitted to target, for reports.
void paintOverview(QPainter *painter, QRectF target, const TimelineData &data, const TimelineStyle &style);

} // namespace ts
