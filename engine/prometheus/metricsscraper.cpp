#include "prometheus/metricsscraper.h"

#include "core/clock.h"
#include "transport/tlsconfig.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QTimer>

#include <qcoro/qcoronetworkreply.h>
#include <qcoro/qcorotask.h>

namespace ts {

namespace {

struct DeleteLater
{
    void operator()(QObject *object) const { object->deleteLater(); }
};

struct FetchResult
{
    int status = 0;           // 0: no HTTP reply
    QByteArray body;
    QString networkError;
};

// The manager is shared with the coroutine, so a scraper destroyed during a request leaves
// nothing dangling: the reply finishes (or times out) and the last owner cleans up.
QCoro::Task<FetchResult> fetchPage(std::shared_ptr<QNetworkAccessManager> manager, QNetworkRequest request)
{
    std::unique_ptr<QNetworkReply, DeleteLater> reply(manager->get(request));
    if (!reply->isFinished())
        co_await reply.get();
    FetchResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (result.status == 200)
        result.body = reply->readAll();
    else if (result.status == 0)
        result.networkError = reply->errorString();
    co_return result;
}

// Keeps a day of one-second samples; older ones are dropped in halves.
constexpr std::size_t MaxSamples = 86400;

std::optional<double> ratePerSecond(std::optional<double> before, std::optional<double> now, double seconds)
{
    if (!before || !now || !(seconds > 0.0) || *now < *before)
        return std::nullopt;
    return (*now - *before) / seconds;
}

} // namespace

class MetricsScraperPrivate
{
public:
    explicit MetricsScraperPrivate(MetricsScraper *q) : q(q) {}

    QNetworkRequest request() const;
    void tick();
    void handle(const FetchResult &result, quint64 forGeneration);
    void markUnavailable(const QString &reason);

    MetricsScraper *q;
    TargetConfig target;
    std::optional<QSslConfiguration> ssl;   // as the run's requests have it (--insecure, --ca-cert)
    QUrl url;
    std::chrono::milliseconds interval { 1000 };
    QTimer timer;
    std::shared_ptr<QNetworkAccessManager> manager;
    bool running = false;
    bool inFlight = false;
    bool stopAsking = false;      // the server answered that it has no such page
    quint64 generation = 0;       // replies of an earlier start() are dropped
    MetricsScraper::Availability availability = MetricsScraper::Availability::Unknown;
    QString reason;
    bool reported = false;
    std::int64_t startNs = 0;
    std::vector<ServerMetricsSample> samples;
};

QNetworkRequest MetricsScraperPrivate::request() const
{
    QNetworkRequest r(url);
    if (!target.apiKey.isEmpty())
        r.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + target.apiKey.toUtf8());
    for (const auto &[name, value] : target.headers)
        r.setRawHeader(name, value);
    r.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("text/plain;version=0.0.4;q=1,*/*;q=0.1"));
    r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    r.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    r.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    r.setTransferTimeout(int(std::max<qint64>(interval.count() * 2, 2000)));
    if (ssl && url.scheme() == QLatin1String("https"))
        r.setSslConfiguration(*ssl);
    return r;
}

void MetricsScraperPrivate::tick()
{
    if (!running || inFlight || stopAsking || !url.isValid())
        return;
    if (!manager)
        manager = std::make_shared<QNetworkAccessManager>();
    inFlight = true;
    const quint64 forGeneration = generation;
    QCoro::connect(fetchPage(manager, request()), q, [this, forGeneration](const FetchResult &result) {
        handle(result, forGeneration);
    });
}

void MetricsScraperPrivate::markUnavailable(const QString &why)
{
    availability = MetricsScraper::Availability::NotAvailable;
    reason = why;
    if (!reported) {
        reported = true;
        Q_EMIT q->unavailable(why);
    }
}

void MetricsScraperPrivate::handle(const FetchResult &result, quint64 forGeneration)
{
    if (forGeneration != generation)
        return;
    inFlight = false;
    if (!running)
        return;
    const QString where = url.toString(QUrl::RemoveUserInfo);
    if (result.status == 0) {
        // The server may not be up yet, or be restarting: keep asking, quietly.
        markUnavailable(QCoreApplication::translate("ts::MetricsScraper", "Server metrics are not available: %1 could not be reached (%2).")
                            .arg(where, result.networkError));
        return;
    }
    if (result.status != 200) {
        stopAsking = true;
        markUnavailable(QCoreApplication::translate("ts::MetricsScraper", "This server publishes no metrics at %1 (HTTP %2).")
                            .arg(where)
                            .arg(result.status));
        return;
    }
    const PrometheusScrape scrape = parsePrometheusText(result.body);
    ServerMetricsSample sample;
    sample.snapshot = serverSnapshot(scrape);
    if (!sample.snapshot.hasAny()) {
        stopAsking = true;
        markUnavailable(QCoreApplication::translate("ts::MetricsScraper", "The metrics at %1 name nothing Tokenstorm knows (it reads vLLM, SGLang, TGI and llama.cpp).")
                            .arg(where));
        return;
    }
    sample.timeNs = monotonicNs();
    sample.elapsed = nsToSeconds(sample.timeNs - startNs);
    if (!samples.empty()) {
        const ServerMetricsSample &previous = samples.back();
        const double dt = nsToSeconds(sample.timeNs - previous.timeNs);
        sample.promptTokensPerS = ratePerSecond(previous.snapshot.promptTokensTotal, sample.snapshot.promptTokensTotal, dt);
        sample.generationTokensPerS = ratePerSecond(previous.snapshot.generationTokensTotal,
                                                    sample.snapshot.generationTokensTotal, dt);
    }
    availability = MetricsScraper::Availability::Available;
    reason.clear();
    if (samples.size() >= MaxSamples)
        samples.erase(samples.begin(), samples.begin() + std::ptrdiff_t(MaxSamples / 2));
    samples.push_back(sample);
    Q_EMIT q->sampled(sample);
}

MetricsScraper::MetricsScraper(QObject *parent)
    : QObject(parent), d(std::make_unique<MetricsScraperPrivate>(this))
{
    qRegisterMetaType<ts::ServerMetricsSample>();
    d->timer.setTimerType(Qt::CoarseTimer);
    connect(&d->timer, &QTimer::timeout, this, [this] { d->tick(); });
}

MetricsScraper::~MetricsScraper() = default;

QUrl MetricsScraper::metricsUrl(const QUrl &baseUrl)
{
    QUrl u = baseUrl;
    QString path = u.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    u.setPath(path + QLatin1String("/metrics"));
    u.setQuery(QString());
    u.setFragment(QString());
    return u;
}

void MetricsScraper::setTarget(const TargetConfig &target)
{
    d->target = target;
    d->ssl = sslConfigurationFor(target);
    d->url = metricsUrl(target.baseUrl);
}

void MetricsScraper::setUrl(const QUrl &url) { d->url = url; }
QUrl MetricsScraper::url() const { return d->url; }

void MetricsScraper::setInterval(std::chrono::milliseconds interval)
{
    d->interval = std::max(interval, std::chrono::milliseconds(50));
    d->timer.setInterval(d->interval);
}

std::chrono::milliseconds MetricsScraper::interval() const { return d->interval; }

void MetricsScraper::start()
{
    ++d->generation;
    d->running = true;
    d->inFlight = false;
    d->stopAsking = false;
    d->reported = false;
    d->availability = Availability::Unknown;
    d->reason.clear();
    d->samples.clear();
    d->startNs = monotonicNs();
    d->timer.start(d->interval);
    d->tick();
}

void MetricsScraper::stop()
{
    ++d->generation;
    d->running = false;
    d->inFlight = false;
    d->timer.stop();
}

bool MetricsScraper::isRunning() const { return d->running; }
MetricsScraper::Availability MetricsScraper::availability() const { return d->availability; }
QString MetricsScraper::unavailableReason() const { return d->reason; }
const std::vector<ServerMetricsSample> &MetricsScraper::samples() const { return d->samples; }

std::optional<ServerMetricsSample> MetricsScraper::latest() const
{
    if (d->samples.empty())
        return std::nullopt;
    return d->samples.back();
}

} // namespace ts
