#include "results/journal.h"

#include "metrics/benchmarkmetrics.h"
#include "results/resultjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

namespace ts {

namespace {

QByteArray jsonLine(const nlohmann::ordered_json &json)
{
    // Invalid UTF-8 from a server is replaced, never a reason to lose the line.
    QByteArray line = QByteArray::fromStdString(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    line += '\n';
    return line;
}

nlohmann::ordered_json header(const RunResult &run)
{
    // The result of a run without requests carries every setting a result file records; its
    // statistics' keys tell which metrics and percentiles the run asked for.
    RunResult setup = run;
    setup.records.clear();
    const BenchmarkMetrics none = computeMetrics({}, 0.0, run.config.metrics);
    nlohmann::ordered_json h = nlohmann::ordered_json::object();
    h["journal_version"] = kJournalVersion;
    h["tokenstorm_version"] = TOKENSTORM_VERSION;
    h["start_date"] = run.date.toString(Qt::ISODate).toStdString();
    h["pid"] = QCoreApplication::applicationPid();
    // Result files leave the server out; a list of interrupted runs names it (no credentials).
    h["base_url"] = run.config.target.baseUrl.toString(QUrl::RemoveUserInfo).toStdString();
    h["config"] = toResultJson(setup, none, false);
    return h;
}

} // namespace

QString journalDirectory()
{
    const QString overridden = qEnvironmentVariable("TOKENSTORM_JOURNAL_DIR");
    if (!overridden.isEmpty())
        return overridden;
    // One folder for the window and the command line, so either can recover the other's run.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/tokenstorm/journals");
}

RunJournal::RunJournal(const QString &path) : m_file(path)
{
    m_flushTimer.setInterval(1000);
    connect(&m_flushTimer, &QTimer::timeout, this, &RunJournal::flush);
}

RunJournal::~RunJournal()
{
    close();
}

std::unique_ptr<RunJournal> RunJournal::create(const QString &dir, const RunResult &run, QString *error)
{
    const auto fail = [&](const QString &reason) {
        if (error)
            *error = QCoreApplication::translate("ts::RunJournal",
                                                 "Could not start the run's journal in %1 (%2); a crash would lose this run's measurements.")
                         .arg(QDir::toNativeSeparators(dir), reason);
        return nullptr;
    };
    if (!QDir().mkpath(dir))
        return fail(QCoreApplication::translate("ts::RunJournal", "the folder cannot be created"));
    const QString stem = QStringLiteral("run-%1-%2")
                             .arg(run.date.toString(QStringLiteral("yyyyMMdd-HHmmss")))
                             .arg(QCoreApplication::applicationPid());
    // A sweep starts several runs a second; NewOnly never reuses a name.
    std::unique_ptr<RunJournal> journal;
    for (int n = 1; n < 1000; ++n) {
        const QString name = n == 1 ? stem : stem + u'-' + QString::number(n);
        journal.reset(new RunJournal(QDir(dir).filePath(name + QStringLiteral(".jsonl"))));
        if (journal->m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            break;
        if (!journal->m_file.exists())
            return fail(journal->m_file.errorString());
        journal.reset();
    }
    if (!journal)
        return fail(QCoreApplication::translate("ts::RunJournal", "too many journals of the same second"));
    const QByteArray first = jsonLine(header(run));
    if (journal->m_file.write(first) != first.size() || !journal->m_file.flush()) {
        const QString reason = journal->m_file.errorString();
        journal->m_file.remove();
        return fail(reason);
    }
    journal->m_flushTimer.start();
    return journal;
}

QString RunJournal::path() const
{
    return m_file.fileName();
}

void RunJournal::append(const RequestRecord &record)
{
    if (!m_file.isOpen())
        return;
    m_file.write(jsonLine(requestJson(record)));
    m_dirty = true;
}

void RunJournal::flush()
{
    if (m_dirty && m_file.isOpen())
        m_file.flush();
    m_dirty = false;
}

void RunJournal::close()
{
    m_flushTimer.stop();
    flush();
    m_file.close();
}

bool removeJournal(const QString &path)
{
    return path.isEmpty() || QFile::remove(path) || !QFile::exists(path);
}

} // namespace ts
