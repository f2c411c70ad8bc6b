#pragma once

#include <QString>
#include <QStringList>

namespace ts {

class MainWindow;
struct RecoveredRun;

// At startup, offers the runs a killed or crashed Tokenstorm left behind (their journals, see
// results/journal.h): Recover writes each as a result file in recoveredResultsDirectory(),
// removes its journal and opens the newest in window; Discard removes the journals; Later
// keeps them for the next start. Does nothing when there is none.
void offerRunRecovery(MainWindow *window);

// Where recovered results are written: the per-user application data folder's "recovered".
QString recoveredResultsDirectory();

// One line for the list: date, server, model and requests measured.
QString describeRecoveredRun(const RecoveredRun &recovered);

// Writes the recovered result into dir and removes the journal. The result file's path, or
// empty with *error a translated sentence (the journal is then kept).
QString recoverJournalInto(const QString &journal, const QString &dir, QString *error);

} // namespace ts
