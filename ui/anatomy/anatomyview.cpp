#include "anatomy/anatomyview.h"

#include "anatomy/chunkstream.h"
#include "anatomy/timestrip.h"
#include "render/palette.h"
#include "results/chunks.h"
#include "views/anatomy.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

#include <cmath>

namespace ts {

namespace {

// Frames per second of a replay: smooth enough for a counting gap, light on the GUI thread.
constexpr int ReplayFrameMs = 33;

QLabel *boldLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    return label;
}

QLabel *textLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

AnatomyView::AnatomyView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_hint, 1);

    m_content = new QWidget(this);
    auto *content = new QVBoxLayout(m_content);
    content->setContentsMargins(0, 0, 0, 0);
    m_title = boldLabel(m_content);
    content->addWidget(m_title);

    m_streamTitle = boldLabel(m_content);
    content->addWidget(m_streamTitle);
    m_stream = new ChunkStream;
    m_streamScroll = new QScrollArea(m_content);
    m_streamScroll->setWidget(m_stream);
    m_streamScroll->setWidgetResizable(true);
    m_streamScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    content->addWidget(m_streamScroll, 2);
    m_wholeTextNote = textLabel(m_content);
    m_wholeTextNote->setForegroundRole(QPalette::PlaceholderText);
    content->addWidget(m_wholeTextNote);
    m_wholeText = new QPlainTextEdit(m_content);
    m_wholeText->setReadOnly(true);
    m_wholeText->setMaximumHeight(m_wholeText->fontMetrics().lineSpacing() * 6 + 12);
    content->addWidget(m_wholeText, 1);

    m_strip = new TimeStrip(m_content);
    content->addWidget(m_strip);
    m_reasoningLegend = textLabel(m_content);
    m_reasoningLegend->setStyleSheet(QStringLiteral("color: %1;").arg(palette::reasoning().darker(140).name()));
    m_reasoningLegend->hide();
    content->addWidget(m_reasoningLegend);

    auto *replayRow = new QHBoxLayout;
    m_replay = new QPushButton(m_content);
    m_speed = new QComboBox(m_content);
    m_stop = new QPushButton(m_content);
    replayRow->addWidget(m_replay);
    replayRow->addWidget(m_speed);
    replayRow->addWidget(m_stop);
    replayRow->addStretch(1);
    content->addLayout(replayRow);

    m_failure = textLabel(m_content);
    m_failure->setStyleSheet(QStringLiteral("color: %1;").arg(palette::failed().name()));
    content->addWidget(m_failure);
    m_formulasTitle = boldLabel(m_content);
    content->addWidget(m_formulasTitle);
    m_formulas = textLabel(m_content);
    content->addWidget(m_formulas);
    m_summaryTitle = boldLabel(m_content);
    content->addWidget(m_summaryTitle);
    m_summary = textLabel(m_content);
    content->addWidget(m_summary);
    layout->addWidget(m_content, 1);

    for (int i = 0; i < replaySpeeds().size(); ++i)
        m_speed->addItem(QString());
    m_frameTimer.setInterval(ReplayFrameMs);
    connect(&m_frameTimer, &QTimer::timeout, this, &AnatomyView::onFrame);
    connect(m_replay, &QPushButton::clicked, this, &AnatomyView::startReplay);
    connect(m_stop, &QPushButton::clicked, this, &AnatomyView::stopReplay);

    retranslateUi();
}

QList<double> AnatomyView::replaySpeeds()
{
    return { 1.0, 0.25, 0.1 };
}

void AnatomyView::setReplaySpeed(double factor)
{
    const QList<double> speeds = replaySpeeds();
    qsizetype nearest = 0;
    for (qsizetype i = 1; i < speeds.size(); ++i) {
        if (std::abs(speeds[i] - factor) < std::abs(speeds[nearest] - factor))
            nearest = i;
    }
    m_speed->setCurrentIndex(int(nearest));
}

double AnatomyView::replaySpeed() const
{
    return replaySpeeds().value(m_speed->currentIndex(), 1.0);
}

void AnatomyView::setRecord(const RequestRecord *record)
{
    stopReplay();
    if (record)
        m_record = *record;
    else
        m_record.reset();
    showRecord();
    updateReplayControls();
}

void AnatomyView::setItlThresholds(double mediumFromMs, double slowFromMs)
{
    m_mediumFromMs = mediumFromMs;
    m_slowFromMs = slowFromMs;
    m_stream->setItlThresholds(mediumFromMs, slowFromMs);
    m_strip->setItlThresholds(mediumFromMs, slowFromMs);
}

int AnatomyView::chunkBoxCount() const
{
    return m_stream->boxCount();
}

int AnatomyView::revealedChunkCount() const
{
    return m_stream->revealedCount();
}

QStringList AnatomyView::chunkTexts() const
{
    return m_stream->boxTexts();
}

int AnatomyView::reasoningBoxCount() const
{
    return m_stream->reasoningBoxCount();
}

QString AnatomyView::reasoningLegendText() const
{
    return m_reasoningLegend->isHidden() ? QString() : m_reasoningLegend->text();
}

QString AnatomyView::formulasText() const
{
    QStringList parts;
    for (const QLabel *label : { m_failure, m_formulas, m_summary }) {
        if (!label->text().isEmpty())
            parts << label->text();
    }
    return parts.join(u'\n');
}

double AnatomyView::replayEndMs() const
{
    if (!m_record)
        return 0.0;
    const std::vector<Chunk> chunks = chunksOf(*m_record);
    const double lastArrival = chunks.empty() ? 0.0 : chunks.back().arrival;
    return std::max(m_record->latency, lastArrival) * 1000.0;
}

void AnatomyView::startReplay()
{
    if (!m_record || m_stream->boxCount() == 0)
        return;
    m_replayMs = 0.0;
    m_stream->setReplayTime(0.0);
    m_strip->setCursor(0.0);
    m_streamScroll->verticalScrollBar()->setValue(0);
    m_frameClock.start();
    m_frameTimer.start();
    updateReplayControls();
}

void AnatomyView::stopReplay()
{
    m_frameTimer.stop();
    if (!m_replayMs)
        return;
    m_replayMs.reset();
    m_stream->showAll();
    m_strip->setCursor(std::nullopt);
    updateReplayControls();
}

void AnatomyView::onFrame()
{
    const double seconds = double(m_frameClock.nsecsElapsed()) / 1e9;
    m_frameClock.restart();
    advanceReplay(seconds);
}

void AnatomyView::advanceReplay(double seconds)
{
    if (!m_replayMs)
        return;
    *m_replayMs += seconds * 1000.0 * replaySpeed();
    if (*m_replayMs >= replayEndMs()) {
        stopReplay();
        Q_EMIT replayFinished();
        return;
    }
    const int before = m_stream->revealedCount();
    m_stream->setReplayTime(*m_replayMs);
    m_strip->setCursor(*m_replayMs);
    const int shown = m_stream->revealedCount();
    if (shown != before && shown > 0) {
        const QRect box = m_stream->boxRect(shown - 1);
        m_streamScroll->ensureVisible(box.center().x(), box.center().y(), 0, box.height());
    }
}

void AnatomyView::updateReplayControls()
{
    m_replay->setEnabled(m_record && m_stream->boxCount() > 0 && !isReplaying());
    m_stop->setEnabled(isReplaying());
}

void AnatomyView::showRecord()
{
    m_hint->setVisible(!m_record);
    m_content->setVisible(m_record.has_value());
    if (!m_record) {
        m_stream->setBoxes({}, true);
        m_stream->setEndMark(QString());
        m_strip->setTimes({}, 0.0, false);
        m_wholeText->clear();
        m_reasoningLegend->hide();
        for (QLabel *label : { m_title, m_failure, m_formulas, m_summary })
            label->clear();
        return;
    }
    const RequestRecord &r = *m_record;
    const RequestAnatomy a = anatomyOf(r);
    const std::vector<Chunk> chunks = chunksOf(r);

    const QString status = r.success ? tr("%n chunks", nullptr, a.chunkCount) : tr("failed");
    m_title->setText(tr("Request #%1 (%2)").arg(r.index).arg(status));

    std::vector<ChunkStream::Box> boxes;
    std::vector<double> arrivalsMs;
    boxes.reserve(chunks.size());
    arrivalsMs.reserve(chunks.size());
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        ChunkStream::Box box;
        box.text = chunks[i].text.toString();
        box.tokens = chunks[i].tokens;
        box.gapBeforeMs = i == 0 ? a.ttftMs : a.itlMs[i - 1];
        box.arrivalMs = chunks[i].arrival * 1000.0;
        box.reasoning = a.isReasoningChunk(int(i));
        arrivalsMs.push_back(box.arrivalMs);
        boxes.push_back(std::move(box));
    }
    m_stream->setBoxes(std::move(boxes), a.chunkTexts);
    m_stream->setEndMark(r.success ? QString() : tr("failed"));
    m_strip->setTimes(std::move(arrivalsMs), a.e2elMs, !r.success);
    if (a.reasoning)
        m_strip->setReasoning(a.ttfrtMs, a.ttfatMs);
    m_reasoningLegend->setVisible(a.reasoning);
    m_reasoningLegend->setText(a.reasoning
        ? tr("Tinted boxes and the band on the bar: the model reasoning (%n chunks) before its answer. TTFT counts the first chunk of either kind, so here it is TTFRT; the answer begins at TTFAT.",
             nullptr, a.reasoningChunks)
        : QString());

    if (chunks.empty())
        m_streamTitle->setText(tr("No content arrived."));
    else if (a.chunkTexts)
        m_streamTitle->setText(tr("The answer as it arrived, chunk by chunk, with the wait before each chunk"));
    else
        m_streamTitle->setText(tr("The chunks as they arrived, with the wait before each chunk"));
    const bool wholeTextOnly = !a.chunkTexts && !chunks.empty();
    m_wholeTextNote->setVisible(wholeTextOnly);
    m_wholeTextNote->setText(tr("Only the whole answer was kept, not the text of each chunk (vLLM's result files keep no more): the boxes show when each chunk arrived, the text is below."));
    m_wholeText->setVisible(wholeTextOnly && !r.generatedText.isEmpty());
    m_wholeText->setPlainText(wholeTextOnly ? r.generatedText : QString());

    m_failure->setVisible(!r.success);
    m_failure->setText(r.success ? QString() : QString(a.failureLine + u'\n' + a.measuredBeforeFailureLine));
    QStringList formulas;
    for (const QString &line : { a.ttftLine, a.ttfrtLine, a.ttfatLine, a.reasoningLine, a.tpotLine, a.tokenCountLine,
                                 a.itlLine, a.itlStatsLine, a.e2elLine }) {
        if (!line.isEmpty())
            formulas << line;
    }
    m_formulas->setText(formulas.join(u'\n'));
    QStringList summary;
    for (const QString &line : a.summaryLines)
        summary << QString(QStringLiteral("• ") + line);
    m_summary->setText(summary.join(u'\n'));
}

void AnatomyView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void AnatomyView::retranslateUi()
{
    m_hint->setText(tr("Click a request in the timeline to take it apart: the wait for its first token, each gap between chunks, and how TTFT, TPOT, ITL and E2EL come from them."));
    m_formulasTitle->setText(tr("This request's figures"));
    m_summaryTitle->setText(tr("How they enter the summary"));
    m_replay->setText(tr("Replay"));
    m_replay->setToolTip(tr("Play the stream again at its recorded times, slowed down by the chosen factor"));
    m_stop->setText(tr("Stop"));
    const QList<double> speeds = replaySpeeds();
    for (int i = 0; i < speeds.size(); ++i)
        m_speed->setItemText(i, tr("%1×").arg(QLocale().toString(speeds[i])));
    m_speed->setToolTip(tr("Replay speed"));
    showRecord();
    if (m_replayMs)
        m_stream->setReplayTime(*m_replayMs);
}

} // namespace ts
