// The exercises' answers: on hand-made records, sweeps and runs, and on real runs against the
// built-in server's classroom preset over sockets.

#include "datasets/randomdataset.h"
#include "load/benchmarkrunner.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "sweep/sweepverdict.h"
#include "views/exercises.h"
#include "simrun.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace ts;

namespace {

RequestRecord record(int index, double start, double ttft, double latency, int outputTokens = 10)
{
    RequestRecord r;
    r.index = index;
    r.success = true;
    r.startTime = start;
    r.ttft = ttft;
    r.latency = latency;
    r.outputTokens = outputTokens;
    return r;
}

ResultDocument documentOf(std::vector<RequestRecord> records, int concurrency)
{
    RunResult run;
    run.config.load.maxConcurrency = concurrency;
    run.config.metrics.percentiles = { 99.0 };
    double end = 0.0;
    for (const RequestRecord &r : records)
        end = std::max(end, r.startTime + r.latency);
    run.records = std::move(records);
    run.duration = end;
    run.requested = int(run.records.size());
    return documentFromRun(run);
}

SweepLevelResult sweepLevel(int index, double level, double throughput)
{
    SweepLevelResult l;
    l.index = index;
    l.level = level;
    l.metrics.completed = 10;
    l.metrics.duration = 10;
    l.metrics.outputThroughput = throughput;
    MetricSummary s;
    s.count = 10;
    s.mean = s.median = 100;
    s.percentiles = { { 99.0, 150.0 } };
    l.metrics.ttftMs = l.metrics.tpotMs = l.metrics.e2elMs = s;
    l.successRatePercent = 100;
    l.meanInFlight = level;
    l.meanGenerating = level * 0.95;
    return l;
}

// Levels 1, 2, 4, 8 of a server with 4 slots: throughput flat from 4 on.
SweepResult handMadeSweep()
{
    SweepResult result;
    result.config.levels = { 1, 2, 4, 8 };
    const std::vector<double> throughput = { 5.0, 10.0, 15.0, 15.3 };
    for (std::size_t i = 0; i < throughput.size(); ++i) {
        SweepLevelResult l = sweepLevel(int(i), result.config.levels[i], throughput[i]);
        evaluateLevel(l, result.levels, result.config.rules);
        result.levels.push_back(l);
    }
    result.verdict = computeVerdict(result.config, result.levels, false);
    return result;
}

RunResult runOnServer(const SimServerThread &server, int requests, int outputLen, double rate)
{
    BenchmarkConfig config;
    config.target.baseUrl = server.baseUrl();
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.random.inputLen = 128;
    config.random.outputLen = outputLen;
    config.load.numPrompts = requests;
    config.load.requestRate = rate;
    config.load.burstiness = 100.0;     // nearly even gaps, so the send order is the arrival order
    return ts::test::runToEnd(config, 120000);
}

} // namespace

class TestExercises : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void definitions()
    {
        const std::vector<Exercise> list = exercises();
        QCOMPARE(int(list.size()), 3);
        QStringList ids;
        for (const Exercise &e : list) {
            ids << e.id;
            QVERIFY(!e.title.isEmpty());
            QVERIFY(!e.steps.empty());
            // Every exercise starts from settings the button can apply, on the classroom server.
            QVERIFY(e.steps.front().settings);
            QCOMPARE(e.steps.front().settings->demoPreset, QStringLiteral("classroom"));
            QVERIFY(simPresetConfig(e.steps.front().settings->demoPreset));
            for (const ExerciseStep &s : e.steps) {
                QVERIFY(!s.todo.isEmpty() && !s.watch.isEmpty() && !s.question.isEmpty());
                QVERIFY(QStringList({ QStringLiteral("timeline"), QStringLiteral("summary"), QStringLiteral("sweep"),
                                      QStringLiteral("compare") }).contains(s.watchTab));
            }
        }
        QCOMPARE(ids, QStringList({ QStringLiteral("basics"), QStringLiteral("load"), QStringLiteral("tuning") }));
        QCOMPARE(list[1].steps.front().settings->kind, ExerciseSettings::Kind::ConcurrencySweep);
    }

    void inFlight_data()
    {
        QTest::addColumn<int>("position");
        QTest::addColumn<int>("expected");
        QTest::addRow("first of a burst") << 0 << 0;
        QTest::addRow("third of a burst") << 2 << 2;
        QTest::addRow("late request") << 4 << 4;
        QTest::addRow("after everything ended") << 5 << 0;
    }

    void inFlight()
    {
        QFETCH(int, position);
        QFETCH(int, expected);
        // Four sent together, a fifth a moment later, a sixth when all have finished (an end
        // and a start at the same time do not overlap).
        const std::vector<RequestRecord> records = { record(0, 0.0, 1.0, 5.0), record(1, 0.0, 1.0, 5.0),
                                                     record(2, 0.0, 1.0, 5.0), record(3, 0.0, 1.0, 5.0),
                                                     record(4, 0.01, 6.0, 10.0), record(5, 10.5, 0.5, 3.0) };
        QCOMPARE(inFlightAtSend(records, std::size_t(position)), expected);
    }

    void longestTtftOnHandMadeRecords()
    {
        std::vector<RequestRecord> records = { record(0, 0.0, 1.0, 5.0), record(1, 0.0, 1.0, 5.0),
                                               record(4, 0.01, 6.0, 10.0), record(2, 0.0, 1.1, 5.0),
                                               record(3, 0.0, 1.0, 5.0) };
        records.push_back(record(5, 0.02, 9.0, 12.0));
        records.back().success = false;     // a failed request has no first token to speak of
        const std::optional<LongestTtft> longest = longestTtft(records);
        QVERIFY(longest);
        QCOMPARE(longest->recordIndex, 2);
        QCOMPARE(longest->requestNumber, 4);
        QCOMPARE(longest->ttft, 6.0);
        QCOMPARE(longest->inFlightAtSend, 4);
        const QString withSlots = longestTtftExplanation(*longest, 4);
        QVERIFY2(withSlots.contains(QLatin1String("#4")) && withSlots.contains(QLatin1String("4 slots"))
                     && withSlots.contains(QLatin1String("queued")),
                 qPrintable(withSlots));
        const QString withoutSlots = longestTtftExplanation(*longest, std::nullopt);
        QVERIFY(!withoutSlots.contains(QLatin1String("slots")));
        QVERIFY(!longestTtft({}));

        // Waited on the client first: said so, as it is not part of TTFT.
        LongestTtft queued = *longest;
        queued.queueTime = 2.5;
        QVERIFY(longestTtftExplanation(queued, 4).contains(QLatin1String("2.5 s on the client")));

        ExerciseEvidence evidence;
        evidence.runs.push_back(documentOf(records, 0));
        evidence.serverSlots = 4;
        const ExerciseAnswer answer = answerFrom(ExerciseQuestion::LongestTtftRequest, evidence);
        QVERIFY(answer.available);
        QCOMPARE(answer.recordIndex, 2);
        QCOMPARE(answer.tab, QStringLiteral("timeline"));
        QVERIFY(checkAnswer(ExerciseQuestion::LongestTtftRequest, QStringLiteral("#4"), evidence).correct);
        QVERIFY(checkAnswer(ExerciseQuestion::LongestTtftRequest, QStringLiteral("4"), evidence).correct);
        const ExerciseAnswer wrong = checkAnswer(ExerciseQuestion::LongestTtftRequest, QStringLiteral("2"), evidence);
        QVERIFY(wrong.available && !wrong.correct);
        QVERIFY(!wrong.text.contains(QLatin1String("#4")));     // no giving the answer away
        QVERIFY(!checkAnswer(ExerciseQuestion::LongestTtftRequest, QStringLiteral("17"), evidence).correct);
        QVERIFY(!checkAnswer(ExerciseQuestion::LongestTtftRequest, QStringLiteral("the slow one"), evidence).correct);
        QVERIFY(!answerFrom(ExerciseQuestion::LongestTtftRequest, ExerciseEvidence()).available);
    }

    void ratings()
    {
        // TTFT 150 ms, TPOT 30 ms: good and excellent by the guide.
        std::vector<RequestRecord> records;
        for (int i = 0; i < 4; ++i)
            records.push_back(record(i, 0.5 * i, 0.15, 0.15 + 9 * 0.03));
        ExerciseEvidence evidence;
        evidence.runs.push_back(documentOf(records, 1));
        const RunRatings r = rateRun(evidence.runs.back().metrics);
        QCOMPARE(qRound(r.meanTtftMs), 150);
        QCOMPARE(qRound(r.meanTpotMs), 30);
        QCOMPARE(r.ttft, Rating::Good);
        QCOMPARE(r.tpot, Rating::Excellent);
        const ExerciseAnswer answer = answerFrom(ExerciseQuestion::MeanTtft, evidence);
        QVERIFY(answer.text.contains(ratingName(Rating::Good)));
        QVERIFY(answer.text.contains(ratingName(Rating::Excellent)));
        QVERIFY(checkAnswer(ExerciseQuestion::MeanTtft, QStringLiteral("155 ms"), evidence).correct);
        QVERIFY(!checkAnswer(ExerciseQuestion::MeanTtft, QStringLiteral("400"), evidence).correct);
    }

    void sweepAnswers_data()
    {
        QTest::addColumn<int>("question");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<bool>("correct");
        const int knee = int(ExerciseQuestion::KneeLevel);
        const int stable = int(ExerciseQuestion::MaxStableLevel);
        QTest::addRow("knee exact") << knee << QStringLiteral("4") << true;
        QTest::addRow("knee one level up") << knee << QStringLiteral("8") << true;
        QTest::addRow("knee one level down") << knee << QStringLiteral("2") << true;
        QTest::addRow("knee two levels off") << knee << QStringLiteral("1") << false;
        QTest::addRow("knee not a level") << knee << QStringLiteral("16") << false;
        QTest::addRow("stable exact") << stable << QStringLiteral("concurrency 4") << true;
        QTest::addRow("stable two levels off") << stable << QStringLiteral("1") << false;
    }

    void sweepAnswers()
    {
        QFETCH(int, question);
        QFETCH(QString, typed);
        QFETCH(bool, correct);
        ExerciseEvidence evidence;
        evidence.sweep = handMadeSweep();
        QCOMPARE(evidence.sweep->verdict.kneeLevel.value_or(-1), 4.0);
        QCOMPARE(evidence.sweep->verdict.maxStableLevel.value_or(-1), 4.0);
        const auto q = ExerciseQuestion(question);
        const ExerciseAnswer answer = answerFrom(q, evidence);
        QVERIFY(answer.available);
        QVERIFY2(answer.text.contains(sweepLevelPhrase(SweepMode::Concurrency, 4)), qPrintable(answer.text));
        QCOMPARE(answer.tab, QStringLiteral("sweep"));
        QCOMPARE(checkAnswer(q, typed, evidence).correct, correct);
        QVERIFY(!answerFrom(q, ExerciseEvidence()).available);
    }

    void sweepWithoutKnee()
    {
        SweepResult rising;
        rising.config.levels = { 1, 2 };
        for (int i = 0; i < 2; ++i) {
            SweepLevelResult l = sweepLevel(i, rising.config.levels[std::size_t(i)], 5.0 * (i + 1));
            evaluateLevel(l, rising.levels, rising.config.rules);
            rising.levels.push_back(l);
        }
        rising.verdict = computeVerdict(rising.config, rising.levels, false);
        ExerciseEvidence evidence;
        evidence.sweep = rising;
        const ExerciseAnswer knee = answerFrom(ExerciseQuestion::KneeLevel, evidence);
        QVERIFY(!knee.available);
        QVERIFY(!knee.text.isEmpty());
        QVERIFY(answerFrom(ExerciseQuestion::MaxStableLevel, evidence).available);
    }

    void comparison()
    {
        // Concurrency 2: short waits, less throughput. Concurrency 8: the other way round.
        std::vector<RequestRecord> low, high;
        for (int i = 0; i < 8; ++i) {
            low.push_back(record(i, 2.0 * (i / 2), 0.4, 2.0, 10));
            high.push_back(record(i, 0.0, i < 4 ? 1.0 : 3.0, i < 4 ? 2.5 : 4.5, 10));
        }
        ExerciseEvidence evidence;
        evidence.runs.push_back(documentOf(low, 2));
        QVERIFY(!answerFrom(ExerciseQuestion::HigherThroughputConfig, evidence).available);
        evidence.runs.push_back(documentOf(high, 8));
        // The same configuration again counts once, with its latest run.
        evidence.runs.push_back(documentOf(high, 8));

        const std::optional<ConfigurationComparison> c = compareConfigurations({ evidence.runs[0], evidence.runs[1] });
        QVERIFY(c);
        QCOMPARE(c->higherThroughput, 1);
        QCOMPARE(c->lowerP99Ttft, 0);
        QVERIFY(c->outputThroughput[1] > c->outputThroughput[0]);
        const QString text = comparisonText(*c);
        QVERIFY2(text.contains(QLatin1String("concurrency 8")) && text.contains(QLatin1String("concurrency 2"))
                     && text.contains(QLatin1String("trade-off")),
                 qPrintable(text));

        const ExerciseAnswer answer = answerFrom(ExerciseQuestion::HigherThroughputConfig, evidence);
        QVERIFY(answer.available);
        QCOMPARE(answer.text, text);
        QVERIFY(checkAnswer(ExerciseQuestion::HigherThroughputConfig, QStringLiteral("8"), evidence).correct);
        QVERIFY(!checkAnswer(ExerciseQuestion::HigherThroughputConfig, QStringLiteral("2"), evidence).correct);

        // One configuration better on both counts: no trade-off.
        const std::optional<ConfigurationComparison> same = compareConfigurations({ evidence.runs[0], evidence.runs[0] });
        QVERIFY(comparisonText(*same).contains(QLatin1String("no trade-off")));

        const double throughput = evidence.runs.back().metrics.outputThroughput;
        QVERIFY(checkAnswer(ExerciseQuestion::OutputThroughput, QString::number(throughput * 1.05), evidence).correct);
        QVERIFY(!checkAnswer(ExerciseQuestion::OutputThroughput, QString::number(throughput * 2), evidence).correct);
    }

    // The classroom preset itself: four requests at once share the 4 slots; a fifth sent with
    // them waits until one of the four has generated its whole answer.
    void classroomFifthRequestWaitsForASlot()
    {
        const std::optional<SimServerConfig> classroom = simPresetConfig(QStringLiteral("classroom"));
        QVERIFY(classroom);
        QCOMPARE(classroom->maxNumSeqs, 4);
        SimServerThread server;
        QVERIFY(server.start(*classroom).ok());
        const RunResult run = runOnServer(server, 5, 24, std::numeric_limits<double>::infinity());
        QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
        QCOMPARE(int(run.records.size()), 5);
        std::vector<RequestRecord> byTtft = run.records;
        std::sort(byTtft.begin(), byTtft.end(), [](const RequestRecord &a, const RequestRecord &b) { return a.ttft < b.ttft; });
        double shortestGeneration = 1e9;
        for (int i = 0; i < 4; ++i) {
            QVERIFY2(byTtft[std::size_t(i)].success, qPrintable(byTtft[std::size_t(i)].error));
            shortestGeneration = std::min(shortestGeneration, byTtft[std::size_t(i)].latency - byTtft[std::size_t(i)].ttft);
            // Steps of at least 180 ms, and the server never writes early.
            QVERIFY(byTtft[std::size_t(i)].tpot() >= 0.17);
        }
        const RequestRecord &fifth = byTtft.back();
        qInfo("classroom: TTFT of the first four %.2f..%.2f s, fifth %.2f s, generation %.2f s",
              byTtft.front().ttft, byTtft[3].ttft, fifth.ttft, shortestGeneration);
        QVERIFY(fifth.success);
        QVERIFY(shortestGeneration >= 23 * 0.17);
        QVERIFY(fifth.ttft - byTtft[3].ttft >= 0.8 * shortestGeneration);
    }

    // Exercise 1's answer on a real run: the longest wait belongs to a request sent while the
    // server's 4 slots were taken.
    void longestTtftOnTheClassroomServer()
    {
        SimServerThread server;
        QVERIFY(server.start(*simPresetConfig(QStringLiteral("classroom"))).ok());
        // Five requests, 0.2 s apart: all five are in flight together.
        const RunResult run = runOnServer(server, 5, 12, 5.0);
        QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
        QCOMPARE(int(run.records.size()), 5);
        ExerciseEvidence evidence;
        evidence.runs.push_back(documentFromRun(run));
        evidence.serverSlots = simPresetConfig(QStringLiteral("classroom"))->maxNumSeqs;
        const std::optional<LongestTtft> longest = longestTtft(run.records);
        QVERIFY(longest);
        QCOMPARE(longest->inFlightAtSend, 4);
        const ExerciseAnswer answer = answerFrom(ExerciseQuestion::LongestTtftRequest, evidence);
        QVERIFY(answer.available);
        QCOMPARE(answer.recordIndex, longest->recordIndex);
        QVERIFY2(answer.text.contains(QLatin1String("4 slots")), qPrintable(answer.text));
        qInfo("%s", qPrintable(answer.text));
        const QString typed = QString::number(run.records[std::size_t(longest->recordIndex)].index);
        QVERIFY(checkAnswer(ExerciseQuestion::LongestTtftRequest, typed, evidence).correct);
    }
};

QTEST_GUILESS_MAIN(TestExercises)
#include "tst_exercises.moc"
