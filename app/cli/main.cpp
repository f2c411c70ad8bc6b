#include "commands.h"

#include "eventloop/scalabledispatcher.h"
#include "i18n.h"

#include <QAbstractEventDispatcher>
#include <QCommandLineParser>
#include <QCoreApplication>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace ts::cli {

namespace {
std::atomic<int> g_signal { 0 };

extern "C" void onInterrupt(int signal)
{
    if (g_signal.exchange(signal) != 0)
        std::_Exit(128 + signal); // a second Ctrl+C: leave at once
}

struct Command
{
    const char *name;
    int (*run)(const QStringList &arguments);
};

// `report` is not here: it starts before the QCoreApplication (see main()).
constexpr Command kCommands[] = {
    { "run", runCommand },         { "serve", serveCommand },     { "sweep", sweepCommand },
    { "compare", compareCommand }, { "tokenize", tokenizeCommand }, { "recover", recoverCommand },
};

int dispatch(QStringList args)
{
    const QString command = args.size() > 1 ? args.at(1) : QString();
    if (command == QLatin1String("--version")) {
        std::printf("tokenstorm-cli %s\n", TOKENSTORM_VERSION);
        return 0;
    }
    for (const Command &c : kCommands) {
        if (command == QLatin1String(c.name)) {
            args.removeAt(1);
            return c.run(args);
        }
    }
    if (!command.isEmpty() && !command.startsWith(u'-')) {
        printError(QCoreApplication::translate("ts::cli::Main", "Unknown command “%1”. Commands: run (the default), serve, sweep, compare, report, tokenize, recover.")
                       .arg(command));
        return 2;
    }
    return runCommand(args);
}
} // namespace

void installInterruptHandler()
{
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

bool interruptRequested()
{
    return g_signal.load() != 0;
}

int exitCodeAfterSignal(int exitCode)
{
    // A failure to save is the news; otherwise the shell learns the command was interrupted.
    const int signal = g_signal.load();
    return exitCode == 0 && signal != 0 ? 128 + signal : exitCode;
}

void printOut(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fflush(stdout);
}

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments)
{
    if (!parser.parse(arguments)) {
        printError(parser.errorText());
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return 0;
    }
    return std::nullopt;
}

void printError(const QString &message)
{
    std::fprintf(stderr, "tokenstorm-cli: %s\n", message.toLocal8Bit().constData());
}

} // namespace ts::cli

int main(int argc, char *argv[])
{
    if (argc > 1 && qstrcmp(argv[1], "report") == 0)
        return ts::cli::reportMain(argc, argv);
    // The simulated server and the runner watch thousands of sockets from this thread. Threads
    // that are not given the engine's dispatcher use Qt's poll-based one, which costs about half
    // of GLib's per wake-up with thousands of sockets; the CLI needs no GLib integration.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    if (QAbstractEventDispatcher *dispatcher = ts::createScalableEventDispatcher())
        QCoreApplication::setEventDispatcher(dispatcher);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tokenstorm-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Tokenstorm"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TOKENSTORM_VERSION));
    ts::cli::installInterruptHandler();
    // Messages in the user's language; the benchmark summary stays in vLLM's English layout.
    ts::i18n::installTranslators(QLocale::system());

    return ts::cli::exitCodeAfterSignal(ts::cli::dispatch(QCoreApplication::arguments()));
}
