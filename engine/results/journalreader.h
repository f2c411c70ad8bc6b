#pragma once

#include "load/benchmarkrunner.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>

namespace ts {

// A journal read back (results/journal.h): the run as far as its file tells.
struct RecoveredRun
{
    QString path;
    qint64 pid = 0;                // the process that wrote it
    RunResult run;                 // config and date from the header, the journaled records;
                                   // duration up to the last completion, stopped when short
    bool tornLastLine = false;     // the process died mid-line; that line was left out
};

// Reads a journal. A last line cut short (the process was killed while writing it) is left
// out; anything else that does not read (no header, a broken line before the last, a newer
// journal version) is an error: nullopt and *error, a translated sentence naming the file.
std::optional<RecoveredRun> readJournal(const QString &path, QString *error = nullptr);

// The result file of a recovered run: toResultJson() of its records, detailed, with metrics
// computed from them, plus "recovered": true and "journal": the journal's path.
nlohmann::ordered_json recoveredResultJson(const RecoveredRun &recovered);

// True when pid is a running Tokenstorm process (its journal is still being written).
bool isTokenstormProcessRunning(qint64 pid);

// The journals in dir that can be recovered: a readable header, and a writer that is no
// longer running. Oldest first.
QStringList recoverableJournals(const QString &dir);

} // namespace ts
