#pragma once

#include "results/resulttab.h"
#include "transport/inflight.h"

#include <functional>
#include <vector>

class QSplitter;
class QTimer;

namespace ts {

class AnatomyView;
class TimelineView;

// The Timeline tab: every request of a run on one time axis, and under it the anatomy of the
// request the user clicks (its chunks as they arrived, the formulas with its own numbers, a
// replay). Live during a run: finished requests arrive in batches, the ones still streaming
// are polled a few times a second, never per event.
class TimelineTab : public ResultTab
{
    Q_OBJECT
public:
    using InFlightSource = std::function<std::vector<InFlightRequest>()>;

    explicit TimelineTab(QWidget *parent = nullptr);

    QString id() const override { return QStringLiteral("timeline"); }
    QString title() const override;
    void setDocument(const ResultDocument *document) override;
    void startRun() override;
    void addProgress(const RunProgress &progress) override;
    void addRecords(const std::vector<RequestRecord> &records) override;
    void finishRun() override;
    QList<const Exportable *> exportables() const override;

    // Where the requests still in flight come from during a run.
    void setInFlightSource(InFlightSource source) { m_inFlightSource = std::move(source); }
    // Selects a request (position in the shown records) and shows its anatomy.
    void showRequest(int recordIndex);
    // Picks out the requests behind a metric's value.
    void setHighlighted(const std::vector<int> &recordIndices);

    TimelineView *timeline() const { return m_timeline; }
    AnatomyView *anatomy() const { return m_anatomy; }

    static constexpr int inFlightPollMs = 200;

private:
    const RequestRecord *record(int recordIndex) const;
    void pollInFlight();

    TimelineView *m_timeline = nullptr;
    AnatomyView *m_anatomy = nullptr;
    QSplitter *m_splitter = nullptr;
    QTimer *m_poll = nullptr;
    InFlightSource m_inFlightSource;
    const ResultDocument *m_document = nullptr;
    std::vector<RequestRecord> m_liveRecords;    // a run's finished requests, in arrival order
    double m_elapsed = 0.0;
};

} // namespace ts
