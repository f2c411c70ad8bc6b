#include "load/benchmarkrunner.h"
#include "pipeline/runoutcome.h"
#include "pipeline/runpipeline.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "sweep/sweepprompts.h"

#include "records.h"
#include "simrun.h"
#include "testfiles.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <qcoro/qcorotask.h>

using namespace ts;

namespace {

QString testData(const QString &name)
{
    return qEnvironmentVariable("TOKENSTORM_TEST_DATA") + u'/' + name;
}

RunPlan planFor(const QUrl &server)
{
    RunPlan plan;
    plan.config.target.baseUrl = server;
    plan.config.load.numPrompts = 6;
    plan.config.random.inputLen = 16;
    plan.config.random.outputLen = 4;
    plan.dataset.numPrompts = 6;
    plan.dataset.random = plan.config.random;
    return plan;
}

PreparedRun prepare(RunPlan plan, std::shared_ptr<PreparationControl> control = std::make_shared<PreparationControl>())
{
    QNetworkAccessManager network;
    return QCoro::waitFor(prepareRun(std::move(plan), network, std::move(control)));
}

QUrl closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost);
    const quint16 port = probe.serverPort();
    probe.close();
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
}

RequestRecord failedRecord()
{
    RequestRecord r;
    r.success = false;
    r.error = QStringLiteral("HTTP 503: overloaded");
    return r;
}

} // namespace

class TestRunPipeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start(test::fixedServer(5, 2)).ok());
    }

    void aRunTakesTheServersModelAndBuildsItsPrompts()
    {
        const PreparedRun prepared = prepare(planFor(m_server.baseUrl()));
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        QCOMPARE(prepared.config.target.model, QStringLiteral("tokenstorm-sim"));
        // Without a tokenizer, results name the model's.
        QCOMPARE(prepared.config.tokenizerId, QStringLiteral("tokenstorm-sim"));
        QCOMPARE(int(prepared.prompts.size()), 6);
        QVERIFY(!prepared.sweep);
    }

    void thePreparedRunRuns()
    {
        PreparedRun prepared = prepare(planFor(m_server.baseUrl()));
        QVERIFY(prepared.ok());
        std::unique_ptr<BenchmarkRunner> runner(createRunner(std::move(prepared)));
        QSignalSpy finished(runner.get(), &BenchmarkRunner::finished);
        runner->start();
        QVERIFY(finished.wait(30000));
        const RunResult result = finished.constFirst().constFirst().value<RunResult>();
        QCOMPARE(int(result.records.size()), 6);
        QCOMPARE(outcomeOf(result).kind, RunOutcome::Finished);
    }

    void anUnreachableServerIsTheServersError()
    {
        const PreparedRun prepared = prepare(planFor(closedPort()));
        QVERIFY(!prepared.ok());
        QVERIFY(prepared.serverError);
        QVERIFY2(prepared.error.contains(QStringLiteral("model list")), qPrintable(prepared.error));
    }

    void aBadTokenizerIsTheInputsError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
        QVERIFY(test::writeFile(path, "{ not json"));
        RunPlan plan = planFor(m_server.baseUrl());
        plan.tokenizerPath = path;
        const PreparedRun prepared = prepare(plan);
        QVERIFY(!prepared.ok());
        QVERIFY(!prepared.serverError);
        QVERIFY2(prepared.error.contains(path), qPrintable(prepared.error));
        // Results name the tokenizer by the path it was given.
        QCOMPARE(prepared.config.tokenizerId, path);
    }

    void aRateThatNeverSendsIsRefused()
    {
        RunPlan plan = planFor(m_server.baseUrl());
        plan.config.load.requestRate = 1e-9;
        PreparedRun prepared = prepare(plan);
        QVERIFY(!prepared.ok());
        QVERIFY(!prepared.serverError);

        plan = planFor(m_server.baseUrl());
        SweepConfig sweep;
        sweep.mode = SweepMode::RequestRate;
        sweep.levels = { 1, 1e-9 };
        plan.sweep = sweep;
        prepared = prepare(plan);
        QVERIFY(!prepared.ok());
    }

    void anEmptyDatasetIsAnError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("empty.jsonl"));
        QVERIFY(test::writeFile(path, QByteArray()));
        RunPlan plan = planFor(m_server.baseUrl());
        plan.config.datasetName = plan.dataset.name = QStringLiteral("custom");
        plan.dataset.path = path;
        const PreparedRun prepared = prepare(plan);
        QVERIFY(!prepared.ok());
        QVERIFY(!prepared.cancelled);
        QVERIFY(!prepared.error.isEmpty());
    }

    void aSweepReadsItsFileOnceForEveryLevel()
    {
        RunPlan plan = planFor(m_server.baseUrl());
        plan.config.datasetName = plan.dataset.name = QStringLiteral("sharegpt");
        plan.dataset.path = testData(QStringLiteral("datasets/sharegpt.json"));
        SweepConfig sweep;
        sweep.levels = { 1, 2 };
        sweep.fixedPromptsPerLevel = 3;
        plan.sweep = sweep;
        auto control = std::make_shared<PreparationControl>();
        const PreparedRun prepared = prepare(plan, control);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        QVERIFY(prepared.sweep);
        QCOMPARE(prepared.sweep->base.target.model, QStringLiteral("tokenstorm-sim"));
        QVERIFY(prepared.sweep->promptSource);
        QString error;
        QCOMPARE(int(prepared.sweep->promptSource(0, 3, 0, &error).size()), 3);
        // The file was read, and its progress reported.
        QVERIFY(control->total() > 0);
        QCOMPARE(control->done(), control->total());
    }

    void aCancelStopsTheDatasetEarly()
    {
        // A file large enough that reading it takes many progress reports.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray line = "{\"prompt\": \"" + QByteArray(2000, 'a') + "\"}\n";
        for (int i = 0; i < 20000; ++i)
            file.write(line);
        file.close();
        RunPlan plan = planFor(m_server.baseUrl());
        plan.config.datasetName = plan.dataset.name = QStringLiteral("custom");
        plan.dataset.path = path;
        auto control = std::make_shared<PreparationControl>();
        QTimer cancel;
        QObject::connect(&cancel, &QTimer::timeout, &cancel, [&] {
            if (control->done() > 0)
                control->cancel();
        });
        cancel.start(1);
        const PreparedRun prepared = prepare(plan, control);
        QVERIFY(prepared.cancelled);
        QVERIFY(prepared.error.isEmpty());
        QVERIFY(prepared.prompts.empty());
    }

    void aCancelBeforeTheDatasetStopsThere()
    {
        auto control = std::make_shared<PreparationControl>();
        control->cancel();
        const PreparedRun prepared = prepare(planFor(m_server.baseUrl()), control);
        QVERIFY(prepared.cancelled);
        QVERIFY(prepared.prompts.empty());
    }

    void outcomes_data()
    {
        QTest::addColumn<int>("succeeded");
        QTest::addColumn<int>("failed");
        QTest::addColumn<bool>("stopped");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("kind");
        QTest::newRow("finished") << 3 << 0 << false << QString() << int(RunOutcome::Finished);
        QTest::newRow("some failed") << 3 << 1 << false << QString() << int(RunOutcome::SomeFailed);
        QTest::newRow("all failed") << 0 << 2 << false << QString() << int(RunOutcome::AllFailed);
        QTest::newRow("stopped wins over failures") << 0 << 2 << true << QString() << int(RunOutcome::Stopped);
        QTest::newRow("stopped before any") << 0 << 0 << true << QString() << int(RunOutcome::NothingMeasured);
        QTest::newRow("error") << 0 << 0 << false << QStringLiteral("bad") << int(RunOutcome::Error);
        QTest::newRow("error keeps records") << 2 << 0 << false << QStringLiteral("bad") << int(RunOutcome::Error);
    }

    void outcomes()
    {
        QFETCH(int, succeeded);
        QFETCH(int, failed);
        QFETCH(bool, stopped);
        QFETCH(QString, error);
        QFETCH(int, kind);
        RunResult result;
        for (int i = 0; i < succeeded; ++i)
            result.records.push_back(test::succeeded(i, 0.0, 0.1, { 0.05 }, 0.2, 2));
        for (int i = 0; i < failed; ++i)
            result.records.push_back(failedRecord());
        result.stopped = stopped;
        result.error = error;
        const RunOutcome o = outcomeOf(result);
        QCOMPARE(int(o.kind), kind);
        QCOMPARE(o.measured, qsizetype(succeeded + failed));
        QCOMPARE(o.failed, qsizetype(failed));
        QCOMPARE(o.hasResults(), succeeded + failed > 0);
        if (o.kind == RunOutcome::AllFailed)
            QVERIFY(o.message.contains(QStringLiteral("HTTP 503: overloaded")));
    }

private:
    SimServerThread m_server;
};

QTEST_GUILESS_MAIN(TestRunPipeline)
#include "tst_runpipeline.moc"
