#pragma once

#include "load/benchmarkrunner.h"

#include <QFile>
#include <QObject>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>

namespace ts {

// A run's journal: a JSON Lines file written while the run goes on, so that a process killed
// mid-run (kill -9, a crash, a power cut of the terminal) loses at most the last second of
// what it measured. The first line is a header:
//   {"journal_version": 1, "tokenstorm_version": "...", "start_date": ISO 8601, "pid": N,
//    "base_url": the server, "config": the run's result JSON without requests (setup keys, goodput, statistics' names)}
// then one line per finished request, as requestJson() writes it (results/resultjson.h).
// Lines are buffered and handed to the system once a second and when the journal closes.
// The owner of the run removes the journal once the result is safe (written to a file, or
// shown by the GUI); a journal that is left behind is recovered by `tokenstorm-cli recover`
// or offered by the GUI at its next start (docs/recovery.md).
inline constexpr int kJournalVersion = 1;

// Where journals live: $TOKENSTORM_JOURNAL_DIR, else the per-user data folder's
// "tokenstorm/journals", the same for the window and the command line. Not created here.
QString journalDirectory();

class RunJournal : public QObject
{
    Q_OBJECT
public:
    // A new journal file in dir (created if missing), named after the run's start and this
    // process, with its header written and flushed. Null, with *error a translated sentence,
    // when it cannot be written.
    static std::unique_ptr<RunJournal> create(const QString &dir, const RunResult &run, QString *error = nullptr);
    ~RunJournal() override;

    QString path() const;
    // Adds a finished request; it reaches the file within a second.
    void append(const RequestRecord &record);
    // Hands what is buffered to the system now.
    void flush();
    // Flushes and closes the file; it stays on disk until removeJournal().
    void close();

private:
    explicit RunJournal(const QString &path);

    QFile m_file;
    QTimer m_flushTimer;
    bool m_dirty = false;
};

// Deletes a journal (the run's result is safe elsewhere). True when it is gone; an empty path
// is a no-op.
bool removeJournal(const QString &path);

} // namespace ts
