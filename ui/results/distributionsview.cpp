#include "results/distributionsview.h"

#include "charts/distributionchart.h"
#include "views/glossary.h"
#include "views/metricselection.h"
#include "views/resultdocument.h"

#include <QChart>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace ts {

DistributionsView::DistributionsView(QWidget *parent)
    : ResultTab(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
    auto *grid = new QGridLayout;
    grid->setSpacing(4);
    m_ttft = new DistributionChart(this);
    m_tpot = new DistributionChart(this);
    m_itl = new DistributionChart(this);
    m_e2el = new DistributionChart(this);
    m_ttfrt = new DistributionChart(this);
    m_ttfat = new DistributionChart(this);
    m_ttft->setExportName(QStringLiteral("distribution-ttft"));
    m_tpot->setExportName(QStringLiteral("distribution-tpot"));
    m_itl->setExportName(QStringLiteral("distribution-itl"));
    m_e2el->setExportName(QStringLiteral("distribution-e2el"));
    m_ttfrt->setExportName(QStringLiteral("distribution-ttfrt"));
    m_ttfat->setExportName(QStringLiteral("distribution-ttfat"));
    grid->addWidget(m_ttft, 0, 0);
    grid->addWidget(m_tpot, 0, 1);
    grid->addWidget(m_itl, 1, 0);
    grid->addWidget(m_e2el, 1, 1);
    grid->addWidget(m_ttfrt, 2, 0);
    grid->addWidget(m_ttfat, 2, 1);
    m_ttfrt->hide();
    m_ttfat->hide();
    layout->addLayout(grid, 1);
    for (ChartView *view : QList<ChartView *> { m_ttft, m_tpot, m_itl, m_e2el, m_ttfrt, m_ttfat })
        connect(view, &ChartView::exportRequested, this, &DistributionsView::exportRequested);
    retranslateUi();
}

QList<ChartView *> DistributionsView::chartViews() const
{
    QList<ChartView *> views { m_ttft, m_tpot, m_itl, m_e2el };
    if (!m_ttfrt->isHidden())
        views << m_ttfrt << m_ttfat;
    return views;
}

QString DistributionsView::title() const
{
    return tr("Distributions");
}

QList<const Exportable *> DistributionsView::exportables() const
{
    return exportablesOf(chartViews());
}

void DistributionsView::setDocument(const ResultDocument *document)
{
    m_hasDocument = document != nullptr;
    m_hasRecords = document && document->hasRecords;
    m_ttft->setDistribution(document ? document->ttftMs : Distribution());
    m_tpot->setDistribution(document ? document->tpotMs : Distribution());
    m_itl->setDistribution(document ? document->itlMs : Distribution());
    m_e2el->setDistribution(document ? document->e2elMs : Distribution());
    // A run without tokens (embeddings) has only its end-to-end latency to show.
    const QString backend = document ? document->run.config.target.backend : QString();
    m_ttft->setVisible(runHasMetric(backend, MetricId::Ttft));
    m_tpot->setVisible(runHasMetric(backend, MetricId::Tpot));
    m_itl->setVisible(runHasMetric(backend, MetricId::Itl));
    m_ttfrt->setDistribution(document ? document->ttfrtMs : Distribution());
    m_ttfat->setDistribution(document ? document->ttfatMs : Distribution());
    const bool reasoning = document && document->ttfrtMs.count > 0;
    m_ttfrt->setVisible(reasoning);
    m_ttfat->setVisible(reasoning);
    retranslateUi();
}

void DistributionsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ResultTab::changeEvent(event);
}

void DistributionsView::retranslateUi()
{
    if (!m_hasDocument)
        m_note->setText(tr("The distributions appear when a run ends or a result file is opened."));
    else if (!m_hasRecords)
        m_note->setText(tr("This result has no per-request data (vLLM writes it only with --save-detailed), so no distributions can be drawn."));
    else
        m_note->setText(tr("Bars: how many values fall in each range. Line: the share of values at or below a value, e.g. where it crosses 99% is the P99. Values above P99.5 are counted in the last bar."));
    m_ttft->setTitles(tr("Time to first token"), tr("TTFT (ms)"));
    m_tpot->setTitles(tr("Time per output token"), tr("TPOT (ms)"));
    m_itl->setTitles(tr("Inter-token latency"), tr("ITL (ms)"));
    m_e2el->setTitles(tr("End-to-end latency"), tr("E2EL (ms)"));
    m_ttfrt->setTitles(tr("Time to first reasoning token"), tr("TTFRT (ms)"));
    m_ttfat->setTitles(tr("Time to first answer token"), tr("TTFAT (ms)"));
    // On the chart, not the view: a chart view hands tooltips to its scene's items.
    m_ttft->chart()->setToolTip(glossaryEntry(MetricId::Ttft).shortTip);
    m_tpot->chart()->setToolTip(glossaryEntry(MetricId::Tpot).shortTip);
    m_itl->chart()->setToolTip(glossaryEntry(MetricId::Itl).shortTip);
    m_e2el->chart()->setToolTip(glossaryEntry(MetricId::E2el).shortTip);
    m_ttfrt->chart()->setToolTip(glossaryEntry(MetricId::Ttfrt).shortTip);
    m_ttfat->chart()->setToolTip(glossaryEntry(MetricId::Ttfat).shortTip);
}

} // namespace ts
