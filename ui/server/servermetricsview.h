#pragma once

#include "core/benchmarkconfig.h"
#include "results/resulttab.h"
#include "server/servermetricsdata.h"

#include <QTimer>

QT_FORWARD_DECLARE_CLASS(QChart)
QT_FORWARD_DECLARE_CLASS(QLabel)
QT_FORWARD_DECLARE_CLASS(QLineSeries)
QT_FORWARD_DECLARE_CLASS(QValueAxis)

namespace ts {

class ChartView;
class MetricsScraper;

// The Server tab: while a run (or sweep) goes on, the server's own Prometheus metrics, read
// once a second, next to the client's view of the same things: requests running and
// waiting against the client's requests in flight, KV-cache use, generation tokens/s against
// the client's output tokens/s, and prompt tokens/s. Only the series the server publishes are
// shown; a server without /metrics is not an error, the tab just says so.
class ServerMetricsView : public ResultTab
{
    Q_OBJECT
public:
    enum class Status : quint8 {
        Idle,           // no run yet
        Off,            // the user chose not to watch
        Waiting,        // asked, no answer yet
        Available,      // samples are coming in
        NotAvailable,   // the server has no (usable) /metrics
    };

    explicit ServerMetricsView(QWidget *parent = nullptr);
    ~ServerMetricsView() override;

    // Clears the charts and starts reading target's /metrics once a second.
    void startWatching(const TargetConfig &target);
    // A run without watching: the tab says that watching is off.
    void startWithoutWatching();
    // Stops reading; the charts keep what they show.
    void stopWatching();
    bool isWatching() const;
    void addProgress(const RunProgress &progress) override;

    Status status() const { return m_status; }
    QString statusText() const;
    const ServerMetricsData &data() const { return m_data; }
    MetricsScraper *scraper() const { return m_scraper; }
    QList<ChartView *> chartViews() const { return m_views; }
    QString id() const override { return QStringLiteral("server"); }
    QString title() const override;
    QList<const Exportable *> exportables() const override;
    // Whether a chart series is shown (the server publishes it, or it is the client's).
    bool isSeriesShown(const QLineSeries *series) const;
    QLineSeries *runningSeries() const { return m_running; }
    QLineSeries *waitingSeries() const { return m_waiting; }
    QLineSeries *kvCacheSeries() const { return m_kvCache; }
    QLineSeries *generationSeries() const { return m_generation; }
    QLineSeries *clientInFlightSeries() const { return m_clientInFlight; }
    QLineSeries *clientOutputSeries() const { return m_clientOutput; }

    static constexpr int redrawIntervalMs = 1000;


protected:
    void changeEvent(QEvent *event) override;

private:
    void onSampled(const ServerMetricsSample &sample);
    void onTick();
    void redraw();
    void updateStatus();
    void retranslateUi();
    double secondsSinceStart() const;
    ChartView *addView(QChart *chart, const QString &exportName);

    ServerMetricsData m_data;
    MetricsScraper *m_scraper = nullptr;
    QTimer m_tick;
    std::int64_t m_startNs = 0;
    Status m_status = Status::Idle;
    QString m_url;

    QLabel *m_note = nullptr;
    QWidget *m_charts = nullptr;
    QList<ChartView *> m_views;

    QChart *m_requestsChart = nullptr;
    QLineSeries *m_running = nullptr;
    QLineSeries *m_waiting = nullptr;
    QLineSeries *m_queued = nullptr;
    QLineSeries *m_clientInFlight = nullptr;
    QValueAxis *m_requestsX = nullptr;
    QValueAxis *m_requestsY = nullptr;

    QChart *m_generationChart = nullptr;
    QLineSeries *m_generation = nullptr;
    QLineSeries *m_clientOutput = nullptr;
    QValueAxis *m_generationX = nullptr;
    QValueAxis *m_generationY = nullptr;

    QChart *m_kvChart = nullptr;
    QLineSeries *m_kvCache = nullptr;
    QValueAxis *m_kvX = nullptr;
    QValueAxis *m_kvY = nullptr;

    QChart *m_promptChart = nullptr;
    QLineSeries *m_prompt = nullptr;
    QValueAxis *m_promptX = nullptr;
    QValueAxis *m_promptY = nullptr;
};

} // namespace ts
