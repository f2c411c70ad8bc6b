#pragma once

#include "charts/exportable.h"
#include "views/timelinedata.h"

#include <QWidget>

#include <utility>
#include <vector>

class QComboBox;
class QImage;
class QLabel;
class QSpinBox;
class QTimer;

namespace ts {

class TimelineCanvas;
struct ResultDocument;
struct RunProgress;
struct TimelineViewport;

// The request timeline: one row per request on the run's time axis, the wait for a slot, the
// wait for the first token and the decode phase with its gaps coloured by two ITL thresholds.
// Fed by a result (setDocument) or live (startRun, addRecords, addProgress, setOpenRequests,
// finishRun); live data only marks it out of date and a timer repaints at most ten times a
// second, so a thousand streams cost the same as ten.
class TimelineView : public QWidget, public Exportable
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget *parent = nullptr);
    ~TimelineView() override;

    void setDocument(const ResultDocument *document);
    void startRun();
    void addRecords(const std::vector<RequestRecord> &records);
    void addProgress(const RunProgress &progress);
    void setOpenRequests(std::vector<OpenRequest> open, double now);
    void finishRun();

    // Record indices (positions in the records given) to pick out, e.g. TimelineData::slowest().
    void setHighlighted(const std::vector<int> &recordIndices);
    // Selects the record and scrolls to it; -1 clears the selection.
    void selectRequest(int recordIndex);
    int selectedRequest() const;

    void setOrder(TimelineOrder order);
    TimelineOrder order() const;
    void setItlThresholds(int mediumMs, int slowMs);

    const TimelineData &data() const { return m_data; }
    // The visible time range in seconds on the run's axis.
    std::pair<double, double> visibleTimeRange() const;
    void zoomIn();
    void zoomOut();
    void fitAll();
    // Where the rows are painted: clicks and hovers go to this widget, in the coordinates of
    // currentViewport().
    QWidget *canvasWidget() const;
    TimelineViewport currentViewport() const;

    // What is shown now (same times and rows) at size; PNG, or SVG for a ".svg" suffix.
    // Written atomically; on failure false with *error a translated sentence naming the file.
    bool saveImage(const QString &path, QSize size, QString *error) const override;
    QImage renderImage(QSize size) const;
    // Where renderImage() draws what is shown now.
    TimelineViewport imageViewport(QSize size) const;
    // The file name a save dialog proposes, without suffix.
    QString exportName() const override { return QStringLiteral("timeline"); }

Q_SIGNALS:
    void requestSelected(int recordIndex);
    // The user changed the ITL colour thresholds.
    void itlThresholdsChanged(int mediumMs, int slowMs);
    // format is "png" or "svg".
    void exportRequested(const QString &format);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void applyThresholds();
    void refresh();
    void markChanged();

    TimelineData m_data;
    TimelineCanvas *m_canvas = nullptr;
    QLabel *m_orderLabel = nullptr;
    QComboBox *m_order = nullptr;
    QLabel *m_mediumLabel = nullptr;
    QSpinBox *m_medium = nullptr;
    QLabel *m_slowLabel = nullptr;
    QSpinBox *m_slow = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_hint = nullptr;
    QTimer *m_repaint = nullptr;
    bool m_changed = false;
};

} // namespace ts
