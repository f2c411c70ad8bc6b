#include "commands.h"

#include "i18n.h"
#include "report/reportwriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QGuiApplication>

namespace ts::cli {

int reportMain(int &argc, char **argv)
{
    // Fonts and painting need a GUI application, but a report never shows a window: without
    // an explicit platform it runs on "offscreen", so it works over SSH and in CI with no display.
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tokenstorm-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Tokenstorm"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TOKENSTORM_VERSION));
    i18n::installTranslators(QLocale::system());

    QStringList arguments = QCoreApplication::arguments();
    arguments.removeAt(1);   // "report"
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "ts::cli::Report",
        "Write a report of a run, a sweep or a comparison as one HTML file (charts inline, nothing fetched) or an A4 PDF."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QCoreApplication::translate("ts::cli::Report",
                                                             "A result JSON (Tokenstorm's or vLLM's), a sweep summary, or several "
                                                             "result files to compare (the first is the baseline)."),
                                 QStringLiteral("FILE [FILE...]"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
                                    QCoreApplication::translate("ts::cli::Report", "The report to write: a name ending in .html or .pdf."),
                                    QStringLiteral("OUT"));
    const QCommandLineOption language(QStringLiteral("language"),
                                      QCoreApplication::translate("ts::cli::Report", "The report's language: %1 (default: the system's).")
                                          .arg(i18n::availableLanguages().join(QStringLiteral(", "))),
                                      QStringLiteral("LANG"));
    parser.addOption(output);
    parser.addOption(language);
    if (const std::optional<int> done = parseCommandLine(parser, arguments))
        return *done;

    if (parser.isSet(language)) {
        const QString wanted = parser.value(language);
        if (!i18n::availableLanguages().contains(wanted)) {
            printError(QCoreApplication::translate("ts::cli::Report", "Unknown language “%1”. Languages: %2.")
                           .arg(wanted, i18n::availableLanguages().join(QStringLiteral(", "))));
            return 2;
        }
        i18n::installTranslators(QLocale(wanted));
    }
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        printError(QCoreApplication::translate("ts::cli::Report", "Give a result file, a sweep summary or several result files."));
        return 2;
    }
    if (!parser.isSet(output)) {
        printError(QCoreApplication::translate("ts::cli::Report", "Give the report's file name with --output OUT.html or --output OUT.pdf."));
        return 2;
    }
    const QString path = parser.value(output);
    if (!reportFormatForPath(path)) {
        printError(QCoreApplication::translate("ts::cli::Report", "Cannot write a report to %1: the name must end in .html or .pdf.")
                       .arg(QFileInfo(path).fileName()));
        return 2;
    }

    QString error;
    const std::optional<ReportSource> source = reportSourceFromFiles(files, &error);
    if (!source) {
        printError(error);
        return 1;
    }
    if (!writeReport(*source, path, &error)) {
        printError(error);
        return 1;
    }
    printOut(QCoreApplication::translate("ts::cli::Report", "Report written to %1\n").arg(path));
    return 0;
}

} // namespace ts::cli
