#include "render/chartpainter.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace ts {

namespace {

constexpr double TitleHeight = 26.0;
constexpr double LegendHeight = 20.0;
constexpr double AxisFontPx = 11.0;
// A scatter of many thousands of points makes a heavy SVG and shows no more than this many.
constexpr int MaxScatterPoints = 4000;

struct Range
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();

    void add(double v)
    {
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    bool valid() const { return lo <= hi; }
};

// 1, 2 or 5 times a power of ten, so that about `count` steps cover span.
double niceStep(double span, int count)
{
    if (!(span > 0.0))
        return 1.0;
    const double raw = span / count;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : { 1.0, 2.0, 5.0, 10.0 }) {
        if (m * magnitude >= raw)
            return m * magnitude;
    }
    return 10.0 * magnitude;
}

QString tickText(double v, double step)
{
    const int decimals = step >= 1.0 ? 0 : std::min(6, int(std::ceil(-std::log10(step))));
    if (std::abs(v) >= 10000.0 && step >= 1000.0)
        return QString::number(v / 1000.0, 'f', step >= 10000.0 ? 0 : 1) + u'k';
    return QString::number(v, 'f', decimals);
}

// The painter's font families (a PDF page sets its CJK fallbacks), at a logical pixel size.
QFont chartFont(const QFont &base, double pixelSize, bool bold = false)
{
    QFont font = base;
    font.setPixelSize(int(pixelSize));
    font.setBold(bold);
    return font;
}

// Value axis from 0 (every chart here shows non-negative quantities) to a round top.
struct Axis
{
    double top = 1.0;
    double step = 1.0;
};

Axis valueAxis(const Range &range)
{
    const double hi = range.valid() && range.hi > 0.0 ? range.hi : 1.0;
    const double step = niceStep(hi, 5);
    return { std::ceil(hi / step - 1e-9) * step, step };
}

} // namespace

QSize ChartPainter::logicalSize()
{
    return { 720, 340 };
}

QColor ChartPainter::seriesColor(int index)
{
    static const QColor colors[] = { QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                                     QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                     QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f) };
    return colors[std::abs(index) % int(std::size(colors))];
}

void ChartPainter::paint(QPainter *p, const QRectF &rect, const ChartSpec &chart)
{
    p->save();
    const QFont base = p->font();
    p->setRenderHint(QPainter::Antialiasing);
    p->fillRect(rect, Qt::white);
    const QColor ink(0x33, 0x33, 0x33);
    const QColor grid(0xe0, 0xe0, 0xe0);

    p->setFont(chartFont(base, 14, true));
    p->setPen(ink);
    p->drawText(QRectF(rect.left(), rect.top() + 4, rect.width(), TitleHeight), Qt::AlignHCenter | Qt::AlignVCenter, chart.title);

    // Data ranges.
    const bool categorical = !chart.categories.isEmpty();
    Range xr, yl, yr;
    for (const ChartSeries &s : chart.series) {
        for (const QPointF &pt : s.points) {
            xr.add(s.kind == ChartSeries::Bars && s.barWidth > 0 ? pt.x() - s.barWidth / 2 : pt.x());
            xr.add(s.kind == ChartSeries::Bars && s.barWidth > 0 ? pt.x() + s.barWidth / 2 : pt.x());
            (s.rightAxis ? yr : yl).add(pt.y());
        }
    }
    if (categorical) {
        xr.lo = -0.5;
        xr.hi = double(chart.categories.size()) - 0.5;
    }
    if (chart.markerX)
        xr.add(*chart.markerX);
    const bool hasRight = !chart.y2Label.isEmpty();
    const Axis left = valueAxis(yl);
    const Axis right = valueAxis(yr);

    const QFont axisFont = chartFont(base, AxisFontPx);
    const QFontMetricsF fm(axisFont, p->device());
    const double leftMargin = 62.0;
    const double rightMargin = hasRight ? 62.0 : 18.0;
    const double legendTop = rect.top() + TitleHeight + 4;
    const QRectF plot(rect.left() + leftMargin, legendTop + LegendHeight + 6, rect.width() - leftMargin - rightMargin,
                      rect.height() - TitleHeight - LegendHeight - 10 - 44);

    if (!xr.valid() || chart.series.empty()) {
        p->setFont(axisFont);
        p->setPen(ink);
        p->drawText(plot, Qt::AlignCenter, QCoreApplication::translate("ts::ChartPainter", "No data"));
        p->restore();
        return;
    }
    if (xr.hi == xr.lo) {
        xr.lo -= 0.5;
        xr.hi += 0.5;
    }
    const bool logX = chart.logX && !categorical && xr.lo > 0.0;
    const auto xt = [&](double x) { return logX ? std::log2(x) : x; };
    double x0 = xt(xr.lo), x1 = xt(xr.hi);
    if (logX || !categorical) {
        const double pad = (x1 - x0) * 0.04;
        x0 -= pad;
        x1 += pad;
    }
    const auto mapX = [&](double x) { return plot.left() + (xt(x) - x0) / (x1 - x0) * plot.width(); };
    const auto mapY = [&](double y, bool onRight) {
        const double top = onRight ? right.top : left.top;
        return plot.bottom() - std::clamp(y / top, 0.0, 1.05) * plot.height();
    };

    // Grid and value axes.
    p->setFont(axisFont);
    for (double v = 0.0; v <= left.top + left.step / 2; v += left.step) {
        const double y = mapY(v, false);
        p->setPen(QPen(grid, 1));
        p->drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p->setPen(ink);
        p->drawText(QRectF(rect.left(), y - 8, leftMargin - 6, 16), Qt::AlignRight | Qt::AlignVCenter, tickText(v, left.step));
    }
    if (hasRight) {
        for (double v = 0.0; v <= right.top + right.step / 2; v += right.step) {
            p->drawText(QRectF(plot.right() + 6, mapY(v, true) - 8, rightMargin - 6, 16), Qt::AlignLeft | Qt::AlignVCenter,
                        tickText(v, right.step));
        }
    }
    p->setPen(QPen(ink, 1));
    p->drawLine(plot.bottomLeft(), plot.bottomRight());
    p->drawLine(plot.bottomLeft(), plot.topLeft());
    if (hasRight)
        p->drawLine(plot.bottomRight(), plot.topRight());

    // x ticks: categories, the measured levels (log axis), or round values.
    const double tickY = plot.bottom() + 4;
    if (categorical) {
        const double slot = plot.width() / chart.categories.size();
        for (int i = 0; i < chart.categories.size(); ++i) {
            const QString text = fm.elidedText(chart.categories.at(i), Qt::ElideRight, slot - 4);
            p->drawText(QRectF(mapX(i) - slot / 2, tickY, slot, 16), Qt::AlignHCenter | Qt::AlignTop, text);
        }
    } else if (logX) {
        QList<double> ticks;
        for (const QPointF &pt : chart.series.front().points) {
            if (!ticks.contains(pt.x()))
                ticks << pt.x();
        }
        for (double v : ticks) {
            p->drawLine(QPointF(mapX(v), plot.bottom()), QPointF(mapX(v), plot.bottom() + 3));
            p->drawText(QRectF(mapX(v) - 30, tickY, 60, 16), Qt::AlignHCenter | Qt::AlignTop, tickText(v, v == std::floor(v) ? 1.0 : 0.01));
        }
    } else {
        const double step = niceStep(xr.hi - xr.lo, 8);
        for (double v = std::ceil(xr.lo / step) * step; v <= xr.hi + step * 1e-6; v += step) {
            p->drawLine(QPointF(mapX(v), plot.bottom()), QPointF(mapX(v), plot.bottom() + 3));
            p->drawText(QRectF(mapX(v) - 30, tickY, 60, 16), Qt::AlignHCenter | Qt::AlignTop, tickText(v, step));
        }
    }
    p->drawText(QRectF(plot.left(), plot.bottom() + 22, plot.width(), 18), Qt::AlignHCenter | Qt::AlignTop, chart.xLabel);
    p->save();
    p->translate(rect.left() + 12, plot.center().y());
    p->rotate(-90);
    p->drawText(QRectF(-plot.height() / 2, -8, plot.height(), 16), Qt::AlignCenter, chart.yLabel);
    p->restore();
    if (hasRight) {
        p->save();
        p->translate(rect.right() - 10, plot.center().y());
        p->rotate(90);
        p->drawText(QRectF(-plot.height() / 2, -8, plot.height(), 16), Qt::AlignCenter, chart.y2Label);
        p->restore();
    }

    // Series.
    p->save();
    p->setClipRect(plot.adjusted(-4, -4, 4, 4));
    for (const ChartSeries &s : chart.series) {
        const QColor color = seriesColor(s.colorIndex);
        if (s.kind == ChartSeries::Bars) {
            double width = s.barWidth;
            if (!(width > 0.0))
                width = s.points.size() > 1 ? std::abs(s.points[1].x() - s.points[0].x()) * 0.8 : 0.8;
            QColor fill = color;
            fill.setAlpha(categorical ? 230 : 150);
            p->setPen(categorical ? QPen(color.darker(120), 0.8) : Qt::NoPen);
            p->setBrush(fill);
            for (const QPointF &pt : s.points) {
                const double l = mapX(pt.x() - width / 2), r = mapX(pt.x() + width / 2);
                const double top = mapY(pt.y(), s.rightAxis);
                p->drawRect(QRectF(QPointF(l, top), QPointF(std::max(r - (categorical ? 0.0 : 0.5), l + 0.5), plot.bottom())));
            }
        } else if (s.kind == ChartSeries::Line) {
            QPainterPath path;
            for (int i = 0; i < s.points.size(); ++i) {
                const QPointF at(mapX(s.points[i].x()), mapY(s.points[i].y(), s.rightAxis));
                i == 0 ? path.moveTo(at) : path.lineTo(at);
            }
            p->setBrush(Qt::NoBrush);
            p->setPen(QPen(color, 2));
            p->drawPath(path);
            if (s.points.size() <= 40) {
                p->setBrush(color);
                for (const QPointF &pt : s.points)
                    p->drawEllipse(QPointF(mapX(pt.x()), mapY(pt.y(), s.rightAxis)), 3, 3);
            }
        } else {
            const int stride = std::max<int>(1, int(s.points.size() / MaxScatterPoints) + (s.points.size() % MaxScatterPoints ? 1 : 0));
            QColor fill = color;
            fill.setAlpha(140);
            p->setPen(Qt::NoPen);
            p->setBrush(fill);
            for (int i = 0; i < s.points.size(); i += stride)
                p->drawEllipse(QPointF(mapX(s.points[i].x()), mapY(s.points[i].y(), s.rightAxis)), 2, 2);
        }
    }
    p->restore();

    if (chart.markerX) {
        const double x = mapX(*chart.markerX);
        p->setPen(QPen(QColor(0x55, 0x55, 0x55), 1.2, Qt::DashLine));
        p->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p->setPen(ink);
        p->drawText(QRectF(x + 3, plot.top(), 80, 16), Qt::AlignLeft | Qt::AlignTop, chart.markerLabel);
    }

    // Legend, right-aligned under the title.
    double legendX = plot.right();
    for (auto it = chart.series.rbegin(); it != chart.series.rend(); ++it) {
        if (it->name.isEmpty())
            continue;
        const double textWidth = fm.horizontalAdvance(it->name);
        legendX -= textWidth;
        p->setPen(ink);
        p->drawText(QRectF(legendX, legendTop, textWidth + 2, LegendHeight), Qt::AlignLeft | Qt::AlignVCenter, it->name);
        legendX -= 18;
        p->setPen(Qt::NoPen);
        p->setBrush(seriesColor(it->colorIndex));
        p->drawRect(QRectF(legendX, legendTop + LegendHeight / 2 - 5, 12, 10));
        legendX -= 14;
    }
    p->restore();
}

void ChartPainter::paintScaled(QPainter *p, const QRectF &target, const ChartSpec &chart)
{
    const QSizeF logical = logicalSize();
    p->save();
    p->translate(target.topLeft());
    p->scale(target.width() / logical.width(), target.height() / logical.height());
    paint(p, QRectF(QPointF(0, 0), logical), chart);
    p->restore();
}

QByteArray ChartPainter::svg(const ChartSpec &chart, const QString &title)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(logicalSize());
    generator.setViewBox(QRect(QPoint(0, 0), logicalSize()));
    generator.setTitle(title.isEmpty() ? chart.title : title);
    QPainter painter(&generator);
    paint(&painter, QRectF(QPointF(0, 0), logicalSize()), chart);
    painter.end();
    return buffer.data();
}

} // namespace ts
