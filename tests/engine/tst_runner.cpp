#include "backends/backend.h"
#include "backends/backendregistry.h"
#include "datasets/randomdataset.h"
#include "load/arrivals.h"
#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"
#include "results/chunks.h"
#include "results/resultjson.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "transport/inflight.h"
#include "transport/transport.h"
#include "recordingproxy.h"
#include "simrun.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace ts;

namespace {

using ts::test::fixedServer;
using ts::test::RecordingProxy;

BenchmarkConfig configFor(const SimServerThread &server, int requests, int concurrency, int outputLen)
{
    BenchmarkConfig config;
    config.target.baseUrl = server.baseUrl();
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.random.inputLen = 32;
    config.random.outputLen = outputLen;
    config.load.numPrompts = requests;
    config.load.maxConcurrency = concurrency;
    config.metrics.percentileMetrics.append(QStringLiteral("e2el"));
    return config;
}

RunResult run(const BenchmarkConfig &config, int timeoutMs = 60000,
              const std::function<void(BenchmarkRunner &)> &whileRunning = {})
{
    return ts::test::runToEnd(config, timeoutMs, whileRunning);
}

} // namespace

class TestRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void measuresConfiguredTruth();
    void serverSeesEveryRequestInFlight();
    void maxConcurrencyIsRespected();
    void unreachableServerIsOneClearError();
    void wrongModelIsReported();
    void stopKeepsWhatWasMeasured();
    void clientThreadLoadIsCpuOverThreadTime();
    void chunksMakeUpTheText_data();
    void chunksMakeUpTheText();
    void inFlightSnapshotShowsRequests();
    void serverSeesTheRamp();
    void durationStopsSendingAndDrains_data();
    void durationStopsSendingAndDrains();
    void durationCancelAbortsInFlight();
};

// Against exact timing, what we measure can only be later than the truth, never earlier, and
// by no more than the loopback and scheduling delay.
void TestRunner::measuresConfiguredTruth()
{
    SimServerThread server;
    QVERIFY(server.start(fixedServer(50, 10)).ok());
    const RunResult result = run(configFor(server, 40, 8, 20));
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 40);
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QCOMPARE(r.outputTokens, 20);
        QCOMPARE(r.outputTokenSource, TokenCountSource::Server);
        QCOMPARE(r.contentChunks, 20);
        QCOMPARE(int(r.itl.size()), 19);
        QVERIFY2(r.ttft >= 0.0499, qPrintable(QString::number(r.ttft)));
        QVERIFY(r.promptTokens > 0);
    }
    const BenchmarkMetrics m = computeMetrics(result.records, result.duration, result.config.metrics);
    QCOMPARE(m.completed, 40);
    QCOMPARE(m.totalOutputTokens, qint64(800));
    QVERIFY2(m.ttftMs.median >= 49.9 && m.ttftMs.median < 70.0, qPrintable(QString::number(m.ttftMs.median)));
    QVERIFY2(std::abs(m.itlMs.median - 10.0) < 3.0, qPrintable(QString::number(m.itlMs.median)));
    // E2EL = TTFT + 19 gaps.
    QVERIFY2(m.e2elMs.median >= 239.0 && m.e2elMs.median < 300.0, qPrintable(QString::number(m.e2elMs.median)));
    QCOMPARE(m.maxConcurrentRequests, 8);
    QCOMPARE(result.clientThreads, Transport::defaultWorkerCount(result.config.load));
    QVERIFY(result.clientCpuSeconds > 0.0);
#ifdef Q_OS_LINUX
    // The transport threads' own share: part of the process's, which includes the server here.
    QVERIFY2(result.transportCpuSeconds > 0.0 && result.transportCpuSeconds < result.clientCpuSeconds,
             qPrintable(QStringLiteral("%1 of %2 s").arg(result.transportCpuSeconds).arg(result.clientCpuSeconds)));
#endif
    QVERIFY(clientThreadLoad(result) < kClientBusyLoad);
}

// With no client-side cap, 256 streams are 256 requests running at the server at once: the
// six-connections-per-host limit of a single network manager must not apply.
void TestRunner::serverSeesEveryRequestInFlight()
{
    SimServerThread server;
    QVERIFY(server.start(fixedServer(400, 50)).ok());
    const RunResult result = run(configFor(server, 256, 0, 10));
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 256);
    QCOMPARE(server.counters().peakRunning, 256);
    const BenchmarkMetrics m = computeMetrics(result.records, result.duration, result.config.metrics);
    QCOMPARE(m.completed, 256);
    QCOMPARE(m.maxConcurrentRequests, 256);
    // Had requests waited inside the client in waves of six, TTFT would reach many seconds.
    QVERIFY2(m.ttftMs.percentiles.back().second < 1000.0, qPrintable(QString::number(m.ttftMs.percentiles.back().second)));
}

void TestRunner::maxConcurrencyIsRespected()
{
    SimServerThread server;
    QVERIFY(server.start(fixedServer(20, 5)).ok());
    server.resetPeaks();
    const RunResult result = run(configFor(server, 60, 7, 8));
    QCOMPARE(int(result.records.size()), 60);
    QCOMPARE(server.counters().peakRunning, 7);
    double queued = 0;
    for (const RequestRecord &r : result.records)
        queued = std::max(queued, r.queueTime);
    QVERIFY(queued > 0.01); // later requests waited for a slot, and that wait is recorded
}

void TestRunner::unreachableServerIsOneClearError()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there now
    BenchmarkConfig config;
    config.target.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    config.target.model = QStringLiteral("m");
    config.load.numPrompts = 5;
    const RunResult result = run(config);
    QVERIFY(!result.error.isEmpty());
    QVERIFY2(result.error.contains(QLatin1String("refused")), qPrintable(result.error));
    QVERIFY(result.records.empty());
}

void TestRunner::wrongModelIsReported()
{
    SimServerThread server;
    QVERIFY(server.start(fixedServer(10, 5)).ok());
    BenchmarkConfig config = configFor(server, 5, 0, 4);
    config.target.model = QStringLiteral("no-such-model");
    const RunResult result = run(config);
    QVERIFY2(result.error.contains(QLatin1String("no-such-model")), qPrintable(result.error));
    QVERIFY2(result.error.contains(QLatin1String("404")), qPrintable(result.error));
}

void TestRunner::stopKeepsWhatWasMeasured()
{
    SimServerThread server;
    QVERIFY(server.start(fixedServer(10, 20)).ok());
    // Short requests finish first; the long-running rest are in flight when we stop.
    BenchmarkConfig config = configFor(server, 200, 20, 50);
    config.random.rangeRatio = 0.9;
    const RunResult result = run(config, 60000, [](BenchmarkRunner &runner) {
        if (runner.progress().succeeded >= 10)
            runner.stop();
    });
    QVERIFY(result.stopped);
    QVERIFY(result.error.isEmpty());
    const auto succeeded = std::count_if(result.records.begin(), result.records.end(),
                                         [](const RequestRecord &r) { return r.success; });
    QVERIFY(succeeded >= 10);
    QVERIFY(result.records.size() < 200);
    QVERIFY(result.duration > 0);
    for (const RequestRecord &r : result.records) {
        if (!r.success)
            QVERIFY2(r.error.contains(QLatin1String("Stopped")), qPrintable(r.error));
    }
}

void TestRunner::clientThreadLoadIsCpuOverThreadTime()
{
    RunResult run;
    QCOMPARE(clientThreadLoad(run), 0.0);   // nothing measured
    run.duration = 8.0;
    run.clientCpuSeconds = 9.0;   // the whole process: not what counts
    run.clientThreads = 1;
    QCOMPARE(clientThreadLoad(run), 0.0);   // the threads' own CPU time unknown
    run.transportCpuSeconds = 7.6;
    QCOMPARE(clientThreadLoad(run), 0.95);
    QVERIFY(clientThreadLoad(run) > kClientBusyLoad);
    run.clientThreads = 2;
    QCOMPARE(clientThreadLoad(run), 0.475);
    run.duration = 0.0;   // stopped before anything finished
    QCOMPARE(clientThreadLoad(run), 0.0);
}

void TestRunner::chunksMakeUpTheText_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("tokensKnown");
    // The built-in server sends usage only after the last chunk, except TGI's one token per event.
    QTest::addRow("openai") << "openai" << false;
    QTest::addRow("openai-chat") << "openai-chat" << false;
    QTest::addRow("tgi") << "tgi" << true;
}

// Every request keeps its chunks: one per timed message, and together exactly its text.
void TestRunner::chunksMakeUpTheText()
{
    QFETCH(QString, backend);
    QFETCH(bool, tokensKnown);
    SimServerThread server;
    QVERIFY(server.start(fixedServer(5, 2)).ok());
    BenchmarkConfig config = configFor(server, 12, 4, 24);
    config.target.backend = backend;
    config.target.endpoint = findBackend(backend)->defaultEndpoint;
    config.random.rangeRatio = 0.5;
    const RunResult result = run(config);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 12);
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QVERIFY(!r.generatedText.isEmpty());
        QCOMPARE(r.chunkTextEnds.size(), r.itl.size() + 1);
        QCOMPARE(r.chunkTokens.size(), r.itl.size() + 1);
        QString joined;
        int tokens = 0;
        for (const Chunk &c : chunksOf(r)) {
            joined += c.text;
            tokens += c.tokens;
        }
        QCOMPARE(joined, r.generatedText);
        QCOMPARE(tokens, tokensKnown ? r.outputTokens : 0);
    }
}

// Polled while a run goes on, the registry lists the measured requests then in flight, within
// the concurrency limit, and nothing once the run is over.
void TestRunner::inFlightSnapshotShowsRequests()
{
    SimServerThread server;
    QVERIFY(server.start(fixedServer(100, 10)).ok());
    const BenchmarkConfig config = configFor(server, 16, 4, 20);
    BenchmarkRunner runner(config, makeRandomPrompts(config.random, config.load.numPrompts, config.load.seed));
    const std::shared_ptr<const InFlightRegistry> registry = runner.inFlightRegistry();
    QVERIFY(registry);
    QVERIFY(registry->snapshot().empty());

    int polls = 0;
    int listed = 0;
    int streaming = 0;   // entries that had their first content and some chunks
    QSet<int> seen;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, &runner, [&] {
        const std::vector<InFlightRequest> now = registry->snapshot();
        ++polls;
        listed = std::max(listed, int(now.size()));
        QVERIFY(int(now.size()) <= config.load.maxConcurrency);
        for (const InFlightRequest &r : now) {
            QVERIFY(r.index >= 0 && r.index < config.load.numPrompts);
            QVERIFY(r.startTime >= 0.0);
            QVERIFY(r.queueTime >= 0.0);
            QVERIFY(r.contentChunks >= 0 && r.contentChunks <= 20);
            if (r.ttft) {
                QVERIFY2(*r.ttft >= 0.0999, qPrintable(QString::number(*r.ttft)));
                QVERIFY(r.contentChunks > 0);
                ++streaming;
            } else {
                QCOMPARE(r.contentChunks, 0);
            }
            seen.insert(r.index);
        }
    });
    QSignalSpy finished(&runner, &BenchmarkRunner::finished);
    runner.start();
    poll.start();
    QVERIFY(finished.wait(60000));
    poll.stop();
    const RunResult result = finished.constFirst().constFirst().value<RunResult>();
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(polls > 0);
    QVERIFY2(listed > 0, qPrintable(QStringLiteral("%1 polls").arg(polls)));
    QVERIFY(streaming > 0);
    QVERIFY(seen.size() > 1);
    QCOMPARE(registry->count(), 0);
}

// A linear ramp from 5 to 50 req/s over 60 requests: what the server receives speeds up as
// planned. The first half of the requests takes about 2.1 s, the second about 0.7 s.
void TestRunner::serverSeesTheRamp()
{
    SimServerThread server;
    QVERIFY(server.start(fixedServer(5, 1)).ok());
    RecordingProxy proxy;
    QVERIFY(proxy.listen(quint16(server.baseUrl().port())));
    BenchmarkConfig config = configFor(server, 60, 0, 4);
    config.target.baseUrl = proxy.url();
    config.load.rampUpStrategy = RampUpStrategy::Linear;
    config.load.rampUpStartRps = 5;
    config.load.rampUpEndRps = 50;
    config.load.burstiness = 4.0;
    config.load.seed = 3;
    const RunResult result = run(config);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 60);

    // The probe request came first.
    const std::vector<RecordingProxy::Seen> &seen = proxy.seen();
    QCOMPARE(int(seen.size()), 61);
    auto at = [&](int i) { return nsToSeconds(seen[std::size_t(i) + 1].atNs); };
    const double firstHalf = at(29) - at(0);
    const double secondHalf = at(59) - at(30);
    QVERIFY2(firstHalf > 1.8 * secondHalf, qPrintable(QStringLiteral("%1 s then %2 s").arg(firstHalf).arg(secondHalf)));

    // Each request went out no earlier than the plan says.
    const std::vector<double> planned = arrivalTimes(config.load, 60);
    for (const RequestRecord &r : result.records)
        QVERIFY2(r.startTime >= planned[std::size_t(r.index)] - 0.002,
                 qPrintable(QStringLiteral("%1: %2 < %3").arg(r.index).arg(r.startTime).arg(planned[std::size_t(r.index)])));

    const BenchmarkMetrics m = computeMetrics(result.records, result.duration, result.config.metrics);
    const auto json = toResultJson(result, m, false);
    QCOMPARE(json["request_rate"].get<std::string>(), std::string("inf"));
    QCOMPARE(json["ramp_up_strategy"].get<std::string>(), std::string("linear"));
    QCOMPARE(json["ramp_up_start_rps"].get<int>(), 5);
    QCOMPARE(json["ramp_up_end_rps"].get<int>(), 50);
    QVERIFY(!json.contains("duration_limit_s"));
    QVERIFY(!json.contains("duration_end"));
    // One event per whole rate from 5 to 50, in time order.
    const auto &events = json["rps_change_events"];
    QCOMPARE(int(events.size()), 46);
    for (std::size_t i = 0; i < events.size(); ++i) {
        QCOMPARE(events[i]["rps"].get<int>(), 5 + int(i));
        if (i > 0)
            QVERIFY(events[i]["timestamp"].get<std::string>() >= events[i - 1]["timestamp"].get<std::string>());
    }
}

void TestRunner::durationStopsSendingAndDrains_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("concurrency");
    QTest::addRow("20 req/s") << 20.0 << 0;
    QTest::addRow("3 slots kept busy") << std::numeric_limits<double>::infinity() << 3;
}

// 1.5 s of sending, cycling through 5 prompts; requests take about 0.3 s, so some are in
// flight at the limit and finish.
void TestRunner::durationStopsSendingAndDrains()
{
    QFETCH(double, rate);
    QFETCH(int, concurrency);
    constexpr double limit = 1.5;
    SimServerThread server;
    QVERIFY(server.start(fixedServer(20, 20)).ok());
    BenchmarkConfig config = configFor(server, 5, concurrency, 15);
    config.load.requestRate = rate;
    config.load.durationS = limit;
    const RunResult result = run(config);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(!result.stopped);
    QVERIFY2(result.records.size() > 8, qPrintable(QString::number(result.records.size())));
    QCOMPARE(result.requested, int(result.records.size()));
    bool finishedAfterLimit = false;
    int maxIndex = -1;
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QVERIFY2(r.startTime < limit + 0.1, qPrintable(QString::number(r.startTime)));
        finishedAfterLimit = finishedAfterLimit || r.startTime + r.latency > limit;
        maxIndex = std::max(maxIndex, r.index);
    }
    QVERIFY(finishedAfterLimit);
    QCOMPARE(maxIndex, int(result.records.size()) - 1);   // each request its own index
    QVERIFY(result.duration > limit);
    if (concurrency > 0)
        QVERIFY(server.counters().peakRunning <= concurrency);

    const BenchmarkMetrics m = computeMetrics(result.records, result.duration, result.config.metrics);
    const auto json = toResultJson(result, m, false);
    QCOMPARE(json["duration_limit_s"].get<double>(), limit);
    QCOMPARE(json["duration_end"].get<std::string>(), std::string("drain"));
    QCOMPARE(json["num_prompts"].get<int>(), 5);
    QVERIFY(!json.contains("ramp_up_strategy"));
}

// Requests of about 5 s, cut at 1.5 s: the run ends soon after the limit and each cut request
// says why it failed.
void TestRunner::durationCancelAbortsInFlight()
{
    constexpr double limit = 1.5;
    SimServerThread server;
    QVERIFY(server.start(fixedServer(20, 50)).ok());
    BenchmarkConfig config = configFor(server, 10, 4, 100);
    config.load.durationS = limit;
    config.load.durationCancel = true;
    const RunResult result = run(config);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(!result.stopped);
    QCOMPARE(int(result.records.size()), 4);
    QCOMPARE(result.requested, 4);
    for (const RequestRecord &r : result.records) {
        QVERIFY(!r.success);
        QCOMPARE(r.error, QStringLiteral("Stopped at the end of --duration."));
        QVERIFY(r.startTime < limit);
    }
    QVERIFY2(result.duration >= limit && result.duration < 3.5, qPrintable(QString::number(result.duration)));

    const BenchmarkMetrics m = computeMetrics(result.records, result.duration, result.config.metrics);
    const auto json = toResultJson(result, m, false);
    QCOMPARE(json["duration_end"].get<std::string>(), std::string("cancel"));
    QCOMPARE(json["failed"].get<int>(), 4);
}

QTEST_GUILESS_MAIN(TestRunner)
#include "tst_runner.moc"
