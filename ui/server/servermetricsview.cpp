#include "server/servermetricsview.h"

#include "charts/chartview.h"
#include "core/clock.h"
#include "prometheus/metricsscraper.h"

#include <QChart>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace ts {

namespace {

QValueAxis *makeAxis(QChart *chart, Qt::Alignment alignment)
{
    auto *axis = new QValueAxis(chart);
    axis->setLabelFormat(QStringLiteral("%g"));
    axis->setRange(0, 1);
    chart->addAxis(axis, alignment);
    return axis;
}

// Solid lines are the server's numbers, dashed grey ones the client's, in every chart.
QLineSeries *makeLine(QChart *chart, QValueAxis *x, QValueAxis *y, QColor color, Qt::PenStyle style = Qt::SolidLine,
                      qreal width = 2.0)
{
    auto *line = new QLineSeries;
    QPen pen(color, width, style);
    line->setPen(pen);
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
    return line;
}

double maxY(const QList<QPointF> &points)
{
    double m = 0.0;
    for (const QPointF &p : points)
        m = std::max(m, p.y());
    return m;
}

void showSeries(QChart *chart, QLineSeries *series, const BoundedSeries &data)
{
    series->replace(data.points());
    const bool visible = !data.isEmpty();
    series->setVisible(visible);
    const QList<QLegendMarker *> markers = chart->legend()->markers(series);
    for (QLegendMarker *marker : markers)
        marker->setVisible(visible);
}

} // namespace

ServerMetricsView::ServerMetricsView(QWidget *parent)
    : ResultTab(parent)
    , m_scraper(new MetricsScraper(this))
{
    const QColor serverBlue(0x00, 0x69, 0x7c);
    const QColor serverOrange(0xbf, 0x36, 0x0c);
    const QColor clientGrey(0x42, 0x42, 0x42);

    m_requestsChart = new QChart;
    m_requestsX = makeAxis(m_requestsChart, Qt::AlignBottom);
    m_requestsY = makeAxis(m_requestsChart, Qt::AlignLeft);
    m_running = makeLine(m_requestsChart, m_requestsX, m_requestsY, serverBlue);
    m_waiting = makeLine(m_requestsChart, m_requestsX, m_requestsY, serverOrange);
    m_queued = makeLine(m_requestsChart, m_requestsX, m_requestsY, QColor(0x6a, 0x1b, 0x9a), Qt::SolidLine, 1.2);
    m_clientInFlight = makeLine(m_requestsChart, m_requestsX, m_requestsY, clientGrey, Qt::DashLine, 2.0);

    m_generationChart = new QChart;
    m_generationX = makeAxis(m_generationChart, Qt::AlignBottom);
    m_generationY = makeAxis(m_generationChart, Qt::AlignLeft);
    m_generation = makeLine(m_generationChart, m_generationX, m_generationY, QColor(0x2e, 0x7d, 0x32));
    m_clientOutput = makeLine(m_generationChart, m_generationX, m_generationY, clientGrey, Qt::DashLine, 2.0);

    m_kvChart = new QChart;
    m_kvX = makeAxis(m_kvChart, Qt::AlignBottom);
    m_kvY = makeAxis(m_kvChart, Qt::AlignLeft);
    m_kvCache = makeLine(m_kvChart, m_kvX, m_kvY, QColor(0xad, 0x14, 0x57));

    m_promptChart = new QChart;
    m_promptX = makeAxis(m_promptChart, Qt::AlignBottom);
    m_promptY = makeAxis(m_promptChart, Qt::AlignLeft);
    m_prompt = makeLine(m_promptChart, m_promptX, m_promptY, QColor(0x1a, 0x23, 0x7e));

    auto *layout = new QVBoxLayout(this);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_note);
    m_charts = new QWidget(this);
    auto *grid = new QGridLayout(m_charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    grid->addWidget(addView(m_requestsChart, QStringLiteral("server-requests")), 0, 0);
    grid->addWidget(addView(m_generationChart, QStringLiteral("server-generation")), 0, 1);
    grid->addWidget(addView(m_kvChart, QStringLiteral("server-kv-cache")), 1, 0);
    grid->addWidget(addView(m_promptChart, QStringLiteral("server-prompt")), 1, 1);
    layout->addWidget(m_charts, 1);

    connect(m_scraper, &MetricsScraper::sampled, this, &ServerMetricsView::onSampled);
    connect(m_scraper, &MetricsScraper::unavailable, this, [this] {
        updateStatus();
        redraw();
    });
    m_tick.setInterval(redrawIntervalMs);
    connect(&m_tick, &QTimer::timeout, this, &ServerMetricsView::onTick);
    retranslateUi();
    redraw();
}

ServerMetricsView::~ServerMetricsView() = default;

ChartView *ServerMetricsView::addView(QChart *chart, const QString &exportName)
{
    styleChart(chart);
    auto *view = new ChartView(chart, this);
    view->setExportName(exportName);
    connect(view, &ChartView::exportRequested, this, &ServerMetricsView::exportRequested);
    m_views.append(view);
    return view;
}

void ServerMetricsView::startWatching(const TargetConfig &target)
{
    m_data.clear();
    m_scraper->setTarget(target);
    m_url = m_scraper->url().toString(QUrl::RemoveUserInfo);
    m_startNs = monotonicNs();
    m_scraper->start();
    m_tick.start();
    updateStatus();
    redraw();
}

void ServerMetricsView::startWithoutWatching()
{
    m_scraper->stop();
    m_tick.stop();
    m_data.clear();
    m_status = Status::Off;
    retranslateUi();
    redraw();
}

void ServerMetricsView::stopWatching()
{
    if (!m_scraper->isRunning())
        return;
    m_scraper->stop();
    m_tick.stop();
    m_data.sampleClient(secondsSinceStart());
    updateStatus();
    redraw();
}

bool ServerMetricsView::isWatching() const
{
    return m_scraper->isRunning();
}

double ServerMetricsView::secondsSinceStart() const
{
    return nsToSeconds(monotonicNs() - m_startNs);
}

QString ServerMetricsView::title() const
{
    return tr("Server");
}

QList<const Exportable *> ServerMetricsView::exportables() const
{
    return exportablesOf(m_views);
}

void ServerMetricsView::addProgress(const RunProgress &progress)
{
    if (m_scraper->isRunning())
        m_data.addClientProgress(progress, secondsSinceStart());
}

void ServerMetricsView::onSampled(const ServerMetricsSample &sample)
{
    m_data.addSample(sample, nsToSeconds(sample.timeNs - m_startNs));
    if (m_status != Status::Available)
        updateStatus();
}

void ServerMetricsView::onTick()
{
    m_data.sampleClient(secondsSinceStart());
    redraw();
}

void ServerMetricsView::updateStatus()
{
    if (m_status == Status::Off && !m_scraper->isRunning())
        return;
    switch (m_scraper->availability()) {
    case MetricsScraper::Availability::Unknown:
        m_status = m_scraper->isRunning() ? Status::Waiting : Status::Idle;
        break;
    case MetricsScraper::Availability::Available:
        m_status = Status::Available;
        break;
    case MetricsScraper::Availability::NotAvailable:
        // After a network error the scraper keeps asking; what came before still counts.
        m_status = m_data.sampleCount() > 0 ? Status::Available : Status::NotAvailable;
        break;
    }
    retranslateUi();
}

bool ServerMetricsView::isSeriesShown(const QLineSeries *series) const
{
    return series->isVisible() && series->count() > 0;
}

void ServerMetricsView::redraw()
{
    // While watching, time axes grow in round steps so they do not rescale every second.
    const double elapsed = m_data.lastTime();
    const double xEnd = m_scraper->isRunning() ? niceCeiling(std::max(10.0, elapsed * 1.05)) : std::max(10.0, elapsed * 1.02);
    for (QValueAxis *x : { m_requestsX, m_generationX, m_kvX, m_promptX })
        setNiceRange(x, 0, xEnd);

    showSeries(m_requestsChart, m_running, m_data.running());
    showSeries(m_requestsChart, m_waiting, m_data.waiting());
    showSeries(m_requestsChart, m_queued, m_data.runningPlusWaiting());
    showSeries(m_requestsChart, m_clientInFlight, m_data.clientInFlight());
    setNiceRange(m_requestsY, 0, std::max({ 5.0, maxY(m_data.runningPlusWaiting().points()), maxY(m_data.running().points()),
                                            maxY(m_data.waiting().points()), maxY(m_data.clientInFlight().points()) }) * 1.05);

    showSeries(m_generationChart, m_generation, m_data.generationTokensPerSecond());
    showSeries(m_generationChart, m_clientOutput, m_data.clientOutputTokensPerSecond());
    setNiceRange(m_generationY, 0, std::max({ 10.0, maxY(m_data.generationTokensPerSecond().points()),
                                              maxY(m_data.clientOutputTokensPerSecond().points()) }) * 1.05);

    showSeries(m_kvChart, m_kvCache, m_data.kvCachePercent());
    setNiceRange(m_kvY, 0, std::clamp(maxY(m_data.kvCachePercent().points()) * 1.1, 10.0, 100.0));

    showSeries(m_promptChart, m_prompt, m_data.promptTokensPerSecond());
    setNiceRange(m_promptY, 0, std::max(10.0, maxY(m_data.promptTokensPerSecond().points()) * 1.05));

    // Charts of things the server does not publish are left out once it has answered.
    const bool answered = m_data.sampleCount() > 0;
    m_views.at(2)->setVisible(!answered || !m_data.kvCachePercent().isEmpty());
    m_views.at(3)->setVisible(!answered || m_data.sampleCount() < 2 || !m_data.promptTokensPerSecond().isEmpty());
    m_charts->setVisible(m_status == Status::Waiting || m_status == Status::Available);
}

QString ServerMetricsView::statusText() const
{
    return m_note->text();
}

void ServerMetricsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ResultTab::changeEvent(event);
}

void ServerMetricsView::retranslateUi()
{
    switch (m_status) {
    case Status::Idle:
        m_note->setText(tr("During a run, the server's own numbers appear here: requests running and waiting, KV-cache use, prompt and generation tokens/s, read once a second from its Prometheus /metrics page."));
        break;
    case Status::Off:
        m_note->setText(tr("Watching the server's metrics is off. Tick “Watch the server's /metrics” under “Server to test” to chart them during the next run."));
        break;
    case Status::Waiting:
        m_note->setText(tr("Asking %1 for the server's metrics…").arg(m_url));
        break;
    case Status::Available: {
        QStringList missing;
        if (m_data.sampleCount() > 0) {
            if (m_data.running().isEmpty() && m_data.waiting().isEmpty())
                missing << tr("requests running and waiting");
            if (m_data.kvCachePercent().isEmpty())
                missing << tr("KV-cache use");
            if (m_data.sampleCount() > 1 && m_data.generationTokensPerSecond().isEmpty())
                missing << tr("generation tokens/s");
            if (m_data.sampleCount() > 1 && m_data.promptTokensPerSecond().isEmpty())
                missing << tr("prompt tokens/s");
        }
        QString text = tr("Server: %1, read from %2 once a second. Solid lines are the server's own numbers; dashed grey lines are what Tokenstorm measured as the client.")
                           .arg(serverKindDisplayName(m_data.serverKind()), m_url);
        if (!missing.isEmpty())
            text += QLatin1Char(' ') + tr("This server does not publish: %1.").arg(missing.join(QStringLiteral(", ")));
        m_note->setText(text);
        break;
    }
    case Status::NotAvailable:
        m_note->setText(m_scraper->unavailableReason() + QLatin1Char(' ')
                        + tr("That is fine: the run is not affected, and the Live tab shows what the client measured."));
        break;
    }

    const QString time = tr("Time (s)");
    m_requestsChart->setTitle(tr("Requests at the server"));
    m_requestsX->setTitleText(time);
    m_requestsY->setTitleText(tr("Requests"));
    m_running->setName(tr("Running (server)"));
    m_waiting->setName(tr("Waiting (server)"));
    m_queued->setName(tr("Running + waiting"));
    m_clientInFlight->setName(tr("In flight (client)"));

    m_generationChart->setTitle(tr("Generated tokens per second"));
    m_generationX->setTitleText(time);
    m_generationY->setTitleText(tr("Tokens/s"));
    m_generation->setName(tr("Generation tokens/s (server)"));
    m_clientOutput->setName(tr("Output tokens/s (client)"));

    m_kvChart->setTitle(tr("KV-cache use"));
    m_kvX->setTitleText(time);
    m_kvY->setTitleText(tr("Used (%)"));
    m_kvCache->setName(tr("KV cache used (server)"));

    m_promptChart->setTitle(tr("Prompt tokens processed per second"));
    m_promptX->setTitleText(time);
    m_promptY->setTitleText(tr("Tokens/s"));
    m_prompt->setName(tr("Prompt tokens/s (server)"));
}

} // namespace ts
