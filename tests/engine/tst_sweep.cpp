#include "datasets/randomdataset.h"
#include "results/resultfile.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "sweep/sweep.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace ts;

namespace {

// The "saturating" preset (16 slots, steps that grow with the batch), 2.5 times faster, so a
// sweep across its knee takes seconds.
SimServerConfig fastSaturating()
{
    SimServerConfig c = *simPresetConfig(QStringLiteral("saturating"));
    c.baseStepMs *= 0.4;
    c.perSeqStepMs *= 0.4;
    c.prefillTokensPerSecond /= 0.4;
    return c;
}

SweepConfig sweepAgainst(const SimServerThread &server, std::vector<double> levels)
{
    SweepConfig c;
    c.levels = std::move(levels);
    c.base.target.baseUrl = server.baseUrl();
    c.base.target.model = QStringLiteral("tokenstorm-sim");
    c.base.random.inputLen = 32;
    c.base.random.outputLen = 32;
    c.promptsPerLevelMultiplier = 2;
    c.minPromptsPerLevel = 8;
    c.scrapeInterval = std::chrono::milliseconds(100);
    return c;
}

struct Outcome
{
    SweepResult result;
    int levelsStarted = 0;
    int levelsFinished = 0;
    int finishedSignals = 0;
};

Outcome runSweep(const SweepConfig &config, const std::function<void(Sweep &, int, const RunProgress &)> &onProgress = {})
{
    Sweep sweep(config);
    QSignalSpy started(&sweep, &Sweep::levelStarted);
    QSignalSpy levelDone(&sweep, &Sweep::levelFinished);
    QSignalSpy finished(&sweep, &Sweep::finished);
    if (onProgress) {
        QObject::connect(&sweep, &Sweep::levelProgress, &sweep,
                         [&](int index, const RunProgress &p) { onProgress(sweep, index, p); });
    }
    sweep.start();
    Outcome o;
    if (!finished.wait(120000))
        return o;
    QTest::qWait(50);    // a second finished() would arrive now
    o.result = finished.constFirst().constFirst().value<SweepResult>();
    o.levelsStarted = int(started.count());
    o.levelsFinished = int(levelDone.count());
    o.finishedSignals = int(finished.count());
    return o;
}

nlohmann::json readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    return nlohmann::json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
}

} // namespace

class TestSweep : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stopsWhereTheServerSaturates();
    void ttftLimitStopsWithoutServerMetrics();
    void rateSweep();
    void stopKeepsFinishedLevels();
    void unreachableServerEndsTheSweep();
    void promptSourceFailureEndsTheSweep();
    void invalidConfigIsReported();
};

// 16 slots: throughput grows up to concurrency 16, at 32 it stays flat while the server's
// queue holds the other 16. The sweep must stop at 32 with 16 as the stable level and say why.
void TestSweep::stopsWhereTheServerSaturates()
{
    SimServerThread server;
    QVERIFY(server.start(fastSaturating()).ok());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SweepConfig config = sweepAgainst(server, { 1, 4, 16, 32, 64 });
    config.resultDir = dir.path();
    config.filePrefix = QStringLiteral("sat");

    const Outcome o = runSweep(config);
    const SweepResult &r = o.result;
    QCOMPARE(o.finishedSignals, 1);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(int(r.levels.size()), 4);
    QCOMPARE(o.levelsStarted, 4);
    QCOMPARE(o.levelsFinished, 4);
    for (const SweepLevelResult &l : r.levels) {
        QCOMPARE(l.metrics.completed, config.promptsForLevel(l.level));
        QCOMPARE(l.run.config.load.maxConcurrency, int(l.level));
        QVERIFY2(l.server && l.server->samples > 0, qPrintable(QString::number(l.level)));
        QVERIFY(l.meanInFlight <= l.level + 0.01);
    }
    const SweepLevelResult &at16 = r.levels[2];
    const SweepLevelResult &at32 = r.levels[3];
    QVERIFY(at16.brokenRules.isEmpty());
    QVERIFY2(*at16.throughputGainPercent > 50.0, qPrintable(QString::number(*at16.throughputGainPercent)));
    QVERIFY2(at32.brokenRules.contains(SweepRule::ThroughputPlateau), qPrintable(at32.brokenRules.join(u',')));
    QCOMPARE(*at32.server->maxRunning, 16.0);
    QVERIFY(!at16.server->queueGrew(at16.meanInFlight));
    QVERIFY(at32.server->queueGrew(at32.meanInFlight));

    const SweepVerdict &v = r.verdict;
    QCOMPARE(v.stopReason, QString(SweepRule::ThroughputPlateau));
    QCOMPARE(*v.maxStableLevel, 16.0);
    QCOMPARE(*v.kneeLevel, 16.0);
    QCOMPARE(v.saturationSource, SaturationSource::Server);
    QCOMPARE(*v.saturationLevel, 32.0);
    QCOMPARE(*v.serverMaxRunning, 16.0);
    QCOMPARE(v.limits.front().key, QStringLiteral("server_queue"));
    QCOMPARE(v.limits.front().level, 32.0);
    QVERIFY2(r.verdictText.contains(QLatin1String("Highest stable concurrency: 16.")), qPrintable(r.verdictText));
    QVERIFY2(r.verdictText.contains(QLatin1String("at most 16 requests at once")), qPrintable(r.verdictText));

    // One result file per level, readable as a run of its own.
    for (const SweepLevelResult &l : r.levels) {
        const QString path = dir.filePath(QStringLiteral("sat-c%1.json").arg(l.level));
        QCOMPARE(l.resultFile, path);
        QString error;
        const std::optional<ResultFile> file = readResultFile(path, &error);
        QVERIFY2(file, qPrintable(error));
        QCOMPARE(*file->setup.maxConcurrency, int(l.level));
        QCOMPARE(file->metrics.completed, l.metrics.completed);
    }
    // The summary: per level the keys of a run, at the top the verdict's numbers.
    QCOMPARE(r.summaryFile, dir.filePath(QStringLiteral("sat-summary.json")));
    const nlohmann::json summary = readJson(r.summaryFile);
    QVERIFY(summary.is_object());
    QCOMPARE(summary["max_stable_concurrency"].get<int>(), 16);
    QCOMPARE(summary["stop_reason"].get<std::string>(), std::string("throughput_plateau"));
    QCOMPARE(summary["peak_output_throughput"].get<double>(), *v.peakOutputThroughput);
    QCOMPARE(summary["peak_at_concurrency"].get<double>(), *v.peakAtLevel);
    QCOMPARE(summary["knee_concurrency"].get<int>(), 16);
    QCOMPARE(summary["saturation"]["source"].get<std::string>(), std::string("server"));
    QCOMPARE(summary["levels"].size(), std::size_t(4));
    double peak = 0;
    for (const auto &level : summary["levels"]) {
        QVERIFY(level.contains("concurrency") && level.contains("p99_ttft_ms") && level.contains("median_e2el_ms"));
        QVERIFY(!level.contains("latencies"));
        QVERIFY(level["server_metrics"].is_object());
        peak = std::max(peak, level["output_throughput"].get<double>());
    }
    QCOMPARE(peak, *v.peakOutputThroughput);
    QFile csv(r.csvFile);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = csv.readAll().split('\n');
    QCOMPARE(rows.size(), 1 + 4 + 1);     // header, levels, the empty rest after the last CRLF
    QVERIFY(rows[0].startsWith("concurrency,num_prompts,"));
    QVERIFY(rows[4].startsWith("32,"));
    QVERIFY(rows[4].contains("throughput_plateau"));
}

// With the server's metrics off, a p99 TTFT limit stops the sweep at 32 (requests wait a whole
// decode for a slot), and the client's own estimate names the same level.
void TestSweep::ttftLimitStopsWithoutServerMetrics()
{
    SimServerThread server;
    QVERIFY(server.start(fastSaturating()).ok());
    SweepConfig config = sweepAgainst(server, { 16, 32, 64 });
    config.rules.maxP99TtftMs = 250;
    config.rules.minThroughputGainPercent = 0;      // the plateau rule off
    config.scrapeServerMetrics = false;
    const Outcome o = runSweep(config);
    const SweepResult &r = o.result;
    QCOMPARE(int(r.levels.size()), 2);
    QVERIFY(!r.levels[0].server);
    QVERIFY(r.levels[0].brokenRules.isEmpty());
    QCOMPARE(r.levels[1].brokenRules, QStringList { QString(SweepRule::SloTtft) });
    QCOMPARE(r.verdict.stopReason, QString(SweepRule::SloTtft));
    QCOMPARE(*r.verdict.maxStableLevel, 16.0);
    QCOMPARE(r.verdict.saturationSource, SaturationSource::Client);
    QCOMPARE(*r.verdict.saturationLevel, 32.0);
    QVERIFY2(r.verdictText.contains(QLatin1String("p99 time to first token")), qPrintable(r.verdictText));
    QVERIFY(r.summaryFile.isEmpty());               // no result directory, no files
    QVERIFY(r.levels[0].resultFile.isEmpty());
}

void TestSweep::rateSweep()
{
    SimServerThread server;
    QVERIFY(server.start(fastSaturating()).ok());
    QTemporaryDir dir;
    SweepConfig config = sweepAgainst(server, { 5, 10 });
    config.mode = SweepMode::RequestRate;
    config.fixedPromptsPerLevel = 10;
    config.base.load.maxConcurrency = 64;
    config.resultDir = dir.path();
    config.filePrefix = QStringLiteral("rate");
    const Outcome o = runSweep(config);
    const SweepResult &r = o.result;
    QCOMPARE(int(r.levels.size()), 2);
    QCOMPARE(r.levels[1].run.config.load.requestRate, 10.0);
    QCOMPARE(r.levels[1].run.config.load.maxConcurrency, 64);
    QCOMPARE(r.levels[1].metrics.completed, 10);
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("rate-r5.json"))));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("rate-r10.json"))));
    const nlohmann::json summary = readJson(r.summaryFile);
    QCOMPARE(summary["sweep_mode"].get<std::string>(), std::string("rate"));
    QVERIFY(summary.contains("max_stable_request_rate") && summary.contains("peak_at_request_rate"));
    QCOMPARE(summary["levels"][1]["request_rate"].get<double>(), 10.0);
}

void TestSweep::stopKeepsFinishedLevels()
{
    SimServerThread server;
    QVERIFY(server.start(fastSaturating()).ok());
    SweepConfig config = sweepAgainst(server, { 1, 4, 16 });
    const Outcome o = runSweep(config, [](Sweep &sweep, int index, const RunProgress &p) {
        if (index == 1 && p.succeeded >= 2)
            sweep.stop();
    });
    const SweepResult &r = o.result;
    QCOMPARE(o.finishedSignals, 1);
    QVERIFY(r.stopped);
    QCOMPARE(int(r.levels.size()), 2);
    QVERIFY(!r.levels[0].partial);
    QCOMPARE(r.levels[0].metrics.completed, 8);
    QVERIFY(r.levels[1].partial);
    QCOMPARE(r.verdict.stopReason, QStringLiteral("stopped"));
    QCOMPARE(*r.verdict.stopLevelIndex, 1);
    QCOMPARE(*r.verdict.maxStableLevel, 1.0);
    QCOMPARE(r.verdict.evaluatedLevels, 1);
}

void TestSweep::unreachableServerEndsTheSweep()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    SweepConfig config;
    config.levels = { 1, 2 };
    config.base.target.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    config.base.target.model = QStringLiteral("m");
    const Outcome o = runSweep(config);
    QCOMPARE(o.finishedSignals, 1);
    QCOMPARE(int(o.result.levels.size()), 1);
    QVERIFY(!o.result.levels[0].run.error.isEmpty());
    QCOMPARE(o.result.verdict.stopReason, QStringLiteral("error"));
    QVERIFY(!o.result.verdict.maxStableLevel);
}

void TestSweep::promptSourceFailureEndsTheSweep()
{
    SimServerThread server;
    QVERIFY(server.start(fastSaturating()).ok());
    SweepConfig config = sweepAgainst(server, { 1, 2, 4 });
    int calls = 0;
    config.promptSource = [&calls](int index, int numPrompts, std::uint64_t seed, QString *error) {
        ++calls;
        if (index == 1) {
            *error = QStringLiteral("the file ran dry");
            return std::vector<PromptSpec>();
        }
        RandomDatasetConfig random;
        random.inputLen = 16;
        random.outputLen = 4;
        return makeRandomPrompts(random, numPrompts, seed);
    };
    const Outcome o = runSweep(config);
    QCOMPARE(calls, 2);
    QCOMPARE(o.finishedSignals, 1);
    QCOMPARE(int(o.result.levels.size()), 2);
    QCOMPARE(o.result.levels[0].metrics.completed, 8);
    QCOMPARE(o.result.levels[0].metrics.totalOutputTokens, qint64(8 * 4));
    QCOMPARE(o.result.levels[1].run.error, QStringLiteral("the file ran dry"));
    QCOMPARE(o.result.verdict.stopReason, QStringLiteral("error"));
    QCOMPARE(*o.result.verdict.maxStableLevel, 1.0);
}

void TestSweep::invalidConfigIsReported()
{
    SweepConfig config;          // no levels
    const Outcome o = runSweep(config);
    QCOMPARE(o.finishedSignals, 1);
    QVERIFY(!o.result.error.isEmpty());
    QVERIFY(o.result.levels.empty());
    QCOMPARE(o.levelsStarted, 0);
}

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
