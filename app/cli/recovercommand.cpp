#include "commands.h"

#include "results/journal.h"
#include "results/journalreader.h"
#include "results/resultfile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>

namespace ts::cli {

int recoverCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "ts::cli::Recover",
        "Recover runs that did not end (killed, crashed). Without an argument, lists their journals, one a line; "
        "with one, writes its result file and removes the journal."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("journal"),
                                 QCoreApplication::translate("ts::cli::Recover", "A journal file, as listed."),
                                 QStringLiteral("[JOURNAL]"));
    const QCommandLineOption resultDir(QStringLiteral("result-dir"),
                                       QCoreApplication::translate("ts::cli::Recover", "Folder for the result file (default: the current one)."),
                                       QStringLiteral("DIR"));
    const QCommandLineOption resultFilename(QStringLiteral("result-filename"),
                                            QCoreApplication::translate("ts::cli::Recover", "Result file name (default: vLLM's pattern)."),
                                            QStringLiteral("FILE"));
    parser.addOptions({resultDir, resultFilename});
    if (const std::optional<int> done = parseCommandLine(parser, arguments))
        return *done;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        printError(QCoreApplication::translate("ts::cli::Recover", "Unexpected argument “%1”.").arg(positional.at(1)));
        return 2;
    }
    if (positional.isEmpty()) {
        // Paths only, so that scripts can read the list.
        for (const QString &path : recoverableJournals(journalDirectory()))
            printOut(QDir::toNativeSeparators(path) + u'\n');
        return 0;
    }

    const QString journal = positional.constFirst();
    QString error;
    const std::optional<RecoveredRun> recovered = readJournal(journal, &error);
    if (!recovered) {
        printError(error);
        return 1;
    }
    if (isTokenstormProcessRunning(recovered->pid)) {
        printError(QCoreApplication::translate("ts::cli::Recover",
                                               "The run of %1 is still going on (process %2); recover it after it ends.")
                       .arg(QDir::toNativeSeparators(journal))
                       .arg(recovered->pid));
        return 1;
    }
    const QString name = parser.isSet(resultFilename) ? parser.value(resultFilename) : defaultResultFileName(recovered->run);
    const QString path = parser.isSet(resultDir) ? QDir(parser.value(resultDir)).filePath(name) : name;
    if (!writeJsonFile(path, recoveredResultJson(*recovered), &error)) {
        printError(error);
        return 1;
    }
    if (recovered->tornLastLine)
        printError(QCoreApplication::translate("ts::cli::Recover",
                                               "The journal's last line was cut off when the run was killed; that request is left out."));
    if (!removeJournal(journal))
        printError(QCoreApplication::translate("ts::cli::Recover", "The result is saved, but the journal %1 could not be removed; delete it by hand.")
                       .arg(QDir::toNativeSeparators(journal)));
    printOut(QCoreApplication::translate("ts::cli::Recover", "Recovered %n request(s) into %1\n", nullptr, int(recovered->run.records.size()))
                 .arg(QDir::toNativeSeparators(path)));
    return 0;
}

} // namespace ts::cli
