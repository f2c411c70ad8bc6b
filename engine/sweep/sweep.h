#pragma once

#include "load/benchmarkrunner.h"
#include "transport/inflight.h"
#include "prometheus/metricsscraper.h"
#include "sweep/sweepconfig.h"
#include "sweep/sweepfiles.h"
#include "sweep/sweeplevel.h"
#include "sweep/sweepverdict.h"

#include <QObject>

#include <memory>
#include <vector>

namespace ts {

class SweepPrivate;

// Runs a concurrency or rate sweep: the levels one after another, each a full BenchmarkRunner
// run, until a stop rule is broken, the levels run out, or the user stops it. Each finished
// level is analysed, checked against the rules and (with a result directory) saved as its own
// result JSON; at the end the summary JSON and CSV are written. While it runs, the server's
// /metrics are scraped (when enabled) and each level keeps what the server said during it.
// Lives in the thread that creates it, like BenchmarkRunner.
class Sweep : public QObject
{
    Q_OBJECT
public:
    explicit Sweep(SweepConfig config, QObject *parent = nullptr);
    ~Sweep() override;


    // Starts the first level; finished() is emitted exactly once afterwards (asynchronously,
    // also when the config is invalid: then with no levels and SweepResult::error set).
    void start();
    // Stops the running level; the finished levels are kept and the verdict covers them.
    void stop();

    bool isRunning() const;
    const SweepConfig &config() const;
    // The levels finished so far (evaluated, with files saved).
    const std::vector<SweepLevelResult> &levels() const;
    // The verdict over the levels finished so far (e.g. to show while the sweep goes on).
    SweepVerdict currentVerdict() const;
    // The scraper (its samples() cover the whole sweep); null when scraping is off.
    MetricsScraper *serverMetrics() const;

Q_SIGNALS:
    void levelStarted(int index, double level, int numPrompts);
    void levelProgress(int index, const ts::RunProgress &progress);
    // The level's requests in flight, to poll from any thread (emitted in the sweep's thread).
    void levelInFlight(std::shared_ptr<const ts::InFlightRegistry> registry);
    // Each finished request of the running level, as BenchmarkRunner::requestFinished gives it
    // (e.g. for live charts); the level's records also arrive whole in levelFinished().
    void levelRequestFinished(const ts::RequestRecord &record);
    // A level is done: charts can add a point. `level` stays valid until the next level ends.
    void levelFinished(const ts::SweepLevelResult &level);
    // Forwarded from the scraper, so a view can chart the server's view live.
    void serverSampled(const ts::ServerMetricsSample &sample);
    void serverMetricsUnavailable(const QString &reason);
    void finished(const ts::SweepResult &result);

private:
    std::unique_ptr<SweepPrivate> d;
};

} // namespace ts

Q_DECLARE_METATYPE(ts::SweepResult)
