#include "render/timelinepainter.h"

#include "render/palette.h"
#include "views/timelinedata.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QImage>
#include <QLocale>
#include <QPainter>
#include <QPolygonF>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace ts {

namespace {

// The smallest of 1, 2, 5 × 10^k not below value.
double roundStep(double value)
{
    if (!(value > 0.0) || !std::isfinite(value))
        return 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * magnitude >= value * (1.0 - 1e-9))
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

QString timeLabel(double seconds, double step)
{
    const int decimals = std::clamp(int(std::ceil(-std::log10(step) - 1e-9)), 0, 6);
    if (std::abs(seconds) < step * 1e-6)
        seconds = 0.0;
    return QCoreApplication::translate("ts::TimelinePainter", "%1 s").arg(QString::number(seconds, 'f', decimals));
}

// Fills [t0, t1] of a row, at least a pixel wide so that a short slow gap stays visible.
void fillSpan(QPainter *p, const TimelineViewport &v, double t0, double t1, double y, double h,
              const QColor &color)
{
    if (t1 < v.timeBegin || t0 > v.timeEnd)
        return;
    double x0 = std::max(v.xOf(t0), v.rows.left());
    double x1 = std::min(v.xOf(t1), v.rows.right());
    if (x1 - x0 < 1.0)
        x1 = x0 + 1.0;
    p->fillRect(QRectF(x0, y, x1 - x0, h), color);
}

void paintRecordRow(QPainter *p, const TimelineData &data, int record, const TimelineViewport &v,
                    const TimelineStyle &style, double y, double h)
{
    const TimelineRequest &r = data.request(record);
    if (r.queueTime > 0.0)
        fillSpan(p, v, r.released(), r.startTime, y, h, palette::queueWait());
    if (!r.hasFirstToken()) {
        fillSpan(p, v, r.startTime, r.end(), y, h, r.success ? palette::firstTokenWait() : palette::failed());
        return;
    }
    fillSpan(p, v, r.startTime, r.firstToken(), y, h, palette::firstTokenWait());

    // Consecutive gaps of one colour are filled as one span; far more gaps than pixels cost
    // only the walk over them.
    const std::span<const float> gaps = data.gaps(record);
    const double spp = v.secondsPerPixel();
    const bool ticks = h >= 4.0 && !gaps.empty() && (r.end() - r.firstToken()) / double(gaps.size()) >= 4.0 * spp;
    std::vector<QLineF> tickLines;
    double t = r.firstToken();
    double runStart = t;
    QColor runColor;
    int runLevel = -1;
    for (float gap : gaps) {
        const double next = t + double(gap);
        if (next >= v.timeBegin && t <= v.timeEnd) {
            // Gaps are kept as floats: to the microsecond, so that 30 ms stays 30, not 29.999.
            const double ms = std::round(double(gap) * 1e6) / 1e3;
            const int level = ms >= style.slowItlMs ? 2 : (ms >= style.mediumItlMs ? 1 : 0);
            if (level != runLevel) {
                if (runLevel >= 0)
                    fillSpan(p, v, runStart, t, y, h, runColor);
                runLevel = level;
                runStart = t;
                runColor = palette::itlColor(ms, style.mediumItlMs, style.slowItlMs);
            }
            if (ticks)
                tickLines.emplace_back(v.xOf(t), y, v.xOf(t), y + h);
        }
        if (t > v.timeEnd)
            break;
        t = next;
    }
    if (runLevel >= 0)
        fillSpan(p, v, runStart, t, y, h, runColor);
    if (ticks && t >= v.timeBegin && t <= v.timeEnd)
        tickLines.emplace_back(v.xOf(t), y, v.xOf(t), y + h);
    if (!tickLines.empty()) {
        p->setPen(QPen(palette::decode().darker(170), 0));
        p->drawLines(tickLines.data(), int(tickLines.size()));
    }
    // A stream cut off after its last chunk.
    if (!r.success)
        fillSpan(p, v, t, std::max(r.end(), t), y, h, palette::failed());
}

void paintOpenRow(QPainter *p, const TimelineData &data, int k, const TimelineViewport &v, double y, double h)
{
    const OpenRequest &o = data.open(k);
    if (o.queueTime > 0.0)
        fillSpan(p, v, o.startTime - o.queueTime, o.startTime, y, h, palette::queueWait());
    const double first = o.firstContent >= 0.0 ? o.startTime + o.firstContent : data.now();
    fillSpan(p, v, o.startTime, std::min(first, data.now()), y, h, palette::firstTokenWait());
    if (o.firstContent >= 0.0)
        fillSpan(p, v, first, data.now(), y, h, palette::decode());
}

void paintRows(QPainter *p, const TimelineData &data, const TimelineViewport &v, const TimelineStyle &style)
{
    const int first = std::max(0, int(std::floor(v.firstRow)));
    const int last = std::min(data.rowCount(), int(std::ceil(v.firstRow + v.visibleRows())) + 1);
    const double h = v.rowHeight >= 4.0 ? v.rowHeight * 0.75 : v.rowHeight;
    QColor highlightBack = palette::highlight();
    highlightBack.setAlphaF(0.18f);
    for (int row = first; row < last; ++row) {
        const double top = v.yOf(row);
        const double y = top + (v.rowHeight - h) / 2.0;
        const TimelineHit hit = data.rowAt(row);
        if (hit.record >= 0) {
            if (data.isHighlighted(hit.record))
                p->fillRect(QRectF(v.rows.left(), top, v.rows.width(), v.rowHeight), highlightBack);
            paintRecordRow(p, data, hit.record, v, style, y, h);
            if (hit.record == style.selectedRecord) {
                p->setPen(QPen(palette::highlight(), 2));
                p->setBrush(Qt::NoBrush);
                p->drawRect(QRectF(v.rows.left() + 1, top, v.rows.width() - 2, v.rowHeight));
            }
        } else {
            paintOpenRow(p, data, hit.open, v, y, h);
        }
    }
}

// Rows sharing a pixel line: per column, how many of them are in each phase, blended by share
// onto the background. Difference arrays keep each row's cost constant, whatever its length.
void paintAggregatedRows(QPainter *p, const TimelineData &data, const TimelineViewport &v,
                         const TimelineStyle &style)
{
    enum Phase { Queue, FirstToken, Decode, Failed, PhaseCount };
    const std::array<QColor, PhaseCount> colors = {palette::queueWait(), palette::firstTokenWait(),
                                                   palette::decode(), palette::failed()};
    const int width = int(std::ceil(v.rows.width()));
    const int lines = int(std::ceil(v.rows.height()));
    if (width <= 0 || lines <= 0)
        return;
    QImage image(width, lines, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    std::array<std::vector<int>, PhaseCount> diff;
    for (auto &d : diff)
        d.assign(std::size_t(width) + 1, 0);
    std::vector<int> highlightedLines;
    int selectedLine = -1;

    const auto column = [&](double t) {
        return std::clamp(int(std::floor(v.xOf(t) - v.rows.left())), 0, width);
    };
    const auto add = [&](Phase phase, double t0, double t1) {
        if (t1 < v.timeBegin || t0 > v.timeEnd)
            return;
        const int c0 = std::min(column(t0), width - 1);
        const int c1 = std::max(column(t1), c0 + 1);
        ++diff[phase][std::size_t(c0)];
        --diff[phase][std::size_t(c1)];
    };

    const double rowsPerLine = 1.0 / v.rowHeight;
    for (int line = 0; line < lines; ++line) {
        const int r0 = std::max(0, int(std::floor(v.firstRow + line * rowsPerLine)));
        const int r1 = std::min(data.rowCount(), std::max(r0 + 1, int(std::floor(v.firstRow + (line + 1) * rowsPerLine))));
        if (r0 >= r1)
            break;
        for (auto &d : diff)
            std::fill(d.begin(), d.end(), 0);
        bool highlighted = false;
        for (int row = r0; row < r1; ++row) {
            const TimelineHit hit = data.rowAt(row);
            if (hit.record >= 0) {
                const TimelineRequest &r = data.request(hit.record);
                highlighted = highlighted || data.isHighlighted(hit.record);
                if (hit.record == style.selectedRecord)
                    selectedLine = line;
                if (r.queueTime > 0.0)
                    add(Queue, r.released(), r.startTime);
                if (!r.success) {
                    add(Failed, r.startTime, r.end());
                } else if (r.hasFirstToken()) {
                    add(FirstToken, r.startTime, r.firstToken());
                    add(Decode, r.firstToken(), r.end());
                } else {
                    add(FirstToken, r.startTime, r.end());
                }
            } else {
                const OpenRequest &o = data.open(hit.open);
                if (o.queueTime > 0.0)
                    add(Queue, o.startTime - o.queueTime, o.startTime);
                const double first = o.firstContent >= 0.0 ? o.startTime + o.firstContent : data.now();
                add(FirstToken, o.startTime, first);
                if (o.firstContent >= 0.0)
                    add(Decode, first, data.now());
            }
        }
        if (highlighted)
            highlightedLines.push_back(line);
        const double rowsHere = double(r1 - r0);
        auto *pixels = reinterpret_cast<QRgb *>(image.scanLine(line));
        std::array<int, PhaseCount> count = {};
        for (int x = 0; x < width; ++x) {
            int total = 0;
            double red = 0.0, green = 0.0, blue = 0.0;
            for (int phase = 0; phase < PhaseCount; ++phase) {
                count[std::size_t(phase)] += diff[std::size_t(phase)][std::size_t(x)];
                const int n = count[std::size_t(phase)];
                if (n > 0) {
                    total += n;
                    red += n * colors[std::size_t(phase)].redF();
                    green += n * colors[std::size_t(phase)].greenF();
                    blue += n * colors[std::size_t(phase)].blueF();
                }
            }
            if (total == 0)
                continue;
            // Opaque where every row of the line is busy, fainter where few are.
            const double alpha = std::min(1.0, 0.25 + 0.75 * total / rowsHere);
            pixels[x] = qRgba(int(red / total * 255.0 * alpha), int(green / total * 255.0 * alpha),
                              int(blue / total * 255.0 * alpha), int(alpha * 255.0));
        }
    }
    p->drawImage(v.rows.topLeft(), image);
    for (int line : highlightedLines)
        p->fillRect(QRectF(v.rows.left(), v.rows.top() + line, 3.0, 1.0), palette::highlight());
    if (selectedLine >= 0) {
        p->fillRect(QRectF(v.rows.left(), v.rows.top() + selectedLine - 1, v.rows.width(), 3.0),
                    palette::highlight());
    }
}

void paintAxis(QPainter *p, const TimelineViewport &v, const QRectF &axis, const QRectF &gridArea,
               const TimelineStyle &style)
{
    const double span = v.timeEnd - v.timeBegin;
    if (!(span > 0.0) || v.rows.width() <= 0)
        return;
    const double step = roundStep(span * TimelinePainter::labelSpacingPx / v.rows.width());
    QColor grid = style.text;
    grid.setAlphaF(0.12f);
    p->setFont(style.font);
    const QFontMetricsF fm(style.font);
    for (double t = std::ceil(v.timeBegin / step) * step; t <= v.timeEnd + step * 1e-9; t += step) {
        const double x = v.xOf(t);
        if (!gridArea.isNull()) {
            p->setPen(QPen(grid, 0));
            p->drawLine(QPointF(x, gridArea.top()), QPointF(x, gridArea.bottom()));
        }
        if (axis.isNull())
            continue;
        p->setPen(QPen(style.text, 0));
        p->drawLine(QPointF(x, axis.top()), QPointF(x, axis.top() + 3));
        const QString label = timeLabel(t, step);
        const double w = fm.horizontalAdvance(label);
        const double left = std::clamp(x - w / 2.0, axis.left(), axis.right() - w);
        p->drawText(QRectF(left, axis.top() + 3, w + 1, axis.height() - 3), Qt::AlignLeft | Qt::AlignVCenter, label);
    }
}

void paintInFlight(QPainter *p, const TimelineData &data, const TimelineViewport &v, const QRectF &strip,
                   const TimelineStyle &style)
{
    p->setFont(style.font);
    const QFontMetricsF fm(style.font);
    const QRectF label(strip.left() + 4, strip.top() + 1, strip.width() - 8, fm.height());
    if (data.alignedAtZero()) {
        p->setPen(style.text);
        p->drawText(label, Qt::AlignLeft | Qt::AlignVCenter, QCoreApplication::translate("ts::TimelinePainter", "In flight: not known without send times"));
        return;
    }
    const std::vector<InFlightStep> &steps = data.inFlight();
    const int peak = data.maxInFlight();
    if (steps.empty() || peak <= 0)
        return;
    // One point per pixel column: the most in flight during it.
    const int width = int(std::ceil(v.rows.width()));
    const double bottom = strip.bottom();
    const double scale = (strip.height() - fm.height() - 2) / double(peak);
    QPolygonF area;
    area.reserve(width * 2 + 2);
    area << QPointF(v.rows.left(), bottom);
    auto it = std::upper_bound(steps.begin(), steps.end(), v.timeBegin,
                               [](double t, const InFlightStep &s) { return t < s.time; });
    int current = it == steps.begin() ? 0 : std::prev(it)->count;
    for (int x = 0; x < width; ++x) {
        const double columnEnd = v.timeAt(v.rows.left() + x + 1);
        int most = current;
        while (it != steps.end() && it->time < columnEnd) {
            current = it->count;
            most = std::max(most, current);
            ++it;
        }
        const double y = bottom - most * scale;
        area << QPointF(v.rows.left() + x, y) << QPointF(v.rows.left() + x + 1, y);
    }
    area << QPointF(v.rows.left() + width, bottom);
    QColor fill = palette::inFlight();
    fill.setAlphaF(0.55f);
    p->setPen(Qt::NoPen);
    p->setBrush(fill);
    p->drawPolygon(area);
    p->setBrush(Qt::NoBrush);
    p->setPen(style.text);
    p->drawText(label, Qt::AlignLeft | Qt::AlignVCenter, QCoreApplication::translate("ts::TimelinePainter", "In flight (at most %1)").arg(peak));
}

void paintLegend(QPainter *p, const TimelineData &data, const QRectF &band, const TimelineStyle &style)
{
    const QLocale locale;
    const QString medium = locale.toString(style.mediumItlMs, 'g', 4);
    const QString slow = locale.toString(style.slowItlMs, 'g', 4);
    std::vector<std::pair<QColor, QString>> entries = {
        {palette::queueWait(), QCoreApplication::translate("ts::TimelinePainter", "Waiting for a slot")},
        {palette::firstTokenWait(), QCoreApplication::translate("ts::TimelinePainter", "Waiting for the first token")},
        {palette::itlFast(), QCoreApplication::translate("ts::TimelinePainter", "ITL < %1 ms").arg(medium)},
        {palette::itlMedium(), QCoreApplication::translate("ts::TimelinePainter", "ITL %1–%2 ms").arg(medium, slow)},
        {palette::itlSlow(), QCoreApplication::translate("ts::TimelinePainter", "ITL ≥ %1 ms").arg(slow)},
        {palette::failed(), QCoreApplication::translate("ts::TimelinePainter", "Failed")},
    };
    if (data.openCount() > 0)
        entries.emplace_back(palette::decode(), QCoreApplication::translate("ts::TimelinePainter", "Streaming"));
    if (data.highlightedCount() > 0)
        entries.emplace_back(palette::highlight(), QCoreApplication::translate("ts::TimelinePainter", "Highlighted"));
    p->setFont(style.font);
    const QFontMetricsF fm(style.font);
    const double box = std::round(fm.height() * 0.7);
    double x = band.left() + 4;
    for (const auto &[color, text] : entries) {
        const double w = box + 4 + fm.horizontalAdvance(text) + 14;
        if (x + w > band.right())
            break;
        p->fillRect(QRectF(x, band.center().y() - box / 2, box, box), color);
        p->setPen(style.text);
        p->drawText(QRectF(x + box + 4, band.top(), w, band.height()), Qt::AlignLeft | Qt::AlignVCenter, text);
        x += w;
    }
    if (data.alignedAtZero()) {
        const QString note = QCoreApplication::translate("ts::TimelinePainter", "No send times in this file: every request starts at zero");
        if (x + fm.horizontalAdvance(note) < band.right())
            p->drawText(QRectF(x, band.top(), band.right() - x, band.height()), Qt::AlignLeft | Qt::AlignVCenter, note);
    }
}

} // namespace

double TimelineViewport::xOf(double time) const
{
    const double span = timeEnd - timeBegin;
    return rows.left() + (span > 0.0 ? (time - timeBegin) / span * rows.width() : 0.0);
}

double TimelineViewport::timeAt(double x) const
{
    return timeBegin + (rows.width() > 0.0 ? (x - rows.left()) / rows.width() * (timeEnd - timeBegin) : 0.0);
}

double TimelineViewport::secondsPerPixel() const
{
    return rows.width() > 0.0 ? (timeEnd - timeBegin) / rows.width() : 0.0;
}

TimelineLayout TimelinePainter::layout(const QRectF &target, const TimelineStyle &style)
{
    const double line = std::ceil(QFontMetricsF(style.font).height());
    TimelineLayout l;
    double top = target.top();
    double bottom = target.bottom();
    if (style.legend) {
        l.legend = QRectF(target.left(), top, target.width(), line + 8);
        top = l.legend.bottom();
    }
    if (style.inFlight) {
        l.inFlight = QRectF(target.left(), bottom - std::max(40.0, 3.0 * line), target.width(), std::max(40.0, 3.0 * line));
        bottom = l.inFlight.top();
    }
    l.axis = QRectF(target.left(), bottom - line - 6, target.width(), line + 6);
    bottom = l.axis.top();
    l.rows = QRectF(target.left(), top, target.width(), std::max(0.0, bottom - top));
    return l;
}

TimelineViewport TimelinePainter::fitAll(const QRectF &target, const TimelineData &data, const TimelineStyle &style)
{
    TimelineViewport v;
    v.rows = layout(target, style).rows;
    v.timeBegin = data.timeBegin();
    v.timeEnd = std::max(data.timeEnd(), v.timeBegin + 1e-3);
    v.firstRow = 0.0;
    v.rowHeight = data.rowCount() > 0 ? std::min(v.rows.height() / data.rowCount(), 24.0) : 6.0;
    return v;
}

void TimelinePainter::paint(QPainter *painter, const QRectF &target, const TimelineData &data,
                            const TimelineViewport &viewport, const TimelineStyle &style)
{
    const TimelineLayout l = layout(target, style);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->fillRect(target, style.background);
    if (style.legend)
        paintLegend(painter, data, l.legend, style);

    painter->save();
    painter->setClipRect(viewport.rows);
    paintAxis(painter, viewport, QRectF(), viewport.rows, style);
    if (viewport.rowHeight >= individualRowsFromPx)
        paintRows(painter, data, viewport, style);
    else
        paintAggregatedRows(painter, data, viewport, style);
    // While running, where "now" is.
    if (data.openCount() > 0 && data.now() >= viewport.timeBegin && data.now() <= viewport.timeEnd) {
        painter->setPen(QPen(style.text, 0, Qt::DashLine));
        const double x = viewport.xOf(data.now());
        painter->drawLine(QPointF(x, viewport.rows.top()), QPointF(x, viewport.rows.bottom()));
    }
    painter->restore();

    painter->save();
    painter->setClipRect(l.axis.united(l.inFlight));
    paintAxis(painter, viewport, l.axis, QRectF(), style);
    if (style.inFlight)
        paintInFlight(painter, data, viewport, l.inFlight, style);
    painter->restore();
    painter->restore();
}

void paintOverview(QPainter *painter, QRectF target, const TimelineData &data, const TimelineStyle &style)
{
    TimelinePainter::paint(painter, target, data, TimelinePainter::fitAll(target, data, style), style);
}

} // namespace ts
