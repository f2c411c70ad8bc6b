#include "datasets/dataset.h"
#include "load/benchmarkrunner.h"
#include "recordingproxy.h"
#include "results/resultfile.h"
#include "results/resultjson.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "simrun.h"

#include <QSignalSpy>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

using namespace ts;
using ts::test::RecordingProxy;

namespace {

// How far a send may stray from its timestamp. Most are within a few milliseconds; on a busy
// machine a timer fires now and then tens of milliseconds late, so one send may stray further.
// The sample's distinct timestamps are 60 ms or more apart, so a send at another record's time
// (or unscaled) still fails.
constexpr double kTypicalS = 0.01;
constexpr double kToleranceS = 0.05;

// The median of |errors| is within kTypicalS and each one within kToleranceS.
bool onTime(std::vector<double> errors, QString *why)
{
    for (double &e : errors)
        e = std::abs(e);
    std::sort(errors.begin(), errors.end());
    const double median = errors[errors.size() / 2];
    *why = QStringLiteral("median %1 s, worst %2 s").arg(median).arg(errors.back());
    return median < kTypicalS && errors.back() < kToleranceS;
}

std::vector<PromptSpec> sampleTrace()
{
    DatasetConfig dataset;
    dataset.name = QStringLiteral("mooncake");
    dataset.path = qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QStringLiteral("/datasets/mooncake.jsonl");
    dataset.numPrompts = 0;
    QString error;
    const auto result = loadDataset(dataset, nullptr, &error);
    if (!result)
        qFatal("%s", qPrintable(error));
    return result->prompts;
}

BenchmarkConfig traceConfig(const QUrl &url, double scale)
{
    BenchmarkConfig config;
    config.target.baseUrl = url;
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.datasetName = QStringLiteral("mooncake");
    config.load.numPrompts = 0;
    config.load.traceTimeScale = scale;
    return config;
}

RunResult run(BenchmarkRunner &runner)
{
    QSignalSpy finished(&runner, &BenchmarkRunner::finished);
    runner.start();
    if (!finished.wait(60000))
        return {};
    return finished.constFirst().constFirst().value<RunResult>();
}

} // namespace

class TestTraceReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serverReceivesEachRequestAtItsTimestamp_data();
    void serverReceivesEachRequestAtItsTimestamp();
    void concurrencyLimitShowsAsQueueTime();
    void numPromptsTakesTheFirstRecords();
    void requestRateIsRefused();
};

void TestTraceReplay::serverReceivesEachRequestAtItsTimestamp_data()
{
    QTest::addColumn<double>("scale");
    QTest::addRow("as recorded") << 1.0;
    QTest::addRow("twice as fast") << 0.5;
}

// The server's own view (the proxy's clock, not the runner's): 20 requests over 1.9 s of trace
// time arrive at their timestamps times the scale, each asking for its recorded output length.
void TestTraceReplay::serverReceivesEachRequestAtItsTimestamp()
{
    QFETCH(double, scale);
    SimServerThread server;
    QVERIFY(server.start(test::fixedServer(10, 1)).ok());
    RecordingProxy proxy;
    QVERIFY(proxy.listen(quint16(server.baseUrl().port())));

    const std::vector<PromptSpec> trace = sampleTrace();
    QCOMPARE(int(trace.size()), 20);
    std::map<std::string, const PromptSpec *> byPrompt;
    for (const PromptSpec &p : trace)
        byPrompt[p.prompt.toStdString()] = &p;
    QCOMPARE(byPrompt.size(), trace.size());

    BenchmarkRunner runner(traceConfig(proxy.url(), scale), trace);
    const RunResult result = run(runner);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 20);
    QCOMPARE(result.requested, 20);
    QCOMPARE(result.config.load.numPrompts, 20);
    std::vector<double> sendErrors;
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        QVERIFY(r.queueTime < kToleranceS);
        sendErrors.push_back(r.startTime - *trace[std::size_t(r.index)].sendAtS * scale);
    }
    QString why;
    QVERIFY2(onTime(sendErrors, &why), qPrintable(QStringLiteral("sent: ") + why));

    // The probe comes first; then the trace, its first request (timestamp 0) at the run's start.
    const std::vector<RecordingProxy::Seen> &seen = proxy.seen();
    QCOMPARE(int(seen.size()), 1 + 20);
    std::int64_t startNs = 0;
    for (std::size_t i = 1; i < seen.size(); ++i) {
        const nlohmann::json &body = seen[i].body;
        const auto found = byPrompt.find(body.value("prompt", std::string()));
        QVERIFY(found != byPrompt.end());
        const PromptSpec &spec = *found->second;
        QCOMPARE(body.value("max_tokens", 0), spec.expectedOutputTokens);
        QCOMPARE(body.value("ignore_eos", false), true);
        if (*spec.sendAtS == 0.0 && startNs == 0)
            startNs = seen[i].atNs;
    }
    QVERIFY(startNs != 0);
    std::vector<double> receiveErrors;
    for (std::size_t i = 1; i < seen.size(); ++i) {
        const PromptSpec &spec = *byPrompt.at(seen[i].body.value("prompt", std::string()));
        receiveErrors.push_back(double(seen[i].atNs - startNs) * 1e-9 - *spec.sendAtS * scale);
    }
    QVERIFY2(onTime(receiveErrors, &why), qPrintable(QStringLiteral("received: ") + why));

    // The result says it was a trace, and at what speed.
    const auto json = toResultJson(result, computeMetrics(result.records, result.duration, result.config.metrics), false);
    QCOMPARE(json.value("dataset_name", std::string()), std::string("mooncake"));
    QCOMPARE(json.value("trace_time_scale", 0.0), scale);
    QCOMPARE(json.value("num_prompts", 0), 20);
    // Read back as the setup of the run, not as metadata.
    const auto file = resultFromJson(json, QStringLiteral("trace.json"));
    QVERIFY(file);
    QCOMPARE(file->setup.datasetName, QStringLiteral("mooncake"));
    QCOMPARE(file->setup.traceTimeScale.value_or(0.0), scale);
    QVERIFY(file->setup.metadata.isEmpty());
}

// A request due while every slot is busy waits, and its wait is its queue time: it is never
// moved to a later timestamp unannounced.
void TestTraceReplay::concurrencyLimitShowsAsQueueTime()
{
    SimServerThread server;
    QVERIFY(server.start(test::fixedServer(150, 1)).ok());
    std::vector<PromptSpec> trace = sampleTrace();
    trace.resize(4);   // two at 0 ms, then 80 and 150 ms, each taking more than 150 ms
    BenchmarkConfig config = traceConfig(server.baseUrl(), 1.0);
    config.load.maxConcurrency = 1;
    BenchmarkRunner runner(config, trace);
    const RunResult result = run(runner);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 4);
    int queued = 0;
    std::vector<double> releaseErrors;
    for (const RequestRecord &r : result.records) {
        QVERIFY2(r.success, qPrintable(r.error));
        // Released at its timestamp; sent once a slot was free.
        releaseErrors.push_back(r.startTime - r.queueTime - *trace[std::size_t(r.index)].sendAtS);
        if (r.queueTime > 0.05)
            ++queued;
    }
    QString why;
    QVERIFY2(onTime(releaseErrors, &why), qPrintable(QStringLiteral("released: ") + why));
    QCOMPARE(queued, 3);
}

void TestTraceReplay::numPromptsTakesTheFirstRecords()
{
    SimServerThread server;
    QVERIFY(server.start(test::fixedServer(5, 1)).ok());
    BenchmarkConfig config = traceConfig(server.baseUrl(), 0.1);
    config.load.numPrompts = 6;
    BenchmarkRunner runner(config, sampleTrace());
    const RunResult result = run(runner);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(int(result.records.size()), 6);
    QCOMPARE(result.requested, 6);
    for (const RequestRecord &r : result.records)
        QVERIFY(r.index >= 0 && r.index < 6);
}

void TestTraceReplay::requestRateIsRefused()
{
    BenchmarkConfig config = traceConfig(QUrl(QStringLiteral("http://127.0.0.1:9")), 1.0);
    config.load.requestRate = 10;
    BenchmarkRunner runner(config, sampleTrace());
    const RunResult result = run(runner);
    QVERIFY2(result.error.contains(QLatin1String("request rate")), qPrintable(result.error));
    QVERIFY(result.records.empty());
}

QTEST_GUILESS_MAIN(TestTraceReplay)
#include "tst_tracereplay.moc"
