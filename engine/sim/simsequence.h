#pragma once

#include "sim/simlateness.h"
#include "sim/simreply.h"

#include <atomic>
#include <cstdint>

namespace ts::sim {

struct Connection;

// One generation request while the schedulers work on it. Owned by its connection; the
// schedulers hold plain pointers and drop them in cancel() or before sequenceFinished().
struct Sequence
{
    std::uint64_t serial = 0;      // unique per server, in arrival order
    std::uint64_t seed = 0;        // drives the generated tokens and jitter
    Connection *connection = nullptr;
    std::int64_t arrivalNs = 0;    // when the request's last byte reached the machine (monotonic)
    ReplyWriter reply;

    int promptTokens = 0;
    int targetTokens = 0;          // tokens to generate (max tokens, or the early EOS point)
    FinishReason finishReason = FinishReason::Length;
    int generated = 0;
    bool served = false;           // the whole reply was handed to the socket, and counted

    // Batching
    int prefillTarget = 0;         // prompt (+ already generated tokens after a preemption)
    int prefilled = 0;
    qint64 kvTokens = 0;           // KV cache tokens held

    // Fixed latency
    std::int64_t startNs = 0;
};

// Live numbers of a server, written in its thread, read from any thread.
struct Stats
{
    std::atomic<int> running {0};
    std::atomic<int> waiting {0};
    std::atomic<int> peakRunning {0};
    std::atomic<int> connections {0};
    std::atomic<qint64> servedLength {0};
    std::atomic<qint64> servedStop {0};
    std::atomic<qint64> aborted {0};
    std::atomic<qint64> rejected {0};
    std::atomic<qint64> timedOut {0};
    std::atomic<qint64> promptTokens {0};
    std::atomic<qint64> generatedTokens {0};
    std::atomic<qint64> preemptions {0};
    std::atomic<double> kvCacheUsage {0.0};
    std::atomic<std::uint64_t> version {0};   // bumped on every change, for change signals
    LatenessHistogram lateness;

    void setQueue(int runningNow, int waitingNow)
    {
        running.store(runningNow, std::memory_order_relaxed);
        waiting.store(waitingNow, std::memory_order_relaxed);
        if (runningNow > peakRunning.load(std::memory_order_relaxed))
            peakRunning.store(runningNow, std::memory_order_relaxed);
        touch();
    }
    void touch() { version.fetch_add(1, std::memory_order_relaxed); }
};

// What a scheduler calls back into: the server, which owns sockets and sequences.
class SequenceSink
{
public:
    virtual ~SequenceSink() = default;
    // seq.generated was just incremented; the token is due at deadlineNs.
    virtual void emitToken(Sequence &seq, std::int64_t deadlineNs) = 0;
    // The scheduler has let go of seq (after its last token); the sink may delete it and may
    // submit new sequences from here.
    virtual void sequenceFinished(Sequence &seq) = 0;
};

class Scheduler
{
public:
    virtual ~Scheduler() = default;
    virtual void submit(Sequence *seq) = 0;
    // Forgets seq at once (client gone): frees its slot and KV cache. Never calls the sink.
    virtual void cancel(Sequence *seq) = 0;
};

} // namespace ts::sim
