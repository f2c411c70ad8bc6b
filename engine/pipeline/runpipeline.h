#pragma once

#include "core/benchmarkconfig.h"
#include "datasets/dataset.h"
#include "sweep/sweepconfig.h"

#include <QStringList>

#include <qcoro/qcorotask.h>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

class QNetworkAccessManager;
class QObject;

namespace ts {

class BenchmarkRunner;
class Tokenizer;

// What the user asked for, as the command line's flags or the window's form say it.
struct RunPlan
{
    BenchmarkConfig config;            // a sweep: the configuration every level starts from
    DatasetConfig dataset;             // numPrompts is set by the pipeline for a sweep
    QString tokenizerPath;             // a tokenizer.json or a folder holding one; empty: none
    std::optional<SweepConfig> sweep;  // set: a sweep; its base is replaced by config
    // Where the run (each level of a sweep) journals its finished requests, so a killed
    // process loses at most the last second (results/journal.h); empty: no journal.
    QString journalDirectory;
};

// How far the preparation got, and the way to stop it: shared between the caller, which polls
// it (a timer a few times a second), and the worker thread that reads the dataset.
class PreparationControl
{
public:
    void cancel() { m_cancelled = true; }
    bool isCancelled() const { return m_cancelled; }
    // In the dataset's own units (bytes of the file, or prompts built); total 0 while unknown.
    qint64 done() const { return m_done; }
    qint64 total() const { return m_total; }

    // Called by the worker.
    void report(qint64 done, qint64 total)
    {
        m_done = done;
        m_total = total;
    }

private:
    std::atomic<bool> m_cancelled { false };
    std::atomic<qint64> m_done { 0 };
    std::atomic<qint64> m_total { 0 };
};

// Everything a run or a sweep needs, ready to start.
struct PreparedRun
{
    BenchmarkConfig config;            // with the model and the tokenizer id resolved
    std::shared_ptr<const Tokenizer> tokenizer;
    std::vector<PromptSpec> prompts;                 // a single run
    std::vector<ConversationScript> conversations;   // a multi-turn run
    std::optional<SweepConfig> sweep;                // a sweep: base, tokenizer and prompts set
    QString journalDirectory;          // as planned
    QStringList warnings;              // e.g. skipped dataset lines, translated
    QString error;                     // set: the run cannot take place, and why (translated)
    bool serverError = false;          // the error is the server's (its model list), not the input's
    bool cancelled = false;

    bool ok() const { return error.isEmpty() && !cancelled; }
};

// The one way a run is prepared, for the window's runs and sweeps and the command line's:
// refuses request rates that would never send the run, fills in the model the server lists when none was given, loads the tokenizer, and builds the
// prompts (a sweep: reads a dataset file once for all its levels) in a worker thread, reporting
// progress and stopping early through control. Without a tokenizer, the random dataset's
// prompts are made exact with the server's tokenize endpoint where its backend has one
// (config.tokenizerSource "server"; otherwise "estimate", with a warning saying why; with a
// tokenizer "local"). The server must be known (the built-in one started) before. Runs in the
// caller's thread, which needs an event loop; network is used for the model list and the
// tokenize endpoint.
QCoro::Task<PreparedRun> prepareRun(RunPlan plan, QNetworkAccessManager &network,
                                    std::shared_ptr<PreparationControl> control);

// The runner for a prepared single run (prompts or conversations), with its tokenizer and
// journal set; created in the calling thread, which it then lives in. Once the result is safe
// (saved, or shown), the caller removes the journal: removeJournal(result.journal).
BenchmarkRunner *createRunner(PreparedRun &&prepared, QObject *parent = nullptr);

} // namespace ts
