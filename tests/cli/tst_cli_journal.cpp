#include "clitestutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <csignal>

using namespace clitest;

namespace {

// A long run against the built-in server, journaling into journalDir.
class LongRun
{
public:
    LongRun(const QString &journalDir, const QString &resultDir)
    {
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("TOKENSTORM_JOURNAL_DIR"), journalDir);
        m_process.setProcessEnvironment(m_env);
        m_process.start(QStringLiteral(TOKENSTORM_CLI),
                        {QStringLiteral("run"), QStringLiteral("--builtin-server"), QStringLiteral("fixed"),
                         QStringLiteral("--num-prompts"), QStringLiteral("5000"),
                         QStringLiteral("--max-concurrency"), QStringLiteral("4"),
                         QStringLiteral("--random-input-len"), QStringLiteral("16"),
                         QStringLiteral("--random-output-len"), QStringLiteral("2"),
                         QStringLiteral("--save-detailed"), QStringLiteral("--result-dir"), resultDir,
                         QStringLiteral("--result-filename"), QStringLiteral("run.json")});
        m_journalDir = journalDir;
    }
    ~LongRun()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }
    QProcess &process() { return m_process; }
    QProcessEnvironment env() const { return m_env; }

    // The journal file, once it holds at least `requests` complete request lines.
    QString journalWith(int requests) const
    {
        const QStringList files = QDir(m_journalDir).entryList({QStringLiteral("*.jsonl")}, QDir::Files);
        if (files.size() != 1)
            return {};
        const QString path = QDir(m_journalDir).filePath(files.constFirst());
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly) || file.readAll().count('\n') < requests + 1)
            return {};
        return path;
    }

private:
    QProcess m_process;
    QProcessEnvironment m_env;
    QString m_journalDir;
};

// Complete request lines of a journal: every newline after the header's.
int completeRequestLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    return int(file.readAll().count('\n')) - 1;
}

} // namespace

class TestCliJournal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedRunIsRecovered();
    void signalSavesAndExitsConventionally_data();
    void signalSavesAndExitsConventionally();
    void damagedJournalIsKept();
    void runningProcessIsNotListed();
    void finishedRunLeavesNoJournal();
};

void TestCliJournal::killedRunIsRecovered()
{
    QTemporaryDir dir;
    const QString journals = dir.filePath(QStringLiteral("journals"));
    LongRun run(journals, dir.path());
    QString journal;
    QTRY_VERIFY_WITH_TIMEOUT(!(journal = run.journalWith(20)).isEmpty(), 60000);
    run.process().kill();
    QVERIFY(run.process().waitForFinished());
    const int journaled = completeRequestLines(journal);
    QVERIFY(journaled >= 20);
    // As if the kill landed in the middle of a line.
    {
        QFile file(journal);
        QVERIFY(file.open(QIODevice::Append));
        file.write("{\"index\":99999,\"input_lens\":1");
    }

    const Result listed = runCli({QStringLiteral("recover")}, 60000, run.env());
    QCOMPARE(listed.exitCode, 0);
    QCOMPARE(listed.out, QDir::toNativeSeparators(journal) + u'\n');

    const Result recovered = runCli({QStringLiteral("recover"), journal, QStringLiteral("--result-dir"), dir.path(),
                                     QStringLiteral("--result-filename"), QStringLiteral("recovered.json")},
                                    60000, run.env());
    QVERIFY2(recovered.exitCode == 0, qPrintable(recovered.err));
    QVERIFY(recovered.err.contains(QLatin1String("cut off")));
    QVERIFY(!QFile::exists(journal));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("run.json"))));

    QFile file(dir.filePath(QStringLiteral("recovered.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto json = nlohmann::json::parse(file.readAll().toStdString());
    QCOMPARE(json["recovered"].get<bool>(), true);
    QCOMPARE(json["journal"].get<std::string>(), journal.toStdString());
    QCOMPARE(json["ttfts"].size(), std::size_t(journaled));
    QCOMPARE(json["completed"].get<int>() + json["failed"].get<int>(), journaled);
    QCOMPARE(json["num_prompts"].get<int>(), 5000);
    QCOMPARE(json["stopped"].get<bool>(), true);
    QVERIFY(json["duration"].get<double>() > 0.0);
    QVERIFY(json.contains("median_ttft_ms"));

    const Result relisted = runCli({QStringLiteral("recover")}, 60000, run.env());
    QCOMPARE(relisted.exitCode, 0);
    QVERIFY(relisted.out.isEmpty());
}

void TestCliJournal::signalSavesAndExitsConventionally_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<int>("exitCode");
    QTest::addRow("SIGINT") << int(SIGINT) << 130;
    QTest::addRow("SIGTERM") << int(SIGTERM) << 143;
}

void TestCliJournal::signalSavesAndExitsConventionally()
{
    QFETCH(int, signal);
    QFETCH(int, exitCode);
    QTemporaryDir dir;
    const QString journals = dir.filePath(QStringLiteral("journals"));
    LongRun run(journals, dir.path());
    QString journal;
    QTRY_VERIFY_WITH_TIMEOUT(!(journal = run.journalWith(10)).isEmpty(), 60000);
    QCOMPARE(::kill(pid_t(run.process().processId()), signal), 0);
    QVERIFY(run.process().waitForFinished(60000));
    QCOMPARE(run.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(run.process().exitCode(), exitCode);

    QFile file(dir.filePath(QStringLiteral("run.json")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto json = nlohmann::json::parse(file.readAll().toStdString());
    QCOMPARE(json["stopped"].get<bool>(), true);
    QVERIFY(json["completed"].get<int>() >= 10);
    QVERIFY(!json.contains("recovered"));
    // Saved, so nothing is left to recover.
    QVERIFY(!QFile::exists(journal));
}

void TestCliJournal::damagedJournalIsKept()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run-20250101-000000-1.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"journal_version\":1,\"pid\":1,\"config\":{\"duration\":0,\"completed\":0}}\n"
               "not json at all\n"
               "{\"index\":1,\"ttfts\":0.1}\n");
    file.close();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TOKENSTORM_JOURNAL_DIR"), dir.path());
    const Result r = runCli({QStringLiteral("recover"), path, QStringLiteral("--result-dir"), dir.path()}, 60000, env);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("Line 2")), qPrintable(r.err));
    QVERIFY(QFile::exists(path));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
}

void TestCliJournal::runningProcessIsNotListed()
{
    // A live tokenstorm-cli: its journal is still being written.
    ServeProcess server({QStringLiteral("--preset"), QStringLiteral("fixed")});
    QVERIFY(!server.url().isEmpty());
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("run-20250101-000000-1.jsonl")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QStringLiteral("{\"journal_version\":1,\"pid\":%1,\"config\":{\"duration\":0,\"completed\":0}}\n")
                   .arg(server.processId())
                   .toUtf8());
    file.close();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TOKENSTORM_JOURNAL_DIR"), dir.path());
    const Result r = runCli({QStringLiteral("recover")}, 60000, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
}

void TestCliJournal::finishedRunLeavesNoJournal()
{
    QTemporaryDir dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TOKENSTORM_JOURNAL_DIR"), dir.filePath(QStringLiteral("journals")));
    const Result r = runCli({QStringLiteral("run"), QStringLiteral("--builtin-server"), QStringLiteral("fixed"),
                             QStringLiteral("--num-prompts"), QStringLiteral("5"),
                             QStringLiteral("--random-output-len"), QStringLiteral("2"),
                             QStringLiteral("--save-result"), QStringLiteral("--result-dir"), dir.path()},
                            120000, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(QDir(dir.filePath(QStringLiteral("journals"))).entryList(QDir::Files).isEmpty());
}

QTEST_GUILESS_MAIN(TestCliJournal)
#include "tst_cli_journal.moc"
