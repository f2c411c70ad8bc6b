#pragma once

#include "core/benchmarkconfig.h"
#include "core/requestrecord.h"
#include "datasets/dataset.h"

#include <QDateTime>
#include <QObject>

#include <memory>
#include <vector>

namespace ts {

// Live counters of a run, sent a few times a second. Cumulative counts, so a view can take
// differences between two snapshots to get rates.
struct RunProgress
{
    int total = 0;              // requests in the measured part of the run (warm-ups excluded);
                                // in a run limited by --duration, those released so far
    int sent = 0;
    int inFlight = 0;           // sent, reply not finished
    int waiting = 0;            // released by the arrival process, waiting for a concurrency slot
    int succeeded = 0;
    int failed = 0;
    qint64 outputChunks = 0;    // content chunks received so far
    double elapsed = 0.0;       // seconds since the measured part began
    bool warmingUp = false;
};

// What a run produced. A stopped or failed run keeps every record it measured.
struct RunResult
{
    BenchmarkConfig config;
    QDateTime date;                      // when the run started (local time)
    QDateTime measureStart;              // when the measured part began (after probe and warm-ups)
    std::vector<RequestRecord> records;  // finished requests, in order of completion
    double duration = 0.0;               // seconds from first dispatch to last completion
    int requested = 0;                   // requests the run meant to send (--duration: those it sent)
    bool stopped = false;                // the user stopped it
    double clientCpuSeconds = 0.0;       // CPU time of this process during the measured part
    int clientThreads = 0;               // transport threads the run used
    double transportCpuSeconds = -1.0;   // their CPU time during the measured part; -1 if unknown
    QString error;                       // set when the run could not go on (e.g. bad config)
    QString journal;                     // the run's journal file (results/journal.h); empty: none
    QString journalError;                // why the run went without one, when it was asked for
};

// How busy the client was: its transport threads' CPU time in the measured part over that
// part's duration times their number (0 when unknown: the threads' CPU time is read on Linux
// only). Each transport thread reads its own streams; near kClientBusyLoad and above, a
// stream's bytes wait for the thread, and the client's own delays show in the TTFT and ITL
// tails (docs/performance.md). A GUI or a built-in server in the same process does not count.
double clientThreadLoad(const RunResult &run);
inline constexpr double kClientBusyLoad = 0.9;

class BenchmarkRunnerPrivate;
class InFlightRegistry;
class Tokenizer;

// Runs one benchmark: warm-ups, then the arrival process, concurrency slots and the requests,
// each request's bytes timestamped as they arrive. Lives in the thread that creates it; the
// network work runs on the transport's own threads.
class BenchmarkRunner : public QObject
{
    Q_OBJECT
public:
    // Prompts that carry send times (PromptSpec::sendAtS, a replayed trace) are sent at those
    // times scaled by config.load.traceTimeScale instead of the arrival process's: the first
    // config.load.numPrompts of them (<= 0: all), each once, ordered by time; numPrompts is
    // then their number.
    BenchmarkRunner(BenchmarkConfig config, std::vector<PromptSpec> prompts, QObject *parent = nullptr);
    // A multi-turn run. The arrival process releases conversations (config.load.numPrompts of
    // them at most, fewer when the list is shorter); each sends its turns in order, turn k+1
    // right after turn k has finished, failed or not. A conversation holds its concurrency slot
    // from its first turn to the end of its last, so --max-concurrency N means N users chatting
    // at once. Records carry the conversation and turn; config.multiTurn is set.
    BenchmarkRunner(BenchmarkConfig config, std::vector<ConversationScript> conversations, QObject *parent = nullptr);
    ~BenchmarkRunner() override;

    // Counts output tokens on the client when the server sends no usage. Call before start().
    void setTokenizer(std::shared_ptr<const Tokenizer> tokenizer);

    // Journals each measured request into a new file in dir (results/journal.h), so a killed
    // process loses at most the last second; RunResult::journal names the file. The caller
    // removes it (removeJournal()) once the result is safe. Call before start().
    void setJournalDirectory(const QString &dir);

    // Starts the run; finished() is emitted exactly once afterwards.
    void start();
    // Stops sending, aborts what is in flight, and finishes with what was measured.
    void stop();

    bool isRunning() const;
    RunProgress progress() const;
    // The measured requests in flight, for a live timeline: take it in the runner's thread
    // (e.g. right after constructing it), then poll snapshot() from any thread a few times a
    // second. It outlives the runner, empty once the run is over. Warm-ups are not listed.
    std::shared_ptr<const InFlightRegistry> inFlightRegistry() const;
    const BenchmarkConfig &config() const;

Q_SIGNALS:
    void progressChanged(const ts::RunProgress &progress);   // about 10 times a second
    void requestFinished(const ts::RequestRecord &record);    // warm-ups are not reported
    void finished(const ts::RunResult &result);

private:
    std::unique_ptr<BenchmarkRunnerPrivate> d;
};

} // namespace ts

Q_DECLARE_METATYPE(ts::RunProgress)
Q_DECLARE_METATYPE(ts::RunResult)
Q_DECLARE_METATYPE(ts::RequestRecord)
