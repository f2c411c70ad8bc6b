#pragma once

#include "sim/simconfig.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace ts {

// Live state of a simulated server. Snapshots are cheap and may be taken from any thread.
struct SimCounters
{
    int running = 0;            // sequences being generated (batching: in the batch)
    int waiting = 0;            // admitted requests waiting for a slot or for KV cache
    int peakRunning = 0;        // highest `running` since start or resetPeaks()
    int connections = 0;        // open client connections
    qint64 requestsServed = 0;  // generation requests answered in full
    qint64 requestsAborted = 0; // the client went away before the end
    qint64 requestsRejected = 0;// answered with 4xx
    qint64 requestsTimedOut = 0;  // a head or body came too slowly: 408, closed (not in rejected)
    qint64 promptTokens = 0;
    qint64 generatedTokens = 0; // tokens written to clients
    qint64 preemptions = 0;     // batching: sequences evicted because the KV cache was full
    double kvCacheUsage = 0.0;  // 0..1
};

// How late token writes were against their deadlines (deadline -> just before the socket
// write). This is the proof that the server kept its timing during a benchmark.
struct SimLateness
{
    qint64 count = 0;
    double meanS = 0.0;
    double maxS = 0.0;
    double p50S = 0.0;          // quantiles are bucket estimates (within ~6%)
    double p90S = 0.0;
    double p99S = 0.0;
    double p999S = 0.0;
    qint64 overOneMs = 0;       // writes more than 1 ms late
};

class SimServerPrivate;

// A simulated LLM inference server speaking HTTP/1.1 (OpenAI completions and chat, TGI,
// /v1/models, /health, /metrics). Lives and runs in the thread that creates it; use
// SimServerThread to run it in a thread of its own.
//
// Prompt tokens are counted by a simple deterministic pre-tokenizer (see simtokenizer.h):
// every non-ASCII character is one token, a run of ASCII letters/digits is one token per
// 4 characters, every other printable ASCII symbol is one token, whitespace is free.
// Chat prompts count the text of every message, nothing for the template.
// Generated tokens come from a built-in mixed Chinese/English vocabulary, seeded; every
// streamed SSE message carries exactly one token.
//
// Clients are held to the config's limits: a request's head and body each within a time
// (else 408 and the connection closes), idle kept-alive connections closed after a time,
// announced bodies above a size refused (413) unread, heads above 64 KiB refused (431), JSON
// nested deeper than 64 levels refused (400).
class SimServer : public QObject
{
    Q_OBJECT
public:
    explicit SimServer(SimServerConfig config = {}, QObject *parent = nullptr);
    ~SimServer() override;

    // Validates the config and listens on config().host:config().port.
    // False on failure, with errorString() set (translated).
    bool listen();
    void close();                      // stops listening and drops every connection
    bool isListening() const;
    QString errorString() const;

    quint16 port() const;              // the bound port (useful with port 0)
    QUrl baseUrl() const;              // http://host:port
    const SimServerConfig &config() const;

    // Thread-safe.
    SimCounters counters() const;
    SimLateness writeLateness() const;
    // Forgets peakRunning and the lateness statistics (e.g. between two benchmark runs).
    // Call in the server's thread.
    void resetPeaks();

Q_SIGNALS:
    // At most ~10 times a second, and only when something changed.
    void countersChanged(const ts::SimCounters &counters);

private:
    std::unique_ptr<SimServerPrivate> d;
};

} // namespace ts

Q_DECLARE_METATYPE(ts::SimCounters)
Q_DECLARE_METATYPE(ts::SimLateness)
