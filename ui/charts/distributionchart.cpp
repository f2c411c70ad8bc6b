#include "charts/distributionchart.h"

#include <QAreaSeries>
#include <QChart>
#include <QEvent>
#include <QLineSeries>
#include <QValueAxis>

namespace ts {

DistributionChart::DistributionChart(QWidget *parent)
    : ChartView(new QChart, parent)
{
    QChart *c = chart();
    styleChart(c);
    m_x = new QValueAxis(c);
    m_count = new QValueAxis(c);
    m_percent = new QValueAxis(c);
    m_x->setLabelFormat(QStringLiteral("%g"));
    m_count->setLabelFormat(QStringLiteral("%g"));
    m_percent->setLabelFormat(QStringLiteral("%d%%"));
    m_percent->setRange(0, 100);
    m_percent->setTickCount(6);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_count, Qt::AlignLeft);
    c->addAxis(m_percent, Qt::AlignRight);

    m_outline = new QLineSeries(c);
    m_bars = new QAreaSeries(m_outline);
    m_bars->setColor(QColor(66, 133, 244, 140));
    m_bars->setBorderColor(QColor(0x1a, 0x23, 0x7e));
    m_cdf = new QLineSeries;
    m_cdf->setPen(QPen(QColor(0xe6, 0x51, 0x00), 2.5));
    c->addSeries(m_bars);
    c->addSeries(m_cdf);
    m_bars->attachAxis(m_x);
    m_bars->attachAxis(m_count);
    m_cdf->attachAxis(m_x);
    m_cdf->attachAxis(m_percent);
    retranslateUi();
    setDistribution({});
}

void DistributionChart::setDistribution(const Distribution &distribution)
{
    m_distribution = distribution;
    const Histogram &h = distribution.histogram;
    m_outline->replace(h.outline());
    m_cdf->replace(distribution.cdf);
    if (h.counts.empty()) {
        setNiceRange(m_x, 0, 1);
        setNiceRange(m_count, 0, 5);
    } else {
        setNiceRange(m_x, h.lower, h.upper());
        setNiceRange(m_count, 0, std::max(5.0, h.maxCount() * 1.1));
    }
    retranslateUi();
}

void DistributionChart::setTitles(const QString &title, const QString &valueAxisTitle)
{
    m_baseTitle = title;
    m_x->setTitleText(valueAxisTitle);
    retranslateUi();
}

void DistributionChart::setUnit(Unit unit)
{
    m_unit = unit;
    retranslateUi();
}

void DistributionChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ChartView::changeEvent(event);
}

void DistributionChart::retranslateUi()
{
    // Two lines: the metric, then its key numbers in normal weight (chart titles take HTML).
    const QString stats = m_distribution.count == 0 ? tr("no data")
        : m_unit == Unit::Tokens
        ? tr("median %1 tokens · P99 %2 tokens · %3 values")
              .arg(m_distribution.p50, 0, 'f', 0)
              .arg(m_distribution.p99, 0, 'f', 0)
              .arg(m_distribution.count)
        : tr("median %1 ms · P99 %2 ms · %3 values")
              .arg(m_distribution.p50, 0, 'f', 1)
              .arg(m_distribution.p99, 0, 'f', 1)
              .arg(m_distribution.count);
    const QString title = QStringLiteral("<center>") + m_baseTitle.toHtmlEscaped()
        + QStringLiteral("<br><span style=\"font-weight:normal\">") + stats.toHtmlEscaped() + QStringLiteral("</span></center>");
    chart()->setTitle(title);
    m_count->setTitleText(tr("Count"));
    m_percent->setTitleText(tr("Cumulative share"));
    m_bars->setName(tr("Histogram"));
    m_cdf->setName(tr("Cumulative share (CDF)"));
}

} // namespace ts
