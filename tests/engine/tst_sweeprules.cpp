#include "sweep/sweepconfig.h"
#include "sweep/sweeplevel.h"
#include "sweep/sweepprompts.h"
#include "sweep/sweepverdict.h"

#include <QTest>

#include <cmath>

using namespace ts;

namespace {

struct Point
{
    double level;
    double throughput;            // output tokens/s
    double successPercent = 100;
    double p99TtftMs = 100;
    double medianTtftMs = 50;
    double medianE2elMs = 2000;
};

SweepLevelResult makeLevel(int index, const Point &p)
{
    SweepLevelResult l;
    l.index = index;
    l.level = p.level;
    BenchmarkMetrics &m = l.metrics;
    m.completed = int(std::lround(p.successPercent * 10));
    m.failed = 1000 - m.completed;
    m.outputThroughput = p.throughput;
    m.duration = 10;
    const auto summary = [&](double median, double p99) {
        MetricSummary s;
        s.count = m.completed;
        s.mean = median;
        s.median = median;
        s.percentiles = { { 99.0, p99 } };
        return s;
    };
    m.ttftMs = summary(p.medianTtftMs, p.p99TtftMs);
    m.tpotMs = summary(20, 25);
    m.e2elMs = summary(p.medianE2elMs, p.medianE2elMs * 1.2);
    l.successRatePercent = m.successRatePercent();
    l.meanInFlight = p.level;
    l.meanGenerating = p.level * 0.95;
    return l;
}

// What a Sweep does with its levels: evaluate each against the earlier ones and stop at the
// first broken rule (unless told to run them all).
std::vector<SweepLevelResult> sweepOver(const std::vector<Point> &points, const SweepStopRules &rules)
{
    std::vector<SweepLevelResult> levels;
    for (std::size_t i = 0; i < points.size(); ++i) {
        SweepLevelResult l = makeLevel(int(i), points[i]);
        evaluateLevel(l, levels, rules);
        levels.push_back(l);
        if (rules.stopAtLimit && !l.brokenRules.isEmpty())
            break;
    }
    return levels;
}

SweepConfig configFor(const std::vector<Point> &points, SweepStopRules rules = {})
{
    SweepConfig c;
    for (const Point &p : points)
        c.levels.push_back(p.level);
    c.rules = rules;
    return c;
}

} // namespace

class TestSweepRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseLevels_data();
    void parseLevels();
    void promptsPerLevel();
    void levelConfigSetsTheLevel();
    void promptSources();
    void validation();
    void plateauStopsAfterTheKnee();
    void rulesBreak_data();
    void rulesBreak();
    void firstLevelBrokenMeansNoStableLevel();
    void completedSweepHasNoKnee();
    void runAllLevelsKeepsGoing();
    void serverQueueIsTheFirstLimit();
    void clientEstimateWithoutServerMetrics();
    void failedAndStoppedLevels();
    void rateModeSpeaksOfRates();
};

void TestSweepRules::parseLevels_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("rates");
    QTest::addColumn<int>("count");      // -1: rejected
    QTest::addRow("default style") << QStringLiteral("1,5,10,20,50") << false << 5;
    QTest::addRow("blanks") << QStringLiteral(" 1 2  4 ") << false << 3;
    QTest::addRow("fraction as concurrency") << QStringLiteral("1,2.5") << false << -1;
    QTest::addRow("zero concurrency") << QStringLiteral("0,1") << false << -1;
    QTest::addRow("not rising") << QStringLiteral("1,5,5") << false << -1;
    QTest::addRow("falling") << QStringLiteral("10,5") << false << -1;
    QTest::addRow("empty") << QStringLiteral(" , ") << false << -1;
    QTest::addRow("word") << QStringLiteral("1,many") << false << -1;
    QTest::addRow("rates") << QStringLiteral("0.5,1,2.5") << true << 3;
    QTest::addRow("negative rate") << QStringLiteral("-1,2") << true << -1;
    QTest::addRow("infinite rate") << QStringLiteral("1,inf") << true << -1;
}

void TestSweepRules::parseLevels()
{
    QFETCH(QString, text);
    QFETCH(bool, rates);
    QFETCH(int, count);
    QString error;
    const auto levels = parseSweepLevels(text, rates ? SweepMode::RequestRate : SweepMode::Concurrency, &error);
    if (count < 0) {
        QVERIFY(!levels);
        QVERIFY(!error.isEmpty());
    } else {
        QVERIFY2(levels, qPrintable(error));
        QCOMPARE(int(levels->size()), count);
        for (std::size_t i = 1; i < levels->size(); ++i)
            QVERIFY((*levels)[i] > (*levels)[i - 1]);
    }
}

void TestSweepRules::promptsPerLevel()
{
    SweepConfig c;
    c.levels = defaultConcurrencyLevels();
    QCOMPARE(c.levels, (std::vector<double> { 1, 5, 10, 20, 50, 100, 200, 500 }));
    // Concurrency: five per level, at least 50.
    QCOMPARE(c.promptsForLevel(1), 50);
    QCOMPARE(c.promptsForLevel(10), 50);
    QCOMPARE(c.promptsForLevel(20), 100);
    QCOMPARE(c.promptsForLevel(500), 2500);
    c.minPromptsPerLevel = 8;
    c.promptsPerLevelMultiplier = 2.5;
    QCOMPARE(c.promptsForLevel(3), 8);
    QCOMPARE(c.promptsForLevel(7), 18);   // ceil(17.5)
    // Rate: about thirty seconds of arrivals.
    SweepConfig r;
    r.mode = SweepMode::RequestRate;
    QCOMPARE(r.promptsForLevel(0.5), 50);
    QCOMPARE(r.promptsForLevel(4), 120);
    r.fixedPromptsPerLevel = 77;
    QCOMPARE(r.promptsForLevel(4), 77);
}

void TestSweepRules::levelConfigSetsTheLevel()
{
    SweepConfig c;
    c.levels = { 4, 16 };
    c.base.load.seed = 7;
    c.base.load.numPrompts = 1000;
    c.base.metrics.percentileMetrics = { QStringLiteral("ttft") };
    c.base.metrics.percentiles = { 90.0 };
    const BenchmarkConfig level = c.levelConfig(1);
    QCOMPARE(level.load.maxConcurrency, 16);
    QCOMPARE(level.load.numPrompts, c.promptsForLevel(16));
    QCOMPARE(level.load.seed, std::uint64_t(8));
    QVERIFY(level.metrics.percentileMetrics.contains(QStringLiteral("e2el")));
    QVERIFY(level.metrics.percentileMetrics.contains(QStringLiteral("tpot")));
    QCOMPARE(level.metrics.percentiles, (std::vector<double> { 90.0, 99.0 }));
    QVERIFY(!level.load.hasFiniteRate());

    SweepConfig r;
    r.mode = SweepMode::RequestRate;
    r.levels = { 2.5 };
    r.base.load.maxConcurrency = 32;
    const BenchmarkConfig rate = r.levelConfig(0);
    QCOMPARE(rate.load.requestRate, 2.5);
    QCOMPARE(rate.load.maxConcurrency, 32);
}

void TestSweepRules::promptSources()
{
    SweepConfig c;
    c.levels = { 1, 20, 30 };
    QCOMPARE(plannedPrompts(c), 50 + 100 + 150);
    QVERIFY(isFileDataset(QStringLiteral("sharegpt")));
    QVERIFY(!isFileDataset(QStringLiteral("random")));

    // A pool is dealt out level by level, and starts over when it runs out.
    std::vector<PromptSpec> pool;
    for (int i = 0; i < 5; ++i)
        pool.push_back({ QString::number(i), i, 0 });
    const SweepPromptSource source = promptsFromPool(pool);
    QString error;
    const auto texts = [](const std::vector<PromptSpec> &prompts) {
        QStringList out;
        for (const PromptSpec &p : prompts)
            out << p.prompt;
        return out;
    };
    QCOMPARE(texts(source(0, 3, 0, &error)), (QStringList { QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2") }));
    QCOMPARE(texts(source(1, 4, 1, &error)), (QStringList { QStringLiteral("3"), QStringLiteral("4"), QStringLiteral("0"), QStringLiteral("1") }));
    QVERIFY(error.isEmpty());
    QVERIFY(promptsFromPool({})(0, 3, 0, &error).empty());
    QVERIFY(!error.isEmpty());

    // A synthetic dataset is built per level with the level's count and seed.
    DatasetConfig random;
    random.random.inputLen = 20;
    random.random.outputLen = 7;
    const SweepPromptSource perLevel = promptsFromDataset(random, nullptr);
    const std::vector<PromptSpec> a = perLevel(0, 6, 0, &error);
    const std::vector<PromptSpec> b = perLevel(1, 6, 1, &error);
    QCOMPARE(int(a.size()), 6);
    QCOMPARE(a.front().expectedOutputTokens, 7);
    QVERIFY(a.front().prompt != b.front().prompt);
    QCOMPARE(texts(perLevel(0, 6, 0, &error)), texts(a));   // same seed, same prompts
}

void TestSweepRules::validation()
{
    SweepConfig c;
    QVERIFY(!sweepValidationError(c).isEmpty());          // no levels
    c.levels = { 1, 2 };
    QVERIFY2(sweepValidationError(c).isEmpty(), qPrintable(sweepValidationError(c)));
    c.levels = { 2, 1 };
    QVERIFY(!sweepValidationError(c).isEmpty());
    c.levels = { 1, 2 };
    c.rules.minSuccessRatePercent = 120;
    QVERIFY(!sweepValidationError(c).isEmpty());
    c.rules.minSuccessRatePercent = 95;
    c.rules.maxP99TtftMs = -5;
    QVERIFY(!sweepValidationError(c).isEmpty());
    c.rules.maxP99TtftMs.reset();
    c.base.multiTurn = true;                               // levels send single prompts
    QVERIFY(sweepValidationError(c).contains(QStringLiteral("multi-turn")));
    c.base.multiTurn = false;
    c.base.random.outputLen = 0;                           // the runs themselves are checked too
    QVERIFY(!sweepValidationError(c).isEmpty());
}

// Throughput rises until the server is full, then stays: the sweep stops at the first level
// that gains less than 5%, the level before it is the highest stable one and the knee.
void TestSweepRules::plateauStopsAfterTheKnee()
{
    const std::vector<Point> points { { 1, 100 }, { 2, 190 }, { 4, 350 }, { 8, 600 }, { 16, 610 }, { 32, 612 } };
    const SweepConfig config = configFor(points);
    const auto levels = sweepOver(points, config.rules);
    QCOMPARE(int(levels.size()), 5);
    QCOMPARE(levels.back().brokenRules, QStringList { QString(SweepRule::ThroughputPlateau) });
    QCOMPARE(*levels.back().throughputGainPercent, 100.0 * (610.0 / 600.0 - 1.0));
    QCOMPARE(*levels[1].gainPerDoublingPercent, 90.0);
    QCOMPARE(*levels[3].gainPerDoublingPercent, 100.0 * (600.0 / 350.0 - 1.0));

    const SweepVerdict v = computeVerdict(config, levels, false);
    QCOMPARE(v.stopReason, QString(SweepRule::ThroughputPlateau));
    QCOMPARE(*v.stopLevelIndex, 4);
    QCOMPARE(*v.maxStableLevel, 8.0);
    QCOMPARE(*v.peakOutputThroughput, 610.0);
    QCOMPARE(*v.peakAtLevel, 16.0);
    QCOMPARE(*v.kneeLevel, 8.0);
    QCOMPARE(*v.gainPerDoublingBeforeKneePercent, 100.0 * (std::cbrt(600.0 / 100.0) - 1.0));
    QCOMPARE(*v.gainPerDoublingAfterKneePercent, 100.0 * (610.0 / 600.0 - 1.0));
    QCOMPARE(int(v.limits.size()), 1);
    QCOMPARE(v.limits.front().key, QString(SweepRule::ThroughputPlateau));
    QCOMPARE(v.saturationSource, SaturationSource::None);

    const QString text = sweepVerdictText(config, levels, v);
    QVERIFY2(text.contains(QLatin1String("Highest stable concurrency: 8.")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("stopped at concurrency 16")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("610.0 tokens/s")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("knee is at concurrency 8")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("by 82%")), qPrintable(text));   // (600/100)^(1/3) - 1
    QVERIFY2(text.contains(QLatin1String("First limit reached: the throughput plateau")), qPrintable(text));
}

void TestSweepRules::rulesBreak_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<double>("successPercent");
    QTest::addColumn<double>("p99TtftMs");
    QTest::addRow("success rate") << QString(SweepRule::SuccessRate) << 90.0 << 100.0;
    QTest::addRow("success rate at the limit passes") << QString() << 95.0 << 100.0;
    QTest::addRow("ttft slo") << QString(SweepRule::SloTtft) << 100.0 << 900.0;
    QTest::addRow("ttft at the limit passes") << QString() << 100.0 << 500.0;
}

void TestSweepRules::rulesBreak()
{
    QFETCH(QString, rule);
    QFETCH(double, successPercent);
    QFETCH(double, p99TtftMs);
    SweepStopRules rules;
    rules.maxP99TtftMs = 500;
    const std::vector<Point> points { { 1, 100 }, { 2, 200 }, { 4, 400, successPercent, p99TtftMs }, { 8, 800 } };
    const SweepConfig config = configFor(points, rules);
    const auto levels = sweepOver(points, rules);
    const SweepVerdict v = computeVerdict(config, levels, false);
    if (rule.isEmpty()) {
        QCOMPARE(int(levels.size()), 4);
        QCOMPARE(v.stopReason, QStringLiteral("completed"));
        QCOMPARE(*v.maxStableLevel, 8.0);
        return;
    }
    QCOMPARE(int(levels.size()), 3);
    QCOMPARE(levels.back().brokenRules, QStringList { rule });
    QCOMPARE(v.stopReason, rule);
    QCOMPARE(*v.maxStableLevel, 2.0);
    const QString text = sweepVerdictText(config, levels, v);
    QVERIFY2(text.contains(QLatin1String("stopped at concurrency 4")), qPrintable(text));
    QVERIFY2(text.contains(rule == SweepRule::SuccessRate ? QLatin1String("90.0% of requests") : QLatin1String("900 ms")),
             qPrintable(text));
}

void TestSweepRules::firstLevelBrokenMeansNoStableLevel()
{
    SweepStopRules rules;
    rules.maxP99TtftMs = 50;
    const std::vector<Point> points { { 1, 100, 100, 80 }, { 2, 200 } };
    const auto levels = sweepOver(points, rules);
    const SweepVerdict v = computeVerdict(configFor(points, rules), levels, false);
    QVERIFY(!v.maxStableLevel);
    QCOMPARE(v.stopReason, QString(SweepRule::SloTtft));
    QVERIFY(sweepVerdictText(configFor(points, rules), levels, v).contains(QLatin1String("No level was stable")));
}

void TestSweepRules::completedSweepHasNoKnee()
{
    const std::vector<Point> points { { 1, 100 }, { 2, 200 }, { 4, 400 } };
    const SweepConfig config = configFor(points);
    const auto levels = sweepOver(points, config.rules);
    const SweepVerdict v = computeVerdict(config, levels, false);
    QCOMPARE(v.stopReason, QStringLiteral("completed"));
    QVERIFY(!v.kneeLevel);
    QCOMPARE(*v.maxStableLevel, 4.0);
    QCOMPARE(*v.gainPerDoublingBeforeKneePercent, 100.0);
    QVERIFY(v.limits.empty());
    const QString text = sweepVerdictText(config, levels, v);
    QVERIFY2(text.contains(QLatin1String("No knee yet")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("No limit was reached")), qPrintable(text));
}

void TestSweepRules::runAllLevelsKeepsGoing()
{
    SweepStopRules rules;
    rules.stopAtLimit = false;
    const std::vector<Point> points { { 1, 100 }, { 2, 200 }, { 4, 205 }, { 8, 300 }, { 16, 100, 50 } };
    const auto levels = sweepOver(points, rules);
    QCOMPARE(int(levels.size()), 5);
    // Gains are against the best earlier level, whichever broke a rule.
    QCOMPARE(*levels[3].throughputGainPercent, 100.0 * (300.0 / 205.0 - 1.0));
    QVERIFY(levels[3].brokenRules.isEmpty());
    QCOMPARE(levels[4].brokenRules, (QStringList { QString(SweepRule::SuccessRate), QString(SweepRule::ThroughputPlateau) }));
    const SweepVerdict v = computeVerdict(configFor(points, rules), levels, false);
    QCOMPARE(*v.maxStableLevel, 2.0);
    QCOMPARE(v.stopReason, QString(SweepRule::ThroughputPlateau));
    QCOMPARE(*v.peakAtLevel, 8.0);
    QCOMPARE(int(v.limits.size()), 2);
    QCOMPARE(v.limits[0].level, 4.0);
    QCOMPARE(v.limits[1].key, QString(SweepRule::SuccessRate));
    QVERIFY(sweepVerdictText(configFor(points, rules), levels, v).contains(QLatin1String("first level past a limit was concurrency 4")));
}

// The server says it ran 16 and queued the rest from concurrency 32 on: that is the first
// limit, even though the plateau rule only fires at 64.
void TestSweepRules::serverQueueIsTheFirstLimit()
{
    const std::vector<Point> points { { 8, 400 }, { 16, 760 }, { 32, 800 }, { 64, 805 } };
    const SweepConfig config = configFor(points);
    std::vector<SweepLevelResult> levels;
    const double running[] = { 8, 16, 16, 16 };
    const double waiting[] = { 0, 0, 16, 48 };
    for (std::size_t i = 0; i < points.size(); ++i) {
        SweepLevelResult l = makeLevel(int(i), points[i]);
        ServerLevelStats s;
        s.kind = ServerKind::Vllm;
        s.samples = 10;
        s.maxRunning = running[i];
        s.medianWaiting = waiting[i];
        s.maxKvCacheUsage = 0.3;
        l.server = s;
        l.meanInFlight = points[i].level;
        evaluateLevel(l, levels, config.rules);
        levels.push_back(l);
        if (!l.brokenRules.isEmpty())
            break;
    }
    QCOMPARE(int(levels.size()), 4);
    const SweepVerdict v = computeVerdict(config, levels, false);
    // Requests queue at 32, so the last stable level is the one before it.
    QCOMPARE(*v.maxStableLevel, 16.0);
    QCOMPARE(v.saturationSource, SaturationSource::Server);
    QCOMPARE(*v.saturationLevel, 32.0);
    QCOMPARE(*v.serverMaxRunning, 16.0);
    QCOMPARE(v.limits.front().key, QStringLiteral("server_queue"));
    QCOMPARE(v.limits.front().level, 32.0);
    QCOMPARE(*v.kneeLevel, 16.0);
    const QString text = sweepVerdictText(config, levels, v);
    QVERIFY2(text.contains(QLatin1String("request queue, at concurrency 32")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("at most 16 requests at once")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("Highest stable concurrency: 16.")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("Every level stayed within the limits")), qPrintable(text));

    // One request waiting for the scheduler's next step, out of 16 in flight, is no queue.
    levels[1].server->medianWaiting = 1;
    QCOMPARE(*computeVerdict(config, levels, false).saturationLevel, 32.0);
    levels[1].server->medianWaiting = 0;

    // A full KV cache at the same level is named before the queue it causes.
    levels[2].server->maxKvCacheUsage = 0.97;
    const SweepVerdict kv = computeVerdict(config, levels, false);
    QCOMPARE(kv.limits.front().key, QStringLiteral("kv_cache"));
    QCOMPARE(kv.limits[1].key, QStringLiteral("server_queue"));
}

void TestSweepRules::clientEstimateWithoutServerMetrics()
{
    // The median TTFT jumps by far more than a fifth of the decode time at 32.
    const std::vector<Point> points { { 8, 400, 100, 100, 50, 2000 }, { 16, 760, 100, 150, 80, 2100 },
                                      { 32, 790, 100, 2500, 1900, 4000 } };
    const SweepConfig config = configFor(points);
    const auto levels = sweepOver(points, config.rules);
    SweepVerdict v = computeVerdict(config, levels, false);
    QCOMPARE(v.saturationSource, SaturationSource::Client);
    QCOMPARE(*v.saturationLevel, 32.0);
    QCOMPARE(v.limits.front().key, QStringLiteral("client_queue"));
    QCOMPARE(*v.maxStableLevel, 16.0);
    QVERIFY(sweepVerdictText(config, levels, v).contains(QLatin1String("client's estimate")));

    // Or: the load doubles, but no more requests are generating at once.
    std::vector<SweepLevelResult> stalled;
    const std::vector<Point> flat { { 4, 400 }, { 8, 700 }, { 16, 760 } };
    for (std::size_t i = 0; i < flat.size(); ++i) {
        SweepLevelResult l = makeLevel(int(i), flat[i]);
        evaluateLevel(l, stalled, config.rules);
        stalled.push_back(l);
    }
    stalled[2].meanGenerating = stalled[1].meanGenerating * 1.05;
    v = computeVerdict(configFor(flat), stalled, false);
    QCOMPARE(v.saturationSource, SaturationSource::Client);
    QCOMPARE(*v.saturationLevel, 16.0);
    // A server with 8 slots: generating stalls at 16, so 16 is not stable.
    QCOMPARE(*v.maxStableLevel, 8.0);
    const QString text = sweepVerdictText(configFor(flat), stalled, v);
    QVERIFY2(text.contains(QLatin1String("Highest stable concurrency: 8.")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("First limit reached at concurrency 16")), qPrintable(text));
}

void TestSweepRules::failedAndStoppedLevels()
{
    const std::vector<Point> points { { 1, 100 }, { 2, 200 }, { 4, 380 } };
    const SweepConfig config = configFor(points);
    auto levels = sweepOver(points, config.rules);
    levels[2].run.error = QStringLiteral("Connection refused");
    evaluateLevel(levels[2], { levels[0], levels[1] }, config.rules);
    SweepVerdict v = computeVerdict(config, levels, false);
    QCOMPARE(v.stopReason, QStringLiteral("error"));
    QCOMPARE(*v.stopLevelIndex, 2);
    QCOMPARE(*v.maxStableLevel, 2.0);
    QCOMPARE(v.evaluatedLevels, 2);
    QVERIFY(sweepVerdictText(config, levels, v).contains(QLatin1String("Connection refused")));

    levels[2].run.error.clear();
    levels[2].partial = true;
    v = computeVerdict(config, levels, true);
    QCOMPARE(v.stopReason, QStringLiteral("stopped"));
    QCOMPARE(*v.peakAtLevel, 2.0);          // the stopped level does not count
    QVERIFY(sweepVerdictText(config, levels, v).contains(QLatin1String("You stopped the sweep during concurrency 4")));
}

void TestSweepRules::rateModeSpeaksOfRates()
{
    const std::vector<Point> points { { 1, 100 }, { 2, 200 }, { 4, 380 }, { 8, 390 } };
    SweepConfig config = configFor(points);
    config.mode = SweepMode::RequestRate;
    const auto levels = sweepOver(points, config.rules);
    const SweepVerdict v = computeVerdict(config, levels, false);
    QCOMPARE(*v.maxStableLevel, 4.0);
    const QString text = sweepVerdictText(config, levels, v);
    QVERIFY2(text.contains(QLatin1String("Highest stable request rate: 4 requests/s.")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("doubling of the request rate")), qPrintable(text));
    QCOMPARE(sweepLevelPhrase(SweepMode::RequestRate, 2.5), QStringLiteral("2.5 requests/s"));
}

QTEST_GUILESS_MAIN(TestSweepRules)
#include "tst_sweeprules.moc"
