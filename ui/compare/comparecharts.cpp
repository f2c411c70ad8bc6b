#include "compare/comparecharts.h"

#include "charts/chartview.h"
#include "views/distributiondata.h"
#include "results/resultfile.h"

#include <QChart>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace ts {

namespace {

// Distinct in colour and, for readers without colour, in dash pattern.
QPen filePen(int i)
{
    static const QColor colours[] = { QColor(0x1a, 0x23, 0x7e), QColor(0xe6, 0x51, 0x00), QColor(0x2e, 0x7d, 0x32),
                                      QColor(0xad, 0x14, 0x57), QColor(0x00, 0x69, 0x7c), QColor(0x6d, 0x4c, 0x41),
                                      QColor(0x61, 0x61, 0x61), QColor(0x9e, 0x9d, 0x24) };
    static const Qt::PenStyle styles[] = { Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine };
    const int n = int(std::size(colours));
    return QPen(colours[i % n], 2.2, styles[(i / 2 + i) % int(std::size(styles))]);
}

// Where a curve reaches 99.5%: the x axis ends there, so one slow request does not squeeze
// every curve against the left edge.
double upperEnd(const QList<QPointF> &cdf)
{
    for (const QPointF &p : cdf) {
        if (p.y() >= 99.5)
            return p.x();
    }
    return cdf.isEmpty() ? 0.0 : cdf.constLast().x();
}

} // namespace

CompareCharts::FileCurves CompareCharts::curvesFor(const ResultFile &file, const QString &name)
{
    FileCurves c;
    c.name = name;
    c.hasRecords = file.hasRequestRecords && !file.records.empty();
    if (!c.hasRecords)
        return c;
    std::array<std::vector<double>, MetricCount> values;
    for (const RequestRecord &r : file.records) {
        if (!r.success)
            continue;
        values[Ttft].push_back(r.ttft * 1000.0);
        values[E2el].push_back(r.latency * 1000.0);
        if (r.outputTokens > 1)
            values[Tpot].push_back(r.tpot() * 1000.0);
        for (double gap : r.itl)
            values[Itl].push_back(gap * 1000.0);
    }
    for (int m = 0; m < MetricCount; ++m)
        c.cdf[std::size_t(m)] = makeDistribution(std::move(values[std::size_t(m)]), 1, 400).cdf;
    return c;
}

CompareCharts::CompareCharts(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
    auto *grid = new QGridLayout;
    grid->setSpacing(4);
    static const char *const exportNames[] = { "compare-ttft", "compare-tpot", "compare-itl", "compare-e2el" };
    for (int m = 0; m < MetricCount; ++m) {
        auto *chart = new QChart;
        styleChart(chart);
        m_x[std::size_t(m)] = new QValueAxis(chart);
        m_y[std::size_t(m)] = new QValueAxis(chart);
        for (QValueAxis *axis : { m_x[std::size_t(m)], m_y[std::size_t(m)] })
            axis->setLabelFormat(QStringLiteral("%g"));
        chart->addAxis(m_x[std::size_t(m)], Qt::AlignBottom);
        chart->addAxis(m_y[std::size_t(m)], Qt::AlignLeft);
        setNiceRange(m_x[std::size_t(m)], 0, 100);
        setNiceRange(m_y[std::size_t(m)], 0, 100);
        m_charts[std::size_t(m)] = chart;
        auto *view = new ChartView(chart, this);
        view->setExportName(QLatin1String(exportNames[m]));
        connect(view, &ChartView::exportRequested, this, &CompareCharts::exportRequested);
        m_views.append(view);
        grid->addWidget(view, m / 2, m % 2);
    }
    layout->addLayout(grid, 1);
    retranslateUi();
}

void CompareCharts::setCurves(std::vector<FileCurves> curves)
{
    m_curves = std::move(curves);
    for (int m = 0; m < MetricCount; ++m) {
        QChart *chart = m_charts[std::size_t(m)];
        chart->removeAllSeries();
        double end = 0.0;
        for (std::size_t i = 0; i < m_curves.size(); ++i) {
            const QList<QPointF> &cdf = m_curves[i].cdf[std::size_t(m)];
            if (cdf.isEmpty())
                continue;
            auto *line = new QLineSeries;
            line->setPen(filePen(int(i)));
            line->setName(QStringLiteral("[%1] %2").arg(QString::number(i + 1), m_curves[i].name));
            line->replace(cdf);
            chart->addSeries(line);
            line->attachAxis(m_x[std::size_t(m)]);
            line->attachAxis(m_y[std::size_t(m)]);
            end = std::max(end, upperEnd(cdf));
        }
        setNiceRange(m_x[std::size_t(m)], 0, end > 0 ? end * 1.05 : 100.0);
        setNiceRange(m_y[std::size_t(m)], 0, 100);
    }
    retranslateUi();
}

QList<QLineSeries *> CompareCharts::series(Metric metric) const
{
    QList<QLineSeries *> lines;
    const QList<QAbstractSeries *> all = m_charts[std::size_t(metric)]->series();
    for (QAbstractSeries *s : all) {
        if (auto *line = qobject_cast<QLineSeries *>(s))
            lines.append(line);
    }
    return lines;
}

QString CompareCharts::noteText() const
{
    return m_note->text();
}

void CompareCharts::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void CompareCharts::retranslateUi()
{
    static const char *const titles[] = {
        QT_TR_NOOP("Time to first token"), QT_TR_NOOP("Time per output token"),
        QT_TR_NOOP("Inter-token latency"), QT_TR_NOOP("End-to-end latency"),
    };
    static const char *const axes[] = { "TTFT (ms)", "TPOT (ms)", "ITL (ms)", "E2EL (ms)" };
    for (int m = 0; m < MetricCount; ++m) {
        m_charts[std::size_t(m)]->setTitle(tr(titles[m]));
        m_x[std::size_t(m)]->setTitleText(QLatin1String(axes[m]));
        m_y[std::size_t(m)]->setTitleText(tr("Requests at or below (%)"));
    }

    QStringList without;
    int with = 0;
    for (std::size_t i = 0; i < m_curves.size(); ++i) {
        if (m_curves[i].hasRecords)
            ++with;
        else
            without << QStringLiteral("[%1] %2").arg(QString::number(i + 1), m_curves[i].name);
    }
    QString text;
    if (m_curves.empty())
        text = tr("Add result files to overlay their latency distributions.");
    else if (with == 0)
        text = tr("None of these files has per-request data (vLLM writes it only with --save-detailed), so no distributions can be drawn.");
    else
        text = tr("Each line is one file: the share of requests at or below a value. A line further right is slower; where it crosses 99% is the P99. The axis ends at the largest P99.5.");
    if (with > 0 && !without.isEmpty())
        text += QLatin1Char(' ') + tr("Without per-request data, so not drawn: %1.").arg(without.join(QStringLiteral(", ")));
    m_note->setText(text);
}

} // namespace ts
