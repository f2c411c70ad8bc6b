#include "commands.h"

#include "compare/comparison.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

namespace ts::cli {

int compareCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "ts::cli::Compare", "Show two or more result files (Tokenstorm's or vLLM's) side by side, each against the first."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QCoreApplication::translate("ts::cli::Compare", "Result JSON files; the first is the baseline."),
                                 QStringLiteral("FILE FILE [FILE...]"));
    const QCommandLineOption csv(QStringLiteral("csv"),
                                 QCoreApplication::translate("ts::cli::Compare", "Also write the comparison as CSV to FILE."),
                                 QStringLiteral("FILE"));
    parser.addOption(csv);
    if (const std::optional<int> done = parseCommandLine(parser, arguments))
        return *done;
    const QStringList files = parser.positionalArguments();
    if (files.size() < 2) {
        printError(QCoreApplication::translate("ts::cli::Compare", "Give at least two result files to compare."));
        return 2;
    }
    QString error;
    const std::optional<Comparison> comparison = compareResultFiles(files, &error);
    if (!comparison) {
        printError(error);
        return 1;
    }
    std::fputs(formatComparison(*comparison).toLocal8Bit().constData(), stdout);
    std::fflush(stdout);
    if (parser.isSet(csv) && !writeComparisonCsv(parser.value(csv), *comparison, &error)) {
        printError(error);
        return 1;
    }
    return 0;
}

} // namespace ts::cli
