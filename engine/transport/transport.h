#pragma once

#include "core/benchmarkconfig.h"
#include "core/requestrecord.h"

#include <QObject>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

class QThread;

namespace ts {

class Backend;
class InFlightRegistry;
class Tokenizer;
class TransportWorker;

// What every request of a run shares. Immutable once the run starts, except the counters.
struct RunContext
{
    BenchmarkConfig config;
    std::shared_ptr<const Backend> backend;
    std::shared_ptr<const Tokenizer> tokenizer;   // counts output tokens when the server does not
    std::int64_t runStartNs = 0;                  // start of the measured part
    std::atomic<std::int64_t> contentChunks { 0 }; // for live throughput
    std::shared_ptr<InFlightRegistry> inFlight;   // measured requests in flight; may be null
};

struct RequestJob
{
    int index = -1;
    PromptSpec prompt;
    std::int64_t releasedNs = 0;   // when the arrival process released it (for queue time)
};

using RecordCallback = std::function<void(RequestRecord)>;

// The network side of a run: a few worker threads, each with its own event loop and its own
// pool of network managers, so reading and timestamping thousands of streams is spread over
// the cores and never waits behind the thread that schedules the run or paints the GUI.
class Transport
{
public:
    explicit Transport(std::shared_ptr<RunContext> context, int workerCount = 0);
    ~Transport();

    Transport(const Transport &) = delete;
    Transport &operator=(const Transport &) = delete;

    // Sends job on one of the workers. onDone is called on the worker's thread.
    void send(RequestJob job, RecordCallback onDone);
    // Aborts every request in flight; each still reports its record (as failed).
    void abortAll();

    int workerCount() const { return int(m_workers.size()); }
    // CPU time the workers' threads have used so far, in seconds; -1 where the system cannot
    // tell. Without the rest of the process (the runner, a GUI, a built-in server).
    double cpuSeconds() const;
    // Workers for a run of this load when --client-threads does not say.
    static int defaultWorkerCount(const LoadConfig &load);

private:
    std::shared_ptr<RunContext> m_context;
    std::vector<QThread *> m_threads;
    std::vector<TransportWorker *> m_workers;
    std::vector<int> m_cpuClocks;   // the threads' CPU-time clocks (clockid_t), where there are
    std::size_t m_next = 0;
};

} // namespace ts
