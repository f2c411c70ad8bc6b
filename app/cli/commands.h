#pragma once

#include <QCommandLineParser>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace ts::cli {

// Each command takes its own arguments (program name first) and returns the exit code:
// 0 success, 1 the work failed (server unreachable, every request failed), 2 bad flags.
int runCommand(const QStringList &arguments);
int serveCommand(const QStringList &arguments);
int sweepCommand(const QStringList &arguments);
int compareCommand(const QStringList &arguments);
int tokenizeCommand(const QStringList &arguments);
// Lists the journals of runs that did not end (no argument), or turns one into a result file.
int recoverCommand(const QStringList &arguments);
// `report` paints, so it makes its own (offscreen) QGuiApplication from main's arguments,
// in place of the QCoreApplication the other commands share.
int reportMain(int &argc, char **argv);

// Ctrl+C or SIGTERM: the first one asks the running command to stop and keep what it measured.
void installInterruptHandler();
bool interruptRequested();
// The process's exit code: 128 + the signal that stopped a command that then did its work
// (130 for Ctrl+C, 143 for SIGTERM), else the command's own.
int exitCodeAfterSignal(int exitCode);

void printError(const QString &message);
void printOut(const QString &text);

// Parses a command's arguments. Returns the exit code when the command is done already (2 after
// printing the parser's error, 0 after printing the help), nothing when it should go on.
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments);

// Polls for Ctrl+C while job (a BenchmarkRunner or a Sweep) runs, and then stops it so that it
// finishes with what it measured.
template<typename Job>
void stopOnInterrupt(QTimer &timer, Job &job)
{
    QObject::connect(&timer, &QTimer::timeout, &job, [&job] {
        if (interruptRequested() && job.isRunning())
            job.stop();
    });
    timer.start(100);
}

} // namespace ts::cli
