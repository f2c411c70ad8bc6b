#include "timeline/timelinetab.h"

#include "anatomy/anatomyview.h"
#include "timeline/timelineview.h"
#include "views/resultdocument.h"

#include <QScrollArea>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace ts {

TimelineTab::TimelineTab(QWidget *parent)
    : ResultTab(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_timeline = new TimelineView(m_splitter);
    auto *scroll = new QScrollArea(m_splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_anatomy = new AnatomyView;
    scroll->setWidget(m_anatomy);
    m_splitter->addWidget(m_timeline);
    m_splitter->addWidget(scroll);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter);

    m_poll = new QTimer(this);
    m_poll->setInterval(inFlightPollMs);
    connect(m_poll, &QTimer::timeout, this, &TimelineTab::pollInFlight);
    connect(m_timeline, &TimelineView::requestSelected, this, [this](int index) { m_anatomy->setRecord(record(index)); });
    connect(m_timeline, &TimelineView::itlThresholdsChanged, m_anatomy, &AnatomyView::setItlThresholds);
    connect(m_timeline, &TimelineView::exportRequested, this,
            [this](const QString &format) { Q_EMIT exportRequested(m_timeline, format); });
}

QString TimelineTab::title() const
{
    return tr("Timeline");
}

void TimelineTab::setDocument(const ResultDocument *document)
{
    m_poll->stop();
    m_document = document;
    m_liveRecords.clear();
    m_liveRecords.shrink_to_fit();
    m_anatomy->setRecord(nullptr);
    m_timeline->setDocument(document);
}

void TimelineTab::startRun()
{
    m_document = nullptr;
    m_liveRecords.clear();
    m_elapsed = 0.0;
    m_anatomy->setRecord(nullptr);
    m_timeline->startRun();
    if (m_inFlightSource)
        m_poll->start();
}

void TimelineTab::addProgress(const RunProgress &progress)
{
    m_elapsed = progress.elapsed;
    m_timeline->addProgress(progress);
}

void TimelineTab::addRecords(const std::vector<RequestRecord> &records)
{
    m_liveRecords.insert(m_liveRecords.end(), records.begin(), records.end());
    m_timeline->addRecords(records);
}

void TimelineTab::finishRun()
{
    m_poll->stop();
    m_timeline->setOpenRequests({}, m_elapsed);
    m_timeline->finishRun();
}

QList<const Exportable *> TimelineTab::exportables() const
{
    return { m_timeline };
}

void TimelineTab::showRequest(int recordIndex)
{
    m_timeline->selectRequest(recordIndex);
    m_anatomy->setRecord(record(recordIndex));
}

void TimelineTab::setHighlighted(const std::vector<int> &recordIndices)
{
    m_timeline->setHighlighted(recordIndices);
}

const RequestRecord *TimelineTab::record(int recordIndex) const
{
    const std::vector<RequestRecord> &records = m_document ? m_document->run.records : m_liveRecords;
    if (recordIndex < 0 || std::size_t(recordIndex) >= records.size())
        return nullptr;
    return &records[std::size_t(recordIndex)];
}

void TimelineTab::pollInFlight()
{
    const std::vector<InFlightRequest> inFlight = m_inFlightSource();
    std::vector<OpenRequest> open;
    open.reserve(inFlight.size());
    for (const InFlightRequest &r : inFlight)
        open.push_back({ r.index, r.startTime, r.queueTime, r.ttft.value_or(-1.0), r.contentChunks });
    m_timeline->setOpenRequests(std::move(open), m_elapsed);
}

} // namespace ts
