#include "timeline/timelineview.h"

#include "core/savefile.h"
#include "load/benchmarkrunner.h"
#include "render/timelinepainter.h"
#include "timeline/timelinecanvas.h"
#include "views/resultdocument.h"

#include <QComboBox>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QSpinBox>
#include <QSvgGenerator>
#include <QTimer>
#include <QVBoxLayout>

namespace ts {

namespace {

// Live data repaints at most this often (ms): the cost stays the same at any request rate.
constexpr int RepaintIntervalMs = 100;

} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent)
    , m_canvas(new TimelineCanvas(&m_data, this))
    , m_orderLabel(new QLabel(this))
    , m_order(new QComboBox(this))
    , m_mediumLabel(new QLabel(this))
    , m_medium(new QSpinBox(this))
    , m_slowLabel(new QLabel(this))
    , m_slow(new QSpinBox(this))
    , m_note(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_repaint(new QTimer(this))
{
    m_order->addItem(QString(), int(TimelineOrder::Start));
    m_order->addItem(QString(), int(TimelineOrder::Ttft));
    m_order->addItem(QString(), int(TimelineOrder::E2el));
    m_orderLabel->setBuddy(m_order);
    for (QSpinBox *box : {m_medium, m_slow}) {
        box->setRange(1, 100000);
        box->setAccelerated(true);
    }
    m_medium->setObjectName(QStringLiteral("mediumItl"));
    m_slow->setObjectName(QStringLiteral("slowItl"));
    m_medium->setValue(25);
    m_slow->setValue(50);
    m_mediumLabel->setBuddy(m_medium);
    m_slowLabel->setBuddy(m_slow);
    m_note->setWordWrap(true);
    m_note->setVisible(false);
    m_hint->setEnabled(false);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_orderLabel);
    controls->addWidget(m_order);
    controls->addSpacing(12);
    controls->addWidget(m_mediumLabel);
    controls->addWidget(m_medium);
    controls->addWidget(m_slowLabel);
    controls->addWidget(m_slow);
    controls->addStretch(1);
    controls->addWidget(m_hint);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_note);
    layout->addWidget(m_canvas, 1);

    connect(m_order, &QComboBox::currentIndexChanged, this, [this] {
        m_data.setOrder(TimelineOrder(m_order->currentData().toInt()));
        m_canvas->dataChanged();
    });
    connect(m_medium, &QSpinBox::valueChanged, this, &TimelineView::applyThresholds);
    connect(m_slow, &QSpinBox::valueChanged, this, &TimelineView::applyThresholds);
    connect(m_canvas, &TimelineCanvas::recordClicked, this, [this](int record) {
        m_canvas->style().selectedRecord = record;
        m_canvas->viewport()->update();
        Q_EMIT requestSelected(record);
    });
    connect(m_canvas, &TimelineCanvas::exportRequested, this, &TimelineView::exportRequested);
    m_repaint->setInterval(RepaintIntervalMs);
    connect(m_repaint, &QTimer::timeout, this, [this] {
        if (m_changed)
            refresh();
    });
    applyThresholds();
    retranslateUi();
}

TimelineView::~TimelineView() = default;

void TimelineView::setDocument(const ResultDocument *document)
{
    m_repaint->stop();
    m_data = document ? TimelineData::fromDocument(*document) : TimelineData();
    m_data.setOrder(order());
    m_canvas->style().selectedRecord = -1;
    m_note->setVisible(m_data.alignedAtZero());
    m_canvas->fitAll();
}

void TimelineView::startRun()
{
    m_data = TimelineData();
    m_data.setOrder(order());
    m_canvas->style().selectedRecord = -1;
    m_note->setVisible(false);
    m_canvas->fitAll();
    m_repaint->start();
}

void TimelineView::addRecords(const std::vector<RequestRecord> &records)
{
    m_data.append(records);
    markChanged();
}

void TimelineView::addProgress(const RunProgress &progress)
{
    if (progress.warmingUp)
        return;
    m_data.setNow(progress.elapsed);
    markChanged();
}

void TimelineView::setOpenRequests(std::vector<OpenRequest> open, double now)
{
    m_data.setOpenRequests(std::move(open), now);
    markChanged();
}

void TimelineView::finishRun()
{
    m_repaint->stop();
    // Whatever still looked open has ended or been cut off; the records say how.
    m_data.setOpenRequests({}, m_data.now());
    refresh();
}

void TimelineView::markChanged()
{
    // Painted on the timer while running; at once otherwise (a single update).
    m_changed = true;
    if (!m_repaint->isActive())
        refresh();
}

void TimelineView::refresh()
{
    m_changed = false;
    m_canvas->dataChanged();
}

void TimelineView::setHighlighted(const std::vector<int> &recordIndices)
{
    m_data.setHighlighted(recordIndices);
    m_canvas->viewport()->update();
}

void TimelineView::selectRequest(int recordIndex)
{
    m_canvas->style().selectedRecord = recordIndex;
    if (recordIndex >= 0)
        m_canvas->scrollToRecord(recordIndex);
    m_canvas->viewport()->update();
}

int TimelineView::selectedRequest() const
{
    return m_canvas->style().selectedRecord;
}

void TimelineView::setOrder(TimelineOrder order)
{
    m_order->setCurrentIndex(m_order->findData(int(order)));
}

TimelineOrder TimelineView::order() const
{
    return TimelineOrder(m_order->currentData().toInt());
}

void TimelineView::setItlThresholds(int mediumMs, int slowMs)
{
    m_medium->setValue(mediumMs);
    m_slow->setValue(slowMs);
}

void TimelineView::applyThresholds()
{
    m_canvas->style().mediumItlMs = m_medium->value();
    m_canvas->style().slowItlMs = m_slow->value();
    m_canvas->viewport()->update();
    Q_EMIT itlThresholdsChanged(m_medium->value(), m_slow->value());
}

std::pair<double, double> TimelineView::visibleTimeRange() const
{
    const TimelineViewport v = m_canvas->currentViewport();
    return {v.timeBegin, v.timeEnd};
}

void TimelineView::zoomIn()
{
    m_canvas->zoomIn();
}

void TimelineView::zoomOut()
{
    m_canvas->zoomOut();
}

void TimelineView::fitAll()
{
    m_canvas->fitAll();
}

QWidget *TimelineView::canvasWidget() const
{
    return m_canvas->viewport();
}

TimelineViewport TimelineView::currentViewport() const
{
    return m_canvas->currentViewport();
}

TimelineViewport TimelineView::imageViewport(QSize size) const
{
    return m_canvas->viewportIn(QRectF(QPointF(0, 0), QSizeF(size)));
}

QImage TimelineView::renderImage(QSize size) const
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    const QRectF target(QPointF(0, 0), QSizeF(size));
    QPainter painter(&image);
    TimelinePainter::paint(&painter, target, m_data, m_canvas->viewportIn(target), m_canvas->style());
    return image;
}

bool TimelineView::saveImage(const QString &path, QSize size, QString *error) const
{
    const bool svg = QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0;
    return saveFile(path, [&](QIODevice &file, QString *reason) {
        const auto fail = [reason](const QString &why) {
            *reason = why;
            return false;
        };
        if (!svg) {
            if (renderImage(size).save(&file, "PNG"))
                return true;
            return fail(tr("the image could not be encoded"));
        }
        QSvgGenerator generator;
        generator.setOutputDevice(&file);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(tr("Request timeline"));
        generator.setDescription(QStringLiteral("Tokenstorm"));
        QPainter painter;
        if (!painter.begin(&generator))
            return fail(tr("the image could not be drawn"));
        const QRectF target(QPointF(0, 0), QSizeF(size));
        TimelinePainter::paint(&painter, target, m_data, m_canvas->viewportIn(target), m_canvas->style());
        return painter.end() || fail(tr("the image could not be drawn"));
    }, error);
}

void TimelineView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void TimelineView::retranslateUi()
{
    m_orderLabel->setText(tr("&Sort by:"));
    m_order->setItemText(0, tr("Start"));
    m_order->setItemText(1, tr("TTFT"));
    m_order->setItemText(2, tr("E2EL"));
    m_mediumLabel->setText(tr("ITL &medium from:"));
    m_slowLabel->setText(tr("s&low from:"));
    m_medium->setSuffix(tr(" ms"));
    m_slow->setSuffix(tr(" ms"));
    m_medium->setToolTip(tr("Gaps between chunks from this length on are drawn yellow"));
    m_slow->setToolTip(tr("Gaps between chunks from this length on are drawn red"));
    m_note->setText(tr("This file records no send times, so every request is drawn from zero: the "
                       "rows compare waits and gaps, not when requests ran."));
    m_hint->setText(tr("Wheel: zoom · Drag: pan · 0: whole run"));
    m_canvas->viewport()->update();
}

} // namespace ts
