#pragma once

#include "core/benchmarkconfig.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <optional>

namespace ts {

struct SseEvent;

// What one request's stream has told us so far. Filled by a Backend from each SSE event.
struct StreamState
{
    QString text;                           // generated text (and reasoning) so far
    int contentChunks = 0;                  // messages that carried generated text
    // Tokens the last FirstContent / LaterChoice message carried, where the stream says so
    // (TGI: one per event; OpenAI streams with usage on every chunk); 0 when it does not.
    int chunkTokens = 0;
    bool usageOnEveryChunk = false;         // the first content message carried usage
    std::optional<int> promptTokens;        // from the server (usage / details)
    std::optional<int> completionTokens;
    QString error;                          // an error object sent inside the stream
    bool done = false;                      // [DONE] or a final event was seen

    // Reasoning models. A backend whose stream separates reasoning from the answer sets
    // chunkIsReasoning for each FirstContent / LaterChoice message: true when the text the
    // message carried is reasoning only. A message carrying both counts as answer.
    bool chunkIsReasoning = false;
    std::optional<int> reasoningTokens;     // from the server (usage details), where it says
};

// How the messages of a reply are framed on the wire.
enum class Framing {
    ServerSentEvents,   // text/event-stream (OpenAI, TGI, Anthropic, ...)
    JsonLines,          // newline-delimited JSON objects (Ollama)
    WholeBody,          // one JSON document: a reply that does not stream
};

// How the engine should timestamp an event.
enum class EventKind {
    Other,          // role-only, usage-only, keep-alive: no timestamp
    FirstContent,   // the first message carrying generated text: TTFT
    LaterChoice,    // a later choices message: one ITL entry, moves E2EL
    Error,          // the server reported an error in the stream
    Done,           // end of the stream
};

// One server API. Stateless: per-request state lives in StreamState, so one instance
// serves every request of a run from any thread. Its name, endpoint and the rest of what the
// application knows about it are its row in backendregistry.h.
class Backend
{
public:
    virtual ~Backend() = default;

    virtual QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config,
                                   bool stream = true) const = 0;
    // Interprets one message of a reply. Framings other than server-sent events deliver each
    // JSON message as an SseEvent with only its data set (see JsonMessageParser).
    virtual EventKind handleEvent(const SseEvent &event, StreamState &state) const = 0;
    virtual Framing framing() const { return Framing::ServerSentEvents; }

    // The backend for a name or alias (see findBackend()); nullptr for an unknown name.
    static std::unique_ptr<Backend> create(const QString &name);

protected:
    // temperature (0, greedy, unless the user set one, as vLLM's client sends), top_p, top_k and
    // min_p where set: the sampling fields most APIs name alike.
    static void addSampling(nlohmann::json &into, const SamplingConfig &sampling);
    // Whether a request must generate exactly its expected output length: --ignore-eos, and the
    // workloads whose output lengths are part of the test (random, as vLLM's client sends it,
    // and a trace, which recorded them).
    static bool wantsExactOutputLength(const BenchmarkConfig &config);

    // What every JSON-over-SSE API shares: [DONE], an "error:" event (llama.cpp), a message that
    // is not JSON, an error object in the stream. Returns false when the event was settled here
    // (kind says how); otherwise message holds the parsed object.
    static bool parseMessage(const SseEvent &event, StreamState &state, nlohmann::json &message, EventKind &kind);
};

} // namespace ts
