#include "timeline/timelinecanvas.h"

#include "views/timelinedata.h"

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStringList>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

constexpr double MaxRowHeight = 40.0;
constexpr double MinTimeSpan = 1e-4;    // 0.1 ms across the whole width
constexpr double ZoomStep = 1.25;       // one key press
constexpr double DragThresholdPx = 4.0;
constexpr double HitSlackPx = 3.0;

QString ms(double seconds)
{
    return QLocale().toString(seconds * 1000.0, 'f', 1);
}

} // namespace

TimelineCanvas::TimelineCanvas(const TimelineData *data, QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_data(data)
{
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    viewport()->setAutoFillBackground(false);
    setMinimumSize(320, 200);
    m_style.font = font();
}

double TimelineCanvas::runBegin() const
{
    return m_data->timeBegin();
}

double TimelineCanvas::runEnd() const
{
    return std::max(m_data->timeEnd(), runBegin() + MinTimeSpan);
}

double TimelineCanvas::fittedRowHeight() const
{
    const double height = TimelinePainter::layout(QRectF(viewport()->rect()), m_style).rows.height();
    const int rows = m_data->rowCount();
    return rows > 0 ? std::min(height / rows, 24.0) : 6.0;
}

double TimelineCanvas::minRowHeight() const
{
    return std::min(fittedRowHeight(), 24.0);
}

TimelineViewport TimelineCanvas::currentViewport() const
{
    TimelineViewport v;
    v.rows = TimelinePainter::layout(QRectF(viewport()->rect()), m_style).rows;
    v.timeBegin = m_timeBegin;
    v.timeEnd = m_timeEnd;
    v.firstRow = m_firstRow;
    v.rowHeight = m_rowHeight;
    return v;
}

TimelineViewport TimelineCanvas::viewportIn(const QRectF &target) const
{
    const TimelineViewport shown = currentViewport();
    TimelineViewport v = shown;
    v.rows = TimelinePainter::layout(target, m_style).rows;
    if (shown.rows.height() > 0.0)
        v.rowHeight = shown.rowHeight * v.rows.height() / shown.rows.height();
    return v;
}

void TimelineCanvas::dataChanged()
{
    if (m_followTime) {
        m_timeBegin = runBegin();
        m_timeEnd = runEnd();
    }
    if (m_followRows) {
        m_rowHeight = fittedRowHeight();
        m_firstRow = 0.0;
    }
    clampView();
    updateScrollBars();
    viewport()->update();
}

void TimelineCanvas::fitAll()
{
    m_followTime = true;
    m_followRows = true;
    dataChanged();
}

void TimelineCanvas::clampView()
{
    const double total = runEnd() - runBegin();
    const double span = std::clamp(m_timeEnd - m_timeBegin, std::min(MinTimeSpan, total), total);
    m_timeBegin = std::clamp(m_timeBegin, runBegin(), runEnd() - span);
    m_timeEnd = m_timeBegin + span;
    m_followTime = span >= total * (1.0 - 1e-9);

    const double fitted = fittedRowHeight();
    m_rowHeight = std::clamp(m_rowHeight, minRowHeight(), std::max(MaxRowHeight, fitted));
    m_followRows = m_rowHeight <= fitted * (1.0 + 1e-9);
    const double visible = currentViewport().visibleRows();
    m_firstRow = std::clamp(m_firstRow, 0.0, std::max(0.0, m_data->rowCount() - visible));
}

void TimelineCanvas::updateScrollBars()
{
    m_updatingScrollBars = true;
    const double spanMs = (m_timeEnd - m_timeBegin) * 1000.0;
    const double totalMs = (runEnd() - runBegin()) * 1000.0;
    horizontalScrollBar()->setRange(0, int(std::ceil(std::max(0.0, totalMs - spanMs))));
    horizontalScrollBar()->setPageStep(std::max(1, int(spanMs)));
    horizontalScrollBar()->setSingleStep(std::max(1, int(spanMs / 20.0)));
    horizontalScrollBar()->setValue(int(std::lround((m_timeBegin - runBegin()) * 1000.0)));

    const double visible = currentViewport().visibleRows();
    verticalScrollBar()->setRange(0, int(std::ceil(std::max(0.0, m_data->rowCount() - visible))));
    verticalScrollBar()->setPageStep(std::max(1, int(visible)));
    verticalScrollBar()->setSingleStep(std::max(1, int(visible / 20.0)));
    verticalScrollBar()->setValue(int(std::lround(m_firstRow)));
    m_updatingScrollBars = false;
}

void TimelineCanvas::scrollContentsBy(int, int)
{
    if (m_updatingScrollBars)
        return;
    const double span = m_timeEnd - m_timeBegin;
    if (!m_followTime) {
        m_timeBegin = runBegin() + horizontalScrollBar()->value() / 1000.0;
        m_timeEnd = m_timeBegin + span;
    }
    m_firstRow = verticalScrollBar()->value();
    clampView();
    viewport()->update();
}

void TimelineCanvas::zoom(double factor, QPointF anchor, bool time, bool rows)
{
    const TimelineViewport v = currentViewport();
    if (time) {
        const double at = v.timeAt(anchor.x());
        const double span = std::max((m_timeEnd - m_timeBegin) / factor, MinTimeSpan);
        const double share = v.rows.width() > 0.0 ? (anchor.x() - v.rows.left()) / v.rows.width() : 0.5;
        m_timeBegin = at - share * span;
        m_timeEnd = m_timeBegin + span;
        m_followTime = false;
    }
    if (rows) {
        const double at = v.rowAt(anchor.y());
        m_rowHeight = std::clamp(m_rowHeight * factor, minRowHeight(), std::max(MaxRowHeight, fittedRowHeight()));
        m_firstRow = at - (anchor.y() - v.rows.top()) / m_rowHeight;
        m_followRows = false;
    }
    clampView();
    updateScrollBars();
    viewport()->update();
}

void TimelineCanvas::zoomIn()
{
    zoom(ZoomStep, currentViewport().rows.center());
}

void TimelineCanvas::zoomOut()
{
    zoom(1.0 / ZoomStep, currentViewport().rows.center());
}

void TimelineCanvas::scrollToRecord(int record)
{
    const int row = m_data->rowOfRecord(record);
    if (row < 0)
        return;
    const TimelineViewport v = currentViewport();
    if (row < m_firstRow || row + 1 > m_firstRow + v.visibleRows()) {
        m_firstRow = row + 0.5 - v.visibleRows() / 2.0;
        m_followRows = false;
    }
    const TimelineRequest &r = m_data->request(record);
    if (r.end() < m_timeBegin || r.released() > m_timeEnd) {
        const double span = m_timeEnd - m_timeBegin;
        m_timeBegin = (r.released() + r.end()) / 2.0 - span / 2.0;
        m_timeEnd = m_timeBegin + span;
    }
    clampView();
    updateScrollBars();
    viewport()->update();
}

int TimelineCanvas::recordAt(QPointF pos) const
{
    const TimelineViewport v = currentViewport();
    if (!v.rows.contains(pos))
        return -1;
    const int row = int(std::floor(v.rowAt(pos.y())));
    return m_data->hitTest(row, v.timeAt(pos.x()), HitSlackPx * v.secondsPerPixel()).record;
}

QString TimelineCanvas::toolTipAt(QPointF pos) const
{
    const TimelineViewport v = currentViewport();
    if (!v.rows.contains(pos))
        return {};
    const int row = int(std::floor(v.rowAt(pos.y())));
    const TimelineHit hit = m_data->hitTest(row, v.timeAt(pos.x()), HitSlackPx * v.secondsPerPixel());
    const QLocale locale;
    QStringList lines;
    if (hit.record >= 0) {
        const TimelineRequest &r = m_data->request(hit.record);
        lines << tr("Request %1").arg(r.index);
        if (!m_data->alignedAtZero())
            lines << tr("Sent at %1 s").arg(locale.toString(r.startTime, 'f', 3));
        lines << tr("Queue wait: %1 ms").arg(ms(r.queueTime));
        if (r.hasFirstToken())
            lines << tr("TTFT: %1 ms").arg(ms(r.ttft));
        lines << tr("E2EL: %1 ms").arg(ms(r.latency));
        lines << tr("Output tokens: %1").arg(r.outputTokens);
        lines << tr("Chunks: %1").arg(r.chunks);
        if (!r.success) {
            const QString error = m_data->error(hit.record);
            lines << tr("Error: %1").arg(error.isEmpty() ? tr("unknown") : error);
        }
    } else if (hit.open >= 0) {
        const OpenRequest &o = m_data->open(hit.open);
        lines << tr("Request %1 (streaming)").arg(o.index);
        lines << tr("Sent at %1 s").arg(locale.toString(o.startTime, 'f', 3));
        lines << tr("Queue wait: %1 ms").arg(ms(o.queueTime));
        if (o.firstContent >= 0.0)
            lines << tr("TTFT: %1 ms").arg(ms(o.firstContent));
        else
            lines << tr("Waiting for the first token");
        lines << tr("Chunks so far: %1").arg(o.chunks);
    }
    return lines.join(QLatin1Char('\n'));
}

void TimelineCanvas::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    m_style.font = font();
    TimelinePainter::paint(&painter, QRectF(viewport()->rect()), *m_data, currentViewport(), m_style);
}

void TimelineCanvas::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    dataChanged();
}

void TimelineCanvas::wheelEvent(QWheelEvent *event)
{
    const double degrees = event->angleDelta().y() / 8.0;
    if (degrees == 0.0) {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    // Shift zooms time only, Ctrl rows only, plain both (like a map).
    const Qt::KeyboardModifiers mods = event->modifiers();
    const bool time = !(mods & Qt::ControlModifier);
    const bool rows = !(mods & Qt::ShiftModifier);
    zoom(std::pow(ZoomStep, degrees / 15.0), event->position(), time, rows);
    event->accept();
}

void TimelineCanvas::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_0:
    case Qt::Key_Home:
        fitAll();
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void TimelineCanvas::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    m_pressPos = event->position();
    m_pressTimeBegin = m_timeBegin;
    m_pressFirstRow = m_firstRow;
    m_dragging = false;
}

void TimelineCanvas::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton) {
        const QPointF delta = event->position() - m_pressPos;
        if (!m_dragging && std::hypot(delta.x(), delta.y()) < DragThresholdPx)
            return;
        m_dragging = true;
        const TimelineViewport v = currentViewport();
        const double span = m_timeEnd - m_timeBegin;
        m_timeBegin = m_pressTimeBegin - delta.x() * v.secondsPerPixel();
        m_timeEnd = m_timeBegin + span;
        m_firstRow = m_pressFirstRow - delta.y() / m_rowHeight;
        clampView();
        updateScrollBars();
        viewport()->update();
        return;
    }
    const QString text = toolTipAt(event->position());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, viewport());
}

void TimelineCanvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mouseReleaseEvent(event);
        return;
    }
    if (!m_dragging) {
        const int record = recordAt(event->position());
        if (record >= 0)
            Q_EMIT recordClicked(record);
    }
    m_dragging = false;
}

void TimelineCanvas::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    menu.addAction(tr("Save as PNG…"), this, [this] { Q_EMIT exportRequested(QStringLiteral("png")); });
    menu.addAction(tr("Save as SVG…"), this, [this] { Q_EMIT exportRequested(QStringLiteral("svg")); });
    menu.exec(event->globalPos());
}

} // namespace ts
