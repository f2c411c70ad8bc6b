#include "results/summaryview.h"

#include "glossary/glossarylauncher.h"
#include "metrics/statistics.h"
#include "results/ratingpanel.h"
#include "views/resultdocument.h"
#include "results/summary.h"
#include "views/metricselection.h"

#include <QDir>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMetaMethod>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTextBlock>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

namespace ts {

SummaryView::SummaryView(Settings *settings, QWidget *parent)
    : ResultTab(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_source = new QLabel(this);
    m_source->setWordWrap(true);
    m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_source);

    m_startPage = new QWidget(this);
    auto *start = new QHBoxLayout(m_startPage);
    start->setContentsMargins(0, 0, 0, 0);
    m_startText = new QLabel(m_startPage);
    m_startText->setWordWrap(true);
    m_exercisesButton = new QPushButton(m_startPage);
    m_startGlossaryButton = new QPushButton(m_startPage);
    start->addWidget(m_startText, 1);
    start->addWidget(m_exercisesButton);
    start->addWidget(m_startGlossaryButton);
    connect(m_exercisesButton, &QPushButton::clicked, this, &SummaryView::exercisesRequested);
    connect(m_startGlossaryButton, &QPushButton::clicked, GlossaryLauncher::instance(), &GlossaryLauncher::showGlossary);
    layout->addWidget(m_startPage);

    auto *row = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    m_summary = new QPlainTextEdit(this);
    m_summary->setReadOnly(true);
    m_summary->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_summary->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // 52 columns of vLLM's layout plus the scroll bar.
    m_summary->setMinimumWidth(m_summary->fontMetrics().horizontalAdvance(QString(54, u'0')) + 24);
    m_summary->viewport()->installEventFilter(this);
    m_summary->viewport()->setMouseTracking(true);
    left->addWidget(m_summary, 1);
    auto *noteRow = new QHBoxLayout;
    m_summaryNote = new QLabel(this);
    m_summaryNote->setWordWrap(true);
    m_summaryNote->setForegroundRole(QPalette::PlaceholderText);
    noteRow->addWidget(m_summaryNote, 1);
    m_glossaryButton = makeGlossaryButton(this);
    noteRow->addWidget(m_glossaryButton, 0, Qt::AlignTop);
    left->addLayout(noteRow);
    row->addLayout(left, 0);

    m_rating = new RatingPanel(settings, this);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_rating);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    row->addWidget(scroll, 1);
    layout->addLayout(row, 1);
    retranslateUi();
}

QString SummaryView::title() const
{
    return tr("Summary and rating");
}

void SummaryView::setDocument(const ResultDocument *document)
{
    m_document = document;
    m_rating->setMetrics(document ? std::optional<BenchmarkMetrics>(document->metrics) : std::nullopt,
                         document ? document->run.config.target.backend : QString());
    retranslateUi();
}

QString SummaryView::summaryText() const
{
    return m_summary->toPlainText();
}

QString SummaryView::sourceText() const
{
    return m_source->text();
}

std::optional<MetricValue> SummaryView::metricAt(const QPoint &viewportPos) const
{
    const QTextCursor cursor = m_summary->cursorForPosition(viewportPos);
    // cursorForPosition() snaps to the nearest line, also below the last one.
    const QRect line = m_summary->cursorRect(cursor);
    if (viewportPos.y() < line.top() || viewportPos.y() > line.bottom())
        return std::nullopt;
    return metricOfSummaryLine(cursor.block().text());
}

QString SummaryView::toolTipFor(const MetricValue &value) const
{
    QString tip = glossaryEntry(value.metric).shortTip;
    switch (value.statistic) {
    case Statistic::Mean:
        tip += u'\n' + tr("Mean: the average of the values.");
        break;
    case Statistic::Median:
        tip += u'\n' + tr("Median: half of the values are below it, half above.");
        break;
    case Statistic::Std:
        tip += u'\n' + tr("Std: how widely the values spread around the mean.");
        break;
    case Statistic::Percentile:
        tip += u'\n' + tr("P%1: %1 % of the values are at or below it.").arg(percentileName(value.percentile));
        break;
    case Statistic::None:
        break;
    }
    if (isSignalConnected(QMetaMethod::fromSignal(&SummaryView::metricClicked)))
        tip += u'\n' + tr("Click to mark the requests behind this value.");
    return tip;
}

QString SummaryView::loadShapeText(const LoadConfig &load) const
{
    if (load.hasRampUp()) {
        const QString strategy = load.rampUpStrategy == RampUpStrategy::Exponential ? tr("exponential") : tr("linear");
        return tr("Load: ramp up from %1 to %2 req/s, %3.")
            .arg(load.rampUpStartRps.value_or(0))
            .arg(load.rampUpEndRps.value_or(0))
            .arg(strategy);
    }
    QString text = load.hasFiniteRate() ? tr("Load: %1 req/s.").arg(QLocale().toString(load.requestRate, 'g', 6))
                                        : tr("Load: all requests released at once.");
    if (load.hasDurationLimit()) {
        const QString seconds = QLocale().toString(load.durationS, 'g', 6);
        text += QLatin1Char(' ')
            + (load.durationCancel ? tr("Limited to %1 s; requests still running then were cancelled.").arg(seconds)
                                   : tr("Limited to %1 s; requests still running then were let finish.").arg(seconds));
    }
    return text;
}

bool SummaryView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_summary->viewport())
        return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::ToolTip: {
        const auto *help = static_cast<QHelpEvent *>(event);
        if (const std::optional<MetricValue> v = metricAt(help->pos()))
            QToolTip::showText(help->globalPos(), toolTipFor(*v), m_summary->viewport());
        else
            QToolTip::hideText();
        return true;
    }
    case QEvent::MouseMove: {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        const bool clickable = mouse->buttons() == Qt::NoButton && metricAt(mouse->position().toPoint())
            && isSignalConnected(QMetaMethod::fromSignal(&SummaryView::metricClicked));
        m_summary->viewport()->setCursor(clickable ? Qt::PointingHandCursor : Qt::IBeamCursor);
        break;
    }
    case QEvent::MouseButtonRelease: {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        // A drag selects text to copy; only a plain click picks the metric.
        if (mouse->button() == Qt::LeftButton && !m_summary->textCursor().hasSelection()) {
            if (const std::optional<MetricValue> v = metricAt(mouse->position().toPoint()))
                Q_EMIT metricClicked(v->metric, v->statistic, v->percentile);
        }
        break;
    }
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void SummaryView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ResultTab::changeEvent(event);
}

void SummaryView::retranslateUi()
{
    m_summaryNote->setText(tr("In the layout of vLLM's benchmark, with its English labels, so the numbers can be compared line by line."));
    m_startText->setText(tr("New to load testing? Follow the guide's three exercises on the built-in server, or read what each metric means."));
    m_exercisesButton->setText(tr("Guided exercises"));
    m_startGlossaryButton->setText(tr("Metrics glossary"));
    m_startPage->setVisible(!m_document);
    if (!m_document) {
        m_source->setText(tr("No result yet. Press Start to run a test, or open a result file (File ▸ Open result)."));
        m_summary->clear();
        return;
    }
    const ResultDocument &d = *m_document;
    const RunResult &run = d.run;
    const QString date = run.date.isValid() ? QLocale().toString(run.date, QLocale::ShortFormat) : tr("unknown date");
    const QString model = run.config.target.model.isEmpty() ? tr("unknown model") : run.config.target.model;
    QString source;
    if (d.fromFile())
        source = tr("Result file %1 (model %2, %3).").arg(QDir::toNativeSeparators(d.filePath), model, date);
    else
        source = tr("Run of %1 against %2, model %3.").arg(date, run.config.target.baseUrl.toString(), model);
    if (run.stopped)
        source += QLatin1Char(' ') + tr("It was stopped early: %1 of %2 requests finished.").arg(d.metrics.total()).arg(run.requested);
    source += u'\n'
        + (isTraceDataset(run.config.datasetName)
               ? tr("Load: a trace replayed at its recorded times × %1.").arg(QLocale().toString(run.config.load.traceTimeScale, 'g', 6))
               : loadShapeText(run.config.load));
    if (!runHasMetric(run.config.target.backend, MetricId::Ttft))
        source += u'\n' + tr("An embeddings run: the server returns vectors, not generated tokens, so it is measured by its end-to-end latency (E2EL) and its request and input throughput.");
    m_source->setText(source);
    m_summary->setPlainText(formatSummary(run, d.metrics, d.metricsConfig));
}

} // namespace ts
