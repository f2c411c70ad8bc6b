#include "results/summaryview.h"

#include "results/ratingpanel.h"
#include "views/resultdocument.h"
#include "results/summary.h"

#include <QDir>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
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

    auto *row = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    m_summary = new QPlainTextEdit(this);
    m_summary->setReadOnly(true);
    m_summary->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_summary->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // 52 columns of vLLM's layout plus the scroll bar.
    m_summary->setMinimumWidth(m_summary->fontMetrics().horizontalAdvance(QString(54, u'0')) + 24);
    left->addWidget(m_summary, 1);
    m_summaryNote = new QLabel(this);
    m_summaryNote->setWordWrap(true);
    m_summaryNote->setForegroundRole(QPalette::PlaceholderText);
    left->addWidget(m_summaryNote);
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
    m_rating->setMetrics(document ? std::optional<BenchmarkMetrics>(document->metrics) : std::nullopt);
    retranslateUi();
}

QString SummaryView::summaryText() const
{
    return m_summary->toPlainText();
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
    m_source->setText(source);
    m_summary->setPlainText(formatSummary(run, d.metrics, d.metricsConfig));
}

} // namespace ts
