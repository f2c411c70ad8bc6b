#include "sweep/sweepfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace ts;

namespace {

// A level of `count` requests at `level` concurrency: every request takes longer as the level
// grows past 16 (it waits for a slot), and throughput stops rising there, as on a server with
// 16 slots. `failures` of them fail.
SweepLevelResult makeLevel(const SweepConfig &config, int index, int failures = 0)
{
    const double level = config.levels.at(std::size_t(index));
    RunResult run;
    run.config = config.levelConfig(index);
    run.date = QDateTime(QDate(2026, 3, 1), QTime(12, 0, 0));
    const int count = run.config.load.numPrompts;
    run.requested = count;
    const double decode = 1.0 + 0.02 * std::min(level, 16.0);
    const double wait = level > 16 ? decode * (level / 16.0 - 1.0) : 0.0;
    for (int i = 0; i < count; ++i) {
        RequestRecord r;
        r.index = i;
        r.success = i >= failures;
        if (!r.success) {
            r.error = QStringLiteral("HTTP 503");
            run.records.push_back(r);
            continue;
        }
        r.promptTokens = 32;
        r.outputTokens = 32;
        r.outputTokenSource = TokenCountSource::Server;
        r.startTime = 0.01 * i;
        r.ttft = 0.05 + wait + 0.001 * (i % 7);
        r.latency = r.ttft + decode;
        r.itl.assign(31, decode / 31.0);
        run.records.push_back(r);
    }
    run.duration = (wait + decode + 0.05) * std::ceil(double(count) / std::min(level, 16.0));
    SweepLevelResult l = analyzeLevel(index, level, run);
    if (level >= 16) {
        ServerLevelStats server;
        server.kind = ServerKind::BuiltIn;
        server.samples = 5;
        server.maxRunning = std::min(level, 16.0);
        server.meanRunning = std::min(level, 16.0) - 0.5;
        server.medianWaiting = std::max(0.0, level - 16.0);
        server.maxWaiting = std::max(0.0, level - 16.0);
        server.maxKvCacheUsage = 0.4;
        l.server = server;
    }
    return l;
}

SweepResult makeSweep(SweepMode mode)
{
    SweepResult r;
    SweepConfig &c = r.config;
    c.mode = mode;
    c.levels = { 1, 4, 16, 32, 64 };
    c.base.target.model = QStringLiteral("org/model-7b");
    c.base.label = QStringLiteral("lab");
    c.base.random.inputLen = 32;
    c.base.random.outputLen = 32;
    if (mode == SweepMode::RequestRate)
        c.base.load.maxConcurrency = 16;
    c.promptsPerLevelMultiplier = 2;
    c.minPromptsPerLevel = 8;
    c.rules.minSuccessRatePercent = 80;   // the level with a failure stays within it
    c.rules.maxP99TtftMs = 5000;
    c.rules.minThroughputGainPercent = 5;
    r.date = QDateTime(QDate(2026, 3, 1), QTime(12, 0, 0));
    for (int i = 0; i < int(c.levels.size()); ++i) {
        SweepLevelResult l = makeLevel(c, i, i == 1 ? 1 : 0);
        l.resultFile = QStringLiteral("/somewhere/lab-c%1.json").arg(l.level);
        evaluateLevel(l, r.levels, c.rules);
        r.levels.push_back(l);
        if (!l.brokenRules.isEmpty())
            break;
    }
    r.verdict = computeVerdict(c, r.levels, false);
    r.verdictText = sweepVerdictText(c, r.levels, r.verdict);
    return r;
}

} // namespace

// A sweep summary written by sweepSummaryJson() reads back into the same levels, numbers and
// verdict, so the desktop app can show a finished sweep from its file.
class TestSweepFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaryReadsBack_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addRow("concurrency") << int(SweepMode::Concurrency);
        QTest::addRow("rate") << int(SweepMode::RequestRate);
    }

    void summaryReadsBack()
    {
        QFETCH(int, mode);
        const SweepResult original = makeSweep(SweepMode(mode));
        QVERIFY(original.levels.size() >= 3);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SweepResult written = original;
        QString error;
        QVERIFY2(writeSweepSummary(written, dir.path(), &error), qPrintable(error));

        bool isSweep = false;
        const std::optional<SweepResult> read = readSweepSummary(written.summaryFile, &error, &isSweep);
        QVERIFY2(read, qPrintable(error));
        QVERIFY(isSweep);
        QCOMPARE(read->summaryFile, written.summaryFile);
        QCOMPARE(read->config.mode, original.config.mode);
        QCOMPARE(read->config.levels, original.config.levels);
        QCOMPARE(read->config.minPromptsPerLevel, 8);
        QCOMPARE(read->config.promptsMultiplier(), 2.0);
        QCOMPARE(read->config.rules.maxP99TtftMs, original.config.rules.maxP99TtftMs);
        QVERIFY(!read->config.rules.maxP99TpotMs);
        QCOMPARE(read->config.rules.minThroughputGainPercent, 5.0);
        QCOMPARE(read->config.base.target.model, QStringLiteral("org/model-7b"));
        QCOMPARE(read->config.base.label, QStringLiteral("lab"));
        QCOMPARE(read->date, original.date);

        QCOMPARE(read->levels.size(), original.levels.size());
        for (std::size_t i = 0; i < original.levels.size(); ++i) {
            const SweepLevelResult &a = original.levels[i];
            const SweepLevelResult &b = read->levels[i];
            QCOMPARE(b.index, a.index);
            QCOMPARE(b.level, a.level);
            QCOMPARE(b.metrics.completed, a.metrics.completed);
            QCOMPARE(b.metrics.failed, a.metrics.failed);
            QCOMPARE(b.metrics.outputThroughput, a.metrics.outputThroughput);
            QCOMPARE(b.metrics.ttftMs.median, a.metrics.ttftMs.median);
            QCOMPARE(p99Ms(b.metrics, u"e2el"), p99Ms(a.metrics, u"e2el"));
            QCOMPARE(b.successRatePercent, a.successRatePercent);
            QCOMPARE(b.meanInFlight, a.meanInFlight);
            QCOMPARE(b.throughputGainPercent, a.throughputGainPercent);
            QCOMPARE(b.brokenRules, a.brokenRules);
            QCOMPARE(b.run.config.load.numPrompts, a.run.config.load.numPrompts);
            QCOMPARE(b.server.has_value(), a.server.has_value());
            if (a.server) {
                QCOMPARE(b.server->kind, ServerKind::BuiltIn);
                QCOMPARE(b.server->medianWaiting, a.server->medianWaiting);
            }
            // The level's file is found next to the summary.
            QCOMPARE(b.resultFile, QDir(dir.path()).filePath(QFileInfo(a.resultFile).fileName()));
        }
        const SweepVerdict &v = read->verdict;
        QCOMPARE(v.stopReason, original.verdict.stopReason);
        QCOMPARE(v.maxStableLevel, original.verdict.maxStableLevel);
        QCOMPARE(v.peakAtLevel, original.verdict.peakAtLevel);
        QCOMPARE(v.kneeLevel, original.verdict.kneeLevel);
        QCOMPARE(v.saturationLevel, original.verdict.saturationLevel);
        QCOMPARE(read->verdictText, original.verdictText);
        // The data really saturates at 16: the file must say so.
        QCOMPARE(*v.maxStableLevel, 16.0);
        QCOMPARE(v.stopReason, QString(SweepRule::ThroughputPlateau));
    }

    void otherFilesAreNotSweeps_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("isSweep");
        QTest::addRow("single result") << QByteArray("{\"date\": \"20260301-120000\", \"duration\": 1.0, \"completed\": 3}") << false;
        QTest::addRow("not json") << QByteArray("{ not json") << false;
        QTest::addRow("mode without levels") << QByteArray("{\"sweep_mode\": \"concurrency\"}") << false;
        QTest::addRow("unreadable level") << QByteArray("{\"sweep_mode\": \"concurrency\", \"levels\": [{\"concurrency\": 4}]}") << true;
    }

    void otherFilesAreNotSweeps()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, isSweep);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("file.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        QString error;
        bool sweep = !isSweep;
        QVERIFY(!readSweepSummary(path, &error, &sweep));
        QCOMPARE(sweep, isSweep);
        QVERIFY(error.contains(QStringLiteral("file.json")));
    }
};

QTEST_GUILESS_MAIN(TestSweepFiles)
#include "tst_sweepfiles.moc"
