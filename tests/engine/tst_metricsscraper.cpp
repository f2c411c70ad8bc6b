#include "datasets/randomdataset.h"
#include "load/benchmarkrunner.h"
#include "prometheus/metricsscraper.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace ts;

namespace {

TargetConfig targetOf(const SimServerThread &server)
{
    TargetConfig t;
    t.baseUrl = server.baseUrl();
    t.model = QStringLiteral("tokenstorm-sim");
    return t;
}

} // namespace

class TestMetricsScraper : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void metricsUrlKeepsPathPrefix();
    void followsTheServerDuringARun();
    void missingPageIsReportedOnce();
    void pageWithoutKnownMetricsIsReportedOnce();
    void refusedConnectionIsReportedOnce();
    void destroyedWhileAsking();
};

void TestMetricsScraper::metricsUrlKeepsPathPrefix()
{
    QCOMPARE(MetricsScraper::metricsUrl(QUrl(QStringLiteral("http://h:8000"))), QUrl(QStringLiteral("http://h:8000/metrics")));
    QCOMPARE(MetricsScraper::metricsUrl(QUrl(QStringLiteral("http://h/llm/"))), QUrl(QStringLiteral("http://h/llm/metrics")));
    QCOMPARE(MetricsScraper::metricsUrl(QUrl(QStringLiteral("https://h/a?x=1"))), QUrl(QStringLiteral("https://h/a/metrics")));
}

// While requests run, the server's own counts and token rates come through.
void TestMetricsScraper::followsTheServerDuringARun()
{
    SimServerThread server;
    QVERIFY(server.start(*simPresetConfig(QStringLiteral("saturating"))).ok());
    MetricsScraper scraper;
    scraper.setTarget(targetOf(server));
    scraper.setInterval(std::chrono::milliseconds(100));
    QSignalSpy sampled(&scraper, &MetricsScraper::sampled);
    QSignalSpy unavailable(&scraper, &MetricsScraper::unavailable);
    scraper.start();
    QVERIFY(scraper.isRunning());

    BenchmarkConfig config;
    config.target = targetOf(server);
    config.random.inputLen = 32;
    config.random.outputLen = 40;
    config.load.numPrompts = 24;
    config.load.maxConcurrency = 24;   // more than the 16 slots: some wait in the server
    BenchmarkRunner runner(config, makeRandomPrompts(config.random, config.load.numPrompts, 0));
    QSignalSpy finished(&runner, &BenchmarkRunner::finished);
    runner.start();
    QVERIFY(finished.wait(60000));
    // Two more scrapes, so the last one was taken after the last token left.
    const int seen = sampled.count();
    QTRY_VERIFY_WITH_TIMEOUT(sampled.count() >= std::max(seen + 2, 5), 5000);
    scraper.stop();
    QVERIFY(!scraper.isRunning());

    QCOMPARE(unavailable.count(), 0);
    QCOMPARE(scraper.availability(), MetricsScraper::Availability::Available);
    QCOMPARE(int(scraper.samples().size()), sampled.count());
    double maxRunning = 0, maxWaiting = 0, maxGenerationRate = 0;
    double lastElapsed = -1;
    std::int64_t lastNs = 0;
    for (const ServerMetricsSample &s : scraper.samples()) {
        QCOMPARE(s.snapshot.kind, ServerKind::BuiltIn);
        QVERIFY(s.snapshot.running && s.snapshot.waiting && s.snapshot.kvCacheUsage);
        maxRunning = std::max(maxRunning, *s.snapshot.running);
        maxWaiting = std::max(maxWaiting, *s.snapshot.waiting);
        maxGenerationRate = std::max(maxGenerationRate, s.generationTokensPerS.value_or(0.0));
        QVERIFY(s.elapsed > lastElapsed);
        QVERIFY(s.timeNs > lastNs);
        lastElapsed = s.elapsed;
        lastNs = s.timeNs;
    }
    QVERIFY(!scraper.samples().front().generationTokensPerS);   // nothing to take a difference from
    QCOMPARE(maxRunning, 16.0);
    QVERIFY(maxWaiting >= 1.0);
    QVERIFY(maxGenerationRate > 0.0);
    // The counters end where the server's own do.
    QCOMPARE(*scraper.latest()->snapshot.generationTokensTotal, double(server.counters().generatedTokens));
}

void TestMetricsScraper::missingPageIsReportedOnce()
{
    SimServerThread server;
    QVERIFY(server.start(*simPresetConfig(QStringLiteral("fixed"))).ok());
    MetricsScraper scraper;
    scraper.setTarget(targetOf(server));
    scraper.setUrl(QUrl(server.baseUrl().toString() + QStringLiteral("/no-metrics-here")));
    scraper.setInterval(std::chrono::milliseconds(50));
    QSignalSpy unavailable(&scraper, &MetricsScraper::unavailable);
    QSignalSpy sampled(&scraper, &MetricsScraper::sampled);
    scraper.start();
    QVERIFY(unavailable.wait(5000));
    QTest::qWait(400);
    QCOMPARE(unavailable.count(), 1);
    QCOMPARE(sampled.count(), 0);
    QCOMPARE(scraper.availability(), MetricsScraper::Availability::NotAvailable);
    QVERIFY2(scraper.unavailableReason().contains(QLatin1String("404")), qPrintable(scraper.unavailableReason()));

    // A new start() reports again, once.
    scraper.start();
    QVERIFY(unavailable.wait(5000));
    QCOMPARE(unavailable.count(), 2);
}

void TestMetricsScraper::pageWithoutKnownMetricsIsReportedOnce()
{
    SimServerThread server;
    QVERIFY(server.start(*simPresetConfig(QStringLiteral("fixed"))).ok());
    MetricsScraper scraper;
    scraper.setTarget(targetOf(server));
    scraper.setUrl(QUrl(server.baseUrl().toString() + QStringLiteral("/health")));   // 200, empty
    scraper.setInterval(std::chrono::milliseconds(50));
    QSignalSpy unavailable(&scraper, &MetricsScraper::unavailable);
    scraper.start();
    QVERIFY(unavailable.wait(5000));
    QTest::qWait(300);
    QCOMPARE(unavailable.count(), 1);
    QVERIFY(scraper.samples().empty());
    QVERIFY(!scraper.latest());
}

// Nothing listens: not an error, one report, and the scraper keeps trying quietly.
void TestMetricsScraper::refusedConnectionIsReportedOnce()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    MetricsScraper scraper;
    TargetConfig target;
    target.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    scraper.setTarget(target);
    scraper.setInterval(std::chrono::milliseconds(50));
    QSignalSpy unavailable(&scraper, &MetricsScraper::unavailable);
    scraper.start();
    QVERIFY(unavailable.wait(5000));
    QTest::qWait(400);
    QCOMPARE(unavailable.count(), 1);
    QCOMPARE(scraper.availability(), MetricsScraper::Availability::NotAvailable);
    QVERIFY(scraper.isRunning());
}

void TestMetricsScraper::destroyedWhileAsking()
{
    SimServerThread server;
    QVERIFY(server.start(*simPresetConfig(QStringLiteral("fixed"))).ok());
    auto *scraper = new MetricsScraper;
    scraper->setTarget(targetOf(server));
    scraper->start();      // a request is on its way
    delete scraper;
    QTest::qWait(300);     // its reply arrives to nobody
    QVERIFY(server.isRunning());
}

QTEST_GUILESS_MAIN(TestMetricsScraper)
#include "tst_metricsscraper.moc"
