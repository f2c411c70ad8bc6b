#include "commands.h"
#include "preparation.h"
#include "progressline.h"
#include "runoptions.h"

#include "results/journal.h"
#include "results/summary.h"
#include "sim/simserverthread.h"
#include "sweep/sweep.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <optional>

#include <unistd.h>

namespace ts::cli {

namespace {

struct SweepFlag
{
    const char *name;
    const char *valueName;   // nullptr: a switch
    const char *help;
};

constexpr SweepFlag kSweepFlags[] = {
    { "concurrency-levels", "LIST", QT_TRANSLATE_NOOP("ts::cli::Sweep", "Concurrency sweep: the levels, e.g. 1,5,10,20 (default: 1,5,10,20,50,100,200,500).") },
    { "request-rates", "LIST", QT_TRANSLATE_NOOP("ts::cli::Sweep", "Rate sweep instead: request rates in req/s, e.g. 1,2,5,10; cap the concurrency with --max-concurrency.") },
    { "prompts-per-level-multiplier", "M", QT_TRANSLATE_NOOP("ts::cli::Sweep", "Requests per level = M x level (default: 5 for concurrency, 30 for rates), at least --min-prompts-per-level. --num-prompts N sets a fixed number instead.") },
    { "min-prompts-per-level", "N", QT_TRANSLATE_NOOP("ts::cli::Sweep", "Fewest requests in a level (default: 50).") },
    { "min-success-rate", "PERCENT", QT_TRANSLATE_NOOP("ts::cli::Sweep", "Stop when fewer requests succeed than this (default: 95).") },
    { "slo-p99", "KEY:MS", QT_TRANSLATE_NOOP("ts::cli::Sweep", "Stop when a p99 latency exceeds its limit, e.g. ttft:500 tpot:50 e2el:10000.") },
    { "min-throughput-gain", "PERCENT", QT_TRANSLATE_NOOP("ts::cli::Sweep", "Stop when output throughput rises less than this over the best earlier level (default: 5; 0 = off).") },
    { "run-all-levels", nullptr, QT_TRANSLATE_NOOP("ts::cli::Sweep", "Run every level even past a limit; the limits only mark the levels.") },
    { "result-prefix", "PREFIX", QT_TRANSLATE_NOOP("ts::cli::Sweep", "Name files PREFIX-c{N}.json / PREFIX-r{RATE}.json and PREFIX-summary.json/.csv (default: vLLM's names).") },
    { "no-server-metrics", nullptr, QT_TRANSLATE_NOOP("ts::cli::Sweep", "Do not read the server's Prometheus /metrics during the sweep.") },
    { "metrics-url", "URL", QT_TRANSLATE_NOOP("ts::cli::Sweep", "Where the server publishes its metrics (default: <base URL>/metrics).") },
    { "scrape-interval", "MS", QT_TRANSLATE_NOOP("ts::cli::Sweep", "How often to read the server's metrics, in milliseconds (default: 1000).") },
};

// "--slo-p99 ttft:500 tpot:50" -> one value per flag, as QCommandLineParser wants.
QStringList expandSloFlag(const QStringList &arguments)
{
    QStringList out;
    bool inSlo = false;
    for (const QString &arg : arguments) {
        if (arg.startsWith(QLatin1String("--"))) {
            inSlo = arg == QLatin1String("--slo-p99");
            out << arg;
            continue;
        }
        if (inSlo && out.constLast() != QLatin1String("--slo-p99"))
            out << QStringLiteral("--slo-p99");
        out << arg;
    }
    return out;
}

bool readNumber(const QCommandLineParser &p, const char *flag, double &out, QString *error)
{
    const QString name = QLatin1String(flag);
    if (!p.isSet(name))
        return true;
    bool ok = false;
    const double v = p.value(name).toDouble(&ok);
    if (!ok || !std::isfinite(v)) {
        *error = QCoreApplication::translate("ts::cli::Sweep", "--%1 needs a number, not “%2”.").arg(name, p.value(name));
        return false;
    }
    out = v;
    return true;
}

bool readSweepOptions(const QCommandLineParser &p, const RunOptions &run, SweepConfig &sweep, QString *error)
{
    sweep.base = run.config;
    const bool rates = p.isSet(QStringLiteral("request-rates"));
    if (rates && p.isSet(QStringLiteral("concurrency-levels"))) {
        *error = QCoreApplication::translate("ts::cli::Sweep", "Give either --concurrency-levels or --request-rates, not both.");
        return false;
    }
    sweep.mode = rates ? SweepMode::RequestRate : SweepMode::Concurrency;
    if (rates || p.isSet(QStringLiteral("concurrency-levels"))) {
        const QString list = p.value(rates ? QStringLiteral("request-rates") : QStringLiteral("concurrency-levels"));
        std::optional<std::vector<double>> levels = parseSweepLevels(list, sweep.mode, error);
        if (!levels)
            return false;
        sweep.levels = std::move(*levels);
    } else {
        sweep.levels = defaultConcurrencyLevels();
    }
    if (sweep.mode == SweepMode::Concurrency && p.isSet(QStringLiteral("max-concurrency"))) {
        *error = QCoreApplication::translate("ts::cli::Sweep", "In a concurrency sweep each level sets the concurrency; leave out --max-concurrency (or sweep --request-rates).");
        return false;
    }
    if (sweep.mode == SweepMode::RequestRate && p.isSet(QStringLiteral("request-rate"))) {
        *error = QCoreApplication::translate("ts::cli::Sweep", "In a rate sweep each level sets the request rate; leave out --request-rate.");
        return false;
    }
    if (p.isSet(QStringLiteral("num-prompts")))
        sweep.fixedPromptsPerLevel = run.config.load.numPrompts;
    double number = 0;
    if (p.isSet(QStringLiteral("prompts-per-level-multiplier"))) {
        if (!readNumber(p, "prompts-per-level-multiplier", number, error))
            return false;
        sweep.promptsPerLevelMultiplier = number;
    }
    if (p.isSet(QStringLiteral("min-prompts-per-level"))) {
        bool ok = false;
        sweep.minPromptsPerLevel = p.value(QStringLiteral("min-prompts-per-level")).toInt(&ok);
        if (!ok) {
            *error = QCoreApplication::translate("ts::cli::Sweep", "--min-prompts-per-level needs a whole number, not “%1”.").arg(p.value(QStringLiteral("min-prompts-per-level")));
            return false;
        }
    }
    if (!readNumber(p, "min-success-rate", sweep.rules.minSuccessRatePercent, error)
        || !readNumber(p, "min-throughput-gain", sweep.rules.minThroughputGainPercent, error))
        return false;
    for (const QString &slo : p.values(QStringLiteral("slo-p99"))) {
        const QString key = slo.section(u':', 0, 0).trimmed().toLower();
        bool ok = false;
        const double ms = slo.section(u':', 1).trimmed().toDouble(&ok);
        if (!ok || !slo.contains(u':')) {
            *error = QCoreApplication::translate("ts::cli::Sweep", "--slo-p99 needs KEY:MILLISECONDS with KEY one of ttft, tpot, e2el, not “%1”.").arg(slo);
            return false;
        }
        if (key == QLatin1String("ttft"))
            sweep.rules.maxP99TtftMs = ms;
        else if (key == QLatin1String("tpot"))
            sweep.rules.maxP99TpotMs = ms;
        else if (key == QLatin1String("e2el"))
            sweep.rules.maxP99E2elMs = ms;
        else {
            *error = QCoreApplication::translate("ts::cli::Sweep", "--slo-p99 needs KEY:MILLISECONDS with KEY one of ttft, tpot, e2el, not “%1”.").arg(slo);
            return false;
        }
    }
    sweep.rules.stopAtLimit = !p.isSet(QStringLiteral("run-all-levels"));
    sweep.resultDir = run.output.resultDir.isEmpty() ? QStringLiteral(".") : run.output.resultDir;
    sweep.filePrefix = p.value(QStringLiteral("result-prefix"));
    sweep.saveDetailed = run.output.saveDetailed;
    sweep.scrapeServerMetrics = !p.isSet(QStringLiteral("no-server-metrics"));
    if (p.isSet(QStringLiteral("metrics-url")))
        sweep.metricsUrl = QUrl(p.value(QStringLiteral("metrics-url")));
    if (p.isSet(QStringLiteral("scrape-interval"))) {
        if (!readNumber(p, "scrape-interval", number, error))
            return false;
        sweep.scrapeInterval = std::chrono::milliseconds(qint64(std::max(number, 50.0)));
    }
    for (const char *flag : { "result-filename", "append-result", "csv" }) {
        if (p.isSet(QLatin1String(flag))) {
            *error = QCoreApplication::translate("ts::cli::Sweep", "--%1 does not apply to a sweep: it writes one file per level, a summary JSON and a CSV to --result-dir (names: --result-prefix).")
                         .arg(QLatin1String(flag));
            return false;
        }
    }
    const QString problem = sweepValidationError(sweep);
    if (!problem.isEmpty()) {
        *error = problem;
        return false;
    }
    return true;
}

QString cell(const QString &text, int width)
{
    return text.rightJustified(width) + u' ';
}

QString ms(const std::optional<double> &v)
{
    return v ? QString::number(*v, 'f', 0) : QStringLiteral("-");
}

QString tableHeader(SweepMode mode)
{
    return cell(mode == SweepMode::RequestRate ? QCoreApplication::translate("ts::cli::Sweep", "Rate") : QCoreApplication::translate("ts::cli::Sweep", "Conc."), 7) + cell(QCoreApplication::translate("ts::cli::Sweep", "Reqs"), 6)
        + cell(QCoreApplication::translate("ts::cli::Sweep", "OK %"), 6) + cell(QCoreApplication::translate("ts::cli::Sweep", "Out tok/s"), 10) + cell(QCoreApplication::translate("ts::cli::Sweep", "Gain"), 8) + cell(QCoreApplication::translate("ts::cli::Sweep", "TTFT p50"), 9)
        + cell(QCoreApplication::translate("ts::cli::Sweep", "TTFT p99"), 9) + cell(QCoreApplication::translate("ts::cli::Sweep", "TPOT p50"), 9) + cell(QCoreApplication::translate("ts::cli::Sweep", "TPOT p99"), 9) + cell(QCoreApplication::translate("ts::cli::Sweep", "E2EL p99"), 9)
        + QCoreApplication::translate("ts::cli::Sweep", "Server run/wait") + u'\n';
}

QString tableRow(const SweepLevelResult &l)
{
    const BenchmarkMetrics &m = l.metrics;
    const QString gain = l.throughputGainPercent
        ? (*l.throughputGainPercent >= 0 ? QStringLiteral("+") : QString()) + QString::number(*l.throughputGainPercent, 'f', 1) + u'%'
        : QStringLiteral("-");
    QString server = QStringLiteral("-");
    if (l.server && (l.server->maxRunning || l.server->medianWaiting)) {
        server = (l.server->maxRunning ? QString::number(*l.server->maxRunning, 'f', 0) : QStringLiteral("?")) + QStringLiteral(" / ")
            + (l.server->medianWaiting ? QString::number(*l.server->medianWaiting, 'f', 0) : QStringLiteral("?"));
    }
    QString line = cell(sweepLevelText(l.level), 7) + cell(QString::number(l.run.config.load.numPrompts), 6)
        + cell(QString::number(l.successRatePercent, 'f', 1), 6) + cell(QString::number(m.outputThroughput, 'f', 1), 10)
        + cell(gain, 8) + cell(ms(m.ttftMs.median), 9) + cell(ms(p99Ms(m, u"ttft")), 9)
        + cell(QString::number(m.tpotMs.median, 'f', 1), 9) + cell(p99Ms(m, u"tpot") ? QString::number(*p99Ms(m, u"tpot"), 'f', 1) : QStringLiteral("-"), 9)
        + cell(ms(p99Ms(m, u"e2el")), 9) + server;
    QStringList notes;
    for (const QString &rule : l.brokenRules)
        notes << sweepLimitName(rule);
    if (l.partial)
        notes << QCoreApplication::translate("ts::cli::Sweep", "stopped");
    if (!l.run.error.isEmpty())
        notes << QCoreApplication::translate("ts::cli::Sweep", "failed");
    while (line.endsWith(u' '))
        line.chop(1);
    if (!notes.isEmpty())
        line += QStringLiteral("  <- ") + notes.join(QStringLiteral(", "));
    return line + u'\n';
}

} // namespace

int sweepCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("ts::cli::Sweep",
        "Find the server's limit: run the benchmark at rising concurrency (or request rates) until a limit is reached, then say where and why."));
    parser.addHelpOption();
    addRunOptions(parser);
    for (const SweepFlag &flag : kSweepFlags) {
        QCommandLineOption option(QLatin1String(flag.name), QCoreApplication::translate("ts::cli::Sweep", flag.help));
        if (flag.valueName)
            option.setValueName(QLatin1String(flag.valueName));
        parser.addOption(option);
    }
    if (const std::optional<int> done = parseCommandLine(parser, expandSloFlag(expandMultiValueFlags(arguments))))
        return *done;
    if (!parser.positionalArguments().isEmpty()) {
        printError(QCoreApplication::translate("ts::cli::Sweep", "Unexpected argument “%1”.").arg(parser.positionalArguments().constFirst()));
        return 2;
    }
    RunOptions run;
    QString error;
    if (!readRunOptions(parser, run, &error)) {
        printError(error);
        return 2;
    }
    SweepConfig config;
    if (!readSweepOptions(parser, run, config, &error)) {
        printError(error);
        return 2;
    }
    SimServerThread builtin;
    PreparedRun prepared;
    if (const std::optional<int> failed = prepare(run, { config.base, run.dataset, run.tokenizerPath, config, journalDirectory() }, builtin, prepared))
        return *failed;
    config = std::move(*prepared.sweep);

    QStringList levels;
    for (double level : config.levels)
        levels << sweepLevelText(level);
    printOut((config.mode == SweepMode::RequestRate ? QCoreApplication::translate("ts::cli::Sweep", "Rate sweep over %1 requests/s") : QCoreApplication::translate("ts::cli::Sweep", "Concurrency sweep over %1"))
                 .arg(levels.join(QLatin1String(", ")))
             + u'\n');

    Sweep sweep(config);
    SweepResult result;
    QEventLoop loop;
    std::optional<ProgressLine> progress;
    bool headerPrinted = false;
    QObject::connect(&sweep, &Sweep::levelStarted, &loop, [&](int, double level, int numPrompts) {
        if (progress)
            progress->finish();
        progress.emplace(run.output.progress);
        // Names the level the progress bar belongs to; pipes and logs get the table only.
        if (!run.output.progress || !isatty(STDERR_FILENO))
            return;
        std::fputs((QCoreApplication::translate("ts::cli::Sweep", "%1: %2 requests").arg(sweepLevelPhrase(config.mode, level)).arg(numPrompts) + u'\n').toLocal8Bit().constData(), stderr);
    });
    QObject::connect(&sweep, &Sweep::levelProgress, &loop, [&](int, const RunProgress &p) {
        if (progress)
            progress->update(p);
    });
    QObject::connect(&sweep, &Sweep::levelFinished, &loop, [&](const SweepLevelResult &level) {
        if (progress)
            progress->finish();
        if (!headerPrinted) {
            printOut(u'\n' + tableHeader(config.mode));
            headerPrinted = true;
        }
        printOut(tableRow(level));
        if (!level.saveError.isEmpty())
            printError(level.saveError);
    });
    QObject::connect(&sweep, &Sweep::serverMetricsUnavailable, &loop, [&](const QString &reason) {
        std::fputs((reason + u'\n').toLocal8Bit().constData(), stderr);
    });
    QObject::connect(&sweep, &Sweep::finished, &loop, [&](const SweepResult &r) {
        result = r;
        loop.quit();
    });
    QTimer interrupt;
    stopOnInterrupt(interrupt, sweep);
    sweep.start();
    loop.exec();
    if (progress)
        progress->finish();

    if (!result.error.isEmpty()) {
        printError(result.error);
        return 2;
    }
    printOut(u'\n' + summaryTitle(u' ' + QCoreApplication::translate("ts::cli::Sweep", "Sweep verdict") + u' ', u'=') + u'\n' + result.verdictText + u'\n'
             + QString(50, u'=') + u'\n');
    if (!result.summaryFile.isEmpty())
        printOut(QCoreApplication::translate("ts::cli::Sweep", "Summary: %1\n").arg(result.summaryFile));
    if (!result.csvFile.isEmpty())
        printOut(QCoreApplication::translate("ts::cli::Sweep", "Table: %1\n").arg(result.csvFile));
    for (const QString &problem : std::as_const(result.fileErrors))
        printError(problem);

    if (result.verdict.stopReason == QLatin1String("error"))
        return 1;
    return result.fileErrors.isEmpty() ? 0 : 1;
}

} // namespace ts::cli
