#pragma once

#include "core/benchmarkconfig.h"
#include "prometheus/serversnapshot.h"

#include <QObject>
#include <QUrl>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace ts {

// One successful scrape, with the rates derived from the previous one.
struct ServerMetricsSample
{
    ServerSnapshot snapshot;
    std::int64_t timeNs = 0;                     // monotonicNs() when the reply arrived
    double elapsed = 0.0;                        // seconds since MetricsScraper::start()
    // Counter differences to the previous sample per second; empty for the first sample,
    // when the server does not publish the counter, or when it went down (a restart).
    std::optional<double> promptTokensPerS;
    std::optional<double> generationTokensPerS;
};

class MetricsScraperPrivate;

// Polls a server's Prometheus /metrics page (every second by default) while a run or sweep
// goes on, so its own view (requests running and waiting, KV-cache use, token rates) can be
// shown next to the client's. A server without /metrics is not an error: unavailable() is
// emitted once and the scraper goes quiet (after an HTTP error status it stops asking; after
// a network error it keeps trying quietly, in case the server comes up later). One request at
// a time; a slow server never gets a queue of scrapes.
class MetricsScraper : public QObject
{
    Q_OBJECT
public:
    enum class Availability : quint8 { Unknown, Available, NotAvailable };

    explicit MetricsScraper(QObject *parent = nullptr);
    ~MetricsScraper() override;

    // <base URL>/metrics, keeping a path prefix of the base URL (http://h/llm -> http://h/llm/metrics).
    static QUrl metricsUrl(const QUrl &baseUrl);

    // Scrapes metricsUrl(target.baseUrl) with the target's API key, headers and TLS setting.
    void setTarget(const TargetConfig &target);
    // Another URL (e.g. a metrics port of its own); call after setTarget().
    void setUrl(const QUrl &url);
    QUrl url() const;
    void setInterval(std::chrono::milliseconds interval);    // default 1 s
    std::chrono::milliseconds interval() const;

    // Forgets earlier samples, scrapes at once and then every interval.
    void start();
    void stop();
    bool isRunning() const;

    Availability availability() const;
    QString unavailableReason() const;                       // translated; empty unless NotAvailable
    const std::vector<ServerMetricsSample> &samples() const; // since start(), oldest first
    std::optional<ServerMetricsSample> latest() const;

Q_SIGNALS:
    void sampled(const ts::ServerMetricsSample &sample);
    // Once per start(): the page is missing or names nothing we know. Not an error.
    void unavailable(const QString &reason);

private:
    friend class MetricsScraperPrivate;
    std::unique_ptr<MetricsScraperPrivate> d;
};

} // namespace ts

Q_DECLARE_METATYPE(ts::ServerMetricsSample)
