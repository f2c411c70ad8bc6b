#pragma once

#include "results/resulttab.h"
#include "views/livedata.h"

#include <QTimer>

QT_FORWARD_DECLARE_CLASS(QAreaSeries)
QT_FORWARD_DECLARE_CLASS(QChart)
QT_FORWARD_DECLARE_CLASS(QLineSeries)
QT_FORWARD_DECLARE_CLASS(QScatterSeries)
QT_FORWARD_DECLARE_CLASS(QValueAxis)

namespace ts {

class ChartView;

// The five charts that move during a run: TTFT per request with a rolling median and P99
// (failures marked on the time axis), the planned request rate against the rates requests were
// sent and finished, output tokens/s, requests in flight and waiting, and the TPOT distribution
// so far. Data arrives at any rate; the charts repaint from a 200 ms timer and only when
// something changed.
class LiveCharts : public ResultTab
{
    Q_OBJECT
public:
    explicit LiveCharts(QWidget *parent = nullptr);

    QString id() const override { return QStringLiteral("live"); }
    QString title() const override;
    void startRun() override;
    // The load the run follows, for its target rate; after startRun(). Without it the request
    // rate chart shows what was sent and finished only (e.g. for a sweep's levels).
    void setLoadPlan(const LoadConfig &load);
    // A replayed trace's planned send times (seconds after the measured run began, scaled),
    // once its prompts are built: they replace the load's plan.
    void setPlannedSendTimes(const std::vector<double> &sendTimes);
    // The run's API, after startRun(): the charts of metrics its runs lack (runHasMetric(),
    // e.g. TTFT and tokens of an embeddings run) are hidden until the next run.
    void setBackend(const QString &backend);
    void addProgress(const RunProgress &progress) override;
    void addRecord(const RequestRecord &record);
    void addRecords(const std::vector<RequestRecord> &records) override;
    void finishRun() override;
    QList<const Exportable *> exportables() const override;

    const LiveData &data() const { return m_data; }
    QList<ChartView *> chartViews() const { return m_views; }
    // Points currently handed to the chart series, all series together.
    qsizetype shownPointCount() const;

    static constexpr int redrawIntervalMs = 200;


protected:
    void changeEvent(QEvent *event) override;

private:
    void redraw();
    void retranslateUi();
    ChartView *addView(QChart *chart, const QString &exportName);

    LiveData m_data;
    QTimer m_redrawTimer;
    bool m_dirty = false;
    QList<ChartView *> m_views;
    ChartView *m_ttftView = nullptr;
    ChartView *m_tokensView = nullptr;
    ChartView *m_tpotView = nullptr;

    QChart *m_ttftChart = nullptr;
    QScatterSeries *m_ttftPoints = nullptr;
    QLineSeries *m_ttftMedian = nullptr;
    QLineSeries *m_ttftP99 = nullptr;
    QScatterSeries *m_failures = nullptr;
    QValueAxis *m_ttftX = nullptr;
    QValueAxis *m_ttftY = nullptr;

    QChart *m_requestRateChart = nullptr;
    QLineSeries *m_targetRate = nullptr;
    QLineSeries *m_sentPerS = nullptr;
    QLineSeries *m_requestsPerS = nullptr;
    QValueAxis *m_requestRateX = nullptr;
    QValueAxis *m_requestRateY = nullptr;

    QChart *m_rateChart = nullptr;
    QLineSeries *m_tokensPerS = nullptr;
    QValueAxis *m_rateX = nullptr;
    QValueAxis *m_tokensY = nullptr;

    QChart *m_flightChart = nullptr;
    QLineSeries *m_inFlight = nullptr;
    QLineSeries *m_waiting = nullptr;
    QValueAxis *m_flightX = nullptr;
    QValueAxis *m_flightY = nullptr;

    QChart *m_tpotChart = nullptr;
    QLineSeries *m_tpotOutline = nullptr;
    QAreaSeries *m_tpotArea = nullptr;
    QValueAxis *m_tpotX = nullptr;
    QValueAxis *m_tpotY = nullptr;
};

} // namespace ts
