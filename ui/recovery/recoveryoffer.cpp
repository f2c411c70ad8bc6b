#include "recovery/recoveryoffer.h"

#include "mainwindow.h"
#include "results/journal.h"
#include "results/journalreader.h"
#include "results/resultfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>

namespace ts {

QString recoveredResultsDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/recovered");
}

QString describeRecoveredRun(const RecoveredRun &recovered)
{
    const RunResult &run = recovered.run;
    const QString date = QLocale().toString(run.date, QLocale::ShortFormat);
    return QCoreApplication::translate("ts::RecoveryOffer", "%1 — %2, %3: %n request(s) measured", nullptr,
                                       int(run.records.size()))
        .arg(date, run.config.target.baseUrl.toString(), run.config.target.model);
}

QString recoverJournalInto(const QString &journal, const QString &dir, QString *error)
{
    const std::optional<RecoveredRun> recovered = readJournal(journal, error);
    if (!recovered)
        return {};
    const QString path = QDir(dir).filePath(defaultResultFileName(recovered->run));
    if (!writeJsonFile(path, recoveredResultJson(*recovered), error))
        return {};
    removeJournal(journal);
    return path;
}

void offerRunRecovery(MainWindow *window)
{
    const QStringList journals = recoverableJournals(journalDirectory());
    if (journals.isEmpty())
        return;
    QStringList lines;
    for (const QString &journal : journals) {
        QString error;
        const std::optional<RecoveredRun> recovered = readJournal(journal, &error);
        lines << (recovered ? describeRecoveredRun(*recovered) : error);
    }

    QMessageBox box(QMessageBox::Question, QCoreApplication::translate("ts::RecoveryOffer", "Recover interrupted runs"),
                    QCoreApplication::translate("ts::RecoveryOffer",
                                                "Tokenstorm was closed while %n run(s) were going on. What they measured was kept:",
                                                nullptr, int(journals.size())),
                    QMessageBox::NoButton, window);
    box.setInformativeText(lines.join(u'\n'));
    QPushButton *recover = box.addButton(QCoreApplication::translate("ts::RecoveryOffer", "Recover"), QMessageBox::AcceptRole);
    QPushButton *discard = box.addButton(QCoreApplication::translate("ts::RecoveryOffer", "Discard"), QMessageBox::DestructiveRole);
    box.addButton(QCoreApplication::translate("ts::RecoveryOffer", "Later"), QMessageBox::RejectRole);
    box.setDefaultButton(recover);
    box.exec();

    if (box.clickedButton() == discard) {
        for (const QString &journal : journals)
            removeJournal(journal);
        return;
    }
    if (box.clickedButton() != recover)
        return;
    QStringList errors;
    QString newest;
    for (const QString &journal : journals) {
        QString error;
        const QString path = recoverJournalInto(journal, recoveredResultsDirectory(), &error);
        if (path.isEmpty())
            errors << error;
        else
            newest = path;
    }
    if (!newest.isEmpty())
        window->openResult(newest);
    if (!errors.isEmpty())
        QMessageBox::warning(window, QCoreApplication::translate("ts::RecoveryOffer", "Recover interrupted runs"), errors.join(u'\n'));
}

} // namespace ts
