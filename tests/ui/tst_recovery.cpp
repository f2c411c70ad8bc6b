#include "load/benchmarkrunner.h"
#include "pipeline/runpipeline.h"
#include "recovery/recoveryoffer.h"
#include "results/journalreader.h"
#include "results/resultfile.h"
#include "sim/simserverthread.h"

#include "simrun.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <qcoro/qcorotask.h>

using namespace ts;

// What the window does with the runs a killed Tokenstorm left behind: a run prepared by the
// pipeline journals its requests; a journal left in place becomes a result file the window opens.
class TestRecovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aJournaledRunIsRecoveredIntoAResultFile()
    {
        QTemporaryDir dir;
        const QString journals = dir.filePath(QStringLiteral("journals"));
        SimServerThread server;
        QVERIFY(server.start(test::fixedServer(5, 2)).ok());

        RunPlan plan;
        plan.config.target.baseUrl = server.baseUrl();
        plan.config.load.numPrompts = plan.dataset.numPrompts = 8;
        plan.config.random.inputLen = plan.dataset.random.inputLen = 16;
        plan.config.random.outputLen = plan.dataset.random.outputLen = 4;
        plan.journalDirectory = journals;
        QNetworkAccessManager network;
        PreparedRun prepared = QCoro::waitFor(prepareRun(plan, network, std::make_shared<PreparationControl>()));
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        std::unique_ptr<BenchmarkRunner> runner(createRunner(std::move(prepared)));
        QSignalSpy finished(runner.get(), &BenchmarkRunner::finished);
        runner->start();
        QVERIFY(finished.wait(30000));
        const RunResult run = finished.constFirst().constFirst().value<RunResult>();
        // Left in place, as when the process dies before the result is safe.
        QVERIFY(QFile::exists(run.journal));
        QCOMPARE(recoverableJournals(journals), QStringList { run.journal });

        QString error;
        const std::optional<RecoveredRun> recovered = readJournal(run.journal, &error);
        QVERIFY2(recovered, qPrintable(error));
        const QString line = describeRecoveredRun(*recovered);
        QVERIFY2(line.contains(QStringLiteral("tokenstorm-sim")), qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("8")), qPrintable(line));

        const QString results = dir.filePath(QStringLiteral("recovered"));
        QVERIFY(QDir().mkpath(results));
        const QString path = recoverJournalInto(run.journal, results, &error);
        QVERIFY2(!path.isEmpty(), qPrintable(error));
        QVERIFY(!QFile::exists(run.journal));
        QVERIFY(recoverableJournals(journals).isEmpty());
        const std::optional<ResultFile> file = readResultFile(path, &error);
        QVERIFY2(file, qPrintable(error));
        QCOMPARE(int(file->records.size()), 8);
        QCOMPARE(file->metrics.completed, 8);
    }

    void aDamagedJournalIsKept()
    {
        QTemporaryDir dir;
        const QString journal = dir.filePath(QStringLiteral("run-1.jsonl"));
        QVERIFY(test::writeFile(journal, "not a journal\n"));
        QString error;
        QVERIFY(recoverJournalInto(journal, dir.path(), &error).isEmpty());
        QVERIFY(!error.isEmpty());
        QVERIFY(QFile::exists(journal));
    }
};

QTEST_MAIN(TestRecovery)
#include "tst_recovery.moc"
