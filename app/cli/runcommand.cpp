#include "commands.h"
#include "preparation.h"
#include "progressline.h"
#include "runoptions.h"

#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"
#include "pipeline/runoutcome.h"
#include "results/csv.h"
#include "results/journal.h"
#include "results/resultfile.h"
#include "results/resultjson.h"
#include "results/summary.h"
#include "sim/simserverthread.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QTimer>

#include <cstdio>

namespace ts::cli {

namespace {

QString rateText(double rate)
{
    return std::isfinite(rate) ? QString::number(rate) : QStringLiteral("inf");
}

// Who counted the prompts' tokens, so lengths that are only estimates are never mistaken for
// exact ones.
QString tokenizerSourceText(const BenchmarkConfig &config)
{
    if (config.tokenizerSource == QLatin1String("local"))
        return QCoreApplication::translate("ts::cli::Run", "local tokenizer (%1)").arg(config.tokenizerId);
    if (config.tokenizerSource == QLatin1String("server"))
        return QCoreApplication::translate("ts::cli::Run", "the server's %1").arg(config.tokenizerEndpoint);
    return QCoreApplication::translate("ts::cli::Run", "estimated");
}

// Runs the benchmark in a local event loop and hands back what it measured.
RunResult runBenchmark(const RunOptions &options, PreparedRun &&prepared)
{
    const std::unique_ptr<BenchmarkRunner> owner(createRunner(std::move(prepared)));
    BenchmarkRunner &runner = *owner;
    ProgressLine progress(options.output.progress);
    RunResult result;
    QEventLoop loop;
    QObject::connect(&runner, &BenchmarkRunner::progressChanged, &runner,
                     [&](const RunProgress &p) { progress.update(p); });
    QObject::connect(&runner, &BenchmarkRunner::finished, &loop, [&](const RunResult &r) {
        result = r;
        loop.quit();
    });
    QTimer interrupt;
    stopOnInterrupt(interrupt, runner);
    runner.start();
    loop.exec();
    progress.finish();
    return result;
}

QString resultPath(const OutputOptions &output, const RunResult &run)
{
    const QString name = output.resultFilename.isEmpty() ? defaultResultFileName(run) : output.resultFilename;
    return output.resultDir.isEmpty() ? name : QDir(output.resultDir).filePath(name);
}

} // namespace

int runCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "ts::cli::Run", "Benchmark an LLM inference server, with the flags and results of vLLM's serving benchmark."));
    parser.addHelpOption();
    addRunOptions(parser);
    if (const std::optional<int> done = parseCommandLine(parser, expandMultiValueFlags(arguments)))
        return *done;
    if (!parser.positionalArguments().isEmpty()) {
        printError(QCoreApplication::translate("ts::cli::Run", "Unexpected argument “%1”.")
                       .arg(parser.positionalArguments().constFirst()));
        return 2;
    }
    RunOptions options;
    QString error;
    if (!readRunOptions(parser, options, &error)) {
        printError(error);
        return 2;
    }
    SimServerThread builtin;
    PreparedRun prepared;
    if (const std::optional<int> failed = prepare(options, { options.config, options.dataset, options.tokenizerPath, {}, journalDirectory() }, builtin, prepared))
        return *failed;
    const BenchmarkConfig config = prepared.config;

    printOut(QCoreApplication::translate("ts::cli::Run", "Traffic request rate: %1\n").arg(rateText(config.load.requestRate)));
    printOut(QCoreApplication::translate("ts::cli::Run", "Burstiness factor: %1%2\n")
                 .arg(config.load.burstiness, 0, 'f', 1)
                 .arg(config.load.burstiness == 1.0 ? QStringLiteral(" (Poisson process)") : QStringLiteral(" (Gamma distribution)")));
    printOut(QCoreApplication::translate("ts::cli::Run", "Maximum request concurrency: %1\n")
                 .arg(config.load.maxConcurrency > 0 ? QString::number(config.load.maxConcurrency) : QStringLiteral("None")));
    printOut(QCoreApplication::translate("ts::cli::Run", "Prompt tokens counted by: %1\n").arg(tokenizerSourceText(config)));

    const RunResult run = runBenchmark(options, std::move(prepared));
    const RunOutcome outcome = outcomeOf(run);
    if (outcome.kind == RunOutcome::Error && !outcome.hasResults()) {
        printError(outcome.message);
        return 1;
    }
    const BenchmarkMetrics metrics = computeMetrics(run.records, run.duration, config.metrics);
    printOut(formatSummary(run, metrics, config.metrics));
    if (metrics.totalOutputTokens > 0) {
        std::fputs(QCoreApplication::translate("ts::cli::Run", "Client CPU: %1 s in the measured part, %2 µs per output token%3.\n")
                       .arg(run.clientCpuSeconds, 0, 'f', 2)
                       .arg(run.clientCpuSeconds * 1e6 / double(metrics.totalOutputTokens), 0, 'f', 1)
                       .arg(options.builtinPreset.isEmpty()
                                ? QString()
                                : QCoreApplication::translate("ts::cli::Run", " (the built-in server's share included)"))
                       .toLocal8Bit()
                       .constData(),
                   stderr);
        const double load = clientThreadLoad(run);
        if (load > kClientBusyLoad)
            printError(QCoreApplication::translate(
                           "ts::cli::Run",
                           "Warning: the client kept its transport threads (%1) busy %2 % of the measured part: its own "
                           "delays are then in the TTFT and ITL tails. Fewer streams, or more --client-threads on a "
                           "machine with cores to spare, keep it out of that.")
                           .arg(run.clientThreads)
                           .arg(qRound(100.0 * load)));
    }

    int exitCode = 0;
    if (options.output.saveResult) {
        const nlohmann::ordered_json json = toResultJson(run, metrics, options.output.saveDetailed);
        const QString path = resultPath(options.output, run);
        const bool ok = options.output.appendResult ? appendResult(path, json, &error) : writeJsonFile(path, json, &error);
        if (!ok) {
            printError(error);
            exitCode = 1;
        }
    }
    if (!options.output.csvPath.isEmpty() && !writeRequestsCsv(options.output.csvPath, run.records, &error)) {
        printError(error);
        exitCode = 1;
    }
    // Kept when the result could not be written: `tokenstorm-cli recover` gets it back.
    if (exitCode == 0)
        removeJournal(run.journal);
    switch (outcome.kind) {
    case RunOutcome::Error:
    case RunOutcome::AllFailed:
        printError(outcome.message);
        return 1;
    default:
        // Stopped by a signal: main() turns a clean exit into 130 or 143.
        return exitCode;
    }
}

} // namespace ts::cli
