#pragma once

#include <QList>
#include <QPointF>
#include <QStringList>
#include <QWidget>

#include <array>
#include <vector>

QT_FORWARD_DECLARE_CLASS(QChart)
QT_FORWARD_DECLARE_CLASS(QLabel)
QT_FORWARD_DECLARE_CLASS(QLineSeries)
QT_FORWARD_DECLARE_CLASS(QValueAxis)

namespace ts {

class ChartView;
class Exportable;
struct ResultFile;

// The latency distributions of several result files overlaid: per metric (TTFT, TPOT, ITL,
// E2EL) one chart with the cumulative distribution of each file (the share of requests at or
// below a value), so a shift to the right reads as "slower".
class CompareCharts : public QWidget
{
    Q_OBJECT
public:
    enum Metric { Ttft, Tpot, Itl, E2el, MetricCount };

    // One file's curves, built off the GUI thread.
    struct FileCurves
    {
        QString name;
        bool hasRecords = false;
        std::array<QList<QPointF>, MetricCount> cdf;   // (ms, percent), a few hundred points
    };
    static FileCurves curvesFor(const ResultFile &file, const QString &name);

    explicit CompareCharts(QWidget *parent = nullptr);

    void setCurves(std::vector<FileCurves> curves);
    QList<ChartView *> chartViews() const { return m_views; }
    // Series drawn in a metric's chart (one per file that has per-request data).
    QList<QLineSeries *> series(Metric metric) const;
    QString noteText() const;

Q_SIGNALS:
    void exportRequested(const ts::Exportable *view, const QString &format);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    std::vector<FileCurves> m_curves;
    QLabel *m_note = nullptr;
    QList<ChartView *> m_views;
    std::array<QChart *, MetricCount> m_charts {};
    std::array<QValueAxis *, MetricCount> m_x {};
    std::array<QValueAxis *, MetricCount> m_y {};
};

} // namespace ts
