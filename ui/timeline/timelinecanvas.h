#pragma once

#include "render/timelinepainter.h"

#include <QAbstractScrollArea>

namespace ts {

class TimelineData;

// The drawing surface of the timeline view: zoom (wheel, +/-), pan (drag, scroll bars),
// hover and click over the rows of a TimelineData owned by the view. Until the user zooms
// or pans, it keeps the whole run in view, also while a live run grows.
class TimelineCanvas : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit TimelineCanvas(const TimelineData *data, QWidget *parent = nullptr);

    TimelineStyle &style() { return m_style; }
    const TimelineStyle &style() const { return m_style; }
    // What the canvas shows now, in its viewport's coordinates.
    TimelineViewport currentViewport() const;
    // The same rows and times laid out in a rectangle of another size (for an image).
    TimelineViewport viewportIn(const QRectF &target) const;

    // The data changed (records came, the order changed): keep the fit or the user's view.
    void dataChanged();
    // Back to the whole run.
    void fitAll();
    // factor > 1 zooms in around anchor (viewport coordinates); time and rows as asked.
    void zoom(double factor, QPointF anchor, bool time = true, bool rows = true);
    void zoomIn();
    void zoomOut();
    // Scrolls so that the record's row is in view (and its bar, if off to a side).
    void scrollToRecord(int record);
    // The record (>= 0) under a viewport position, -1 when none.
    int recordAt(QPointF pos) const;

Q_SIGNALS:
    void recordClicked(int record);
    void exportRequested(const QString &format);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    double runBegin() const;
    double runEnd() const;
    double fittedRowHeight() const;
    double minRowHeight() const;
    void clampView();
    void updateScrollBars();
    QString toolTipAt(QPointF pos) const;

    const TimelineData *m_data;
    TimelineStyle m_style;
    double m_timeBegin = 0.0;
    double m_timeEnd = 1.0;
    double m_firstRow = 0.0;
    double m_rowHeight = 6.0;
    bool m_followTime = true;     // not zoomed or panned in time: show the whole run
    bool m_followRows = true;
    bool m_updatingScrollBars = false;
    QPointF m_pressPos;
    double m_pressTimeBegin = 0.0;
    double m_pressFirstRow = 0.0;
    bool m_dragging = false;
};

} // namespace ts
