#include "backends/embeddingsbackend.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace ts {

using nlohmann::json;

QByteArray EmbeddingsBackend::requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const
{
    // vLLM's client also sends "truncate_prompt_tokens": -1, a vLLM extension that OpenAI's own
    // API and TEI do not know; left out so that the one body works with every server.
    Q_UNUSED(stream);
    json body;
    body["model"] = config.target.model.toStdString();
    body["input"] = prompt.prompt.toStdString();
    return QByteArray::fromStdString(body.dump());
}

EventKind EmbeddingsBackend::handleEvent(const SseEvent &event, StreamState &state) const
{
    json message;
    EventKind settled = EventKind::Other;
    if (!parseMessage(event, state, message, settled))
        return settled;
    if (const auto usage = message.find("usage"); usage != message.end() && usage->is_object()) {
        if (const auto n = usage->find("prompt_tokens"); n != usage->end() && n->is_number()) {
            // Clamped: a count like 1e90 from a misbehaving server must not overflow the int.
            state.promptTokens = int(std::clamp(n->get<double>(), 0.0, double(std::numeric_limits<int>::max())));
        }
    }
    const auto data = message.find("data");
    if (data == message.end() || !data->is_array() || data->empty()) {
        state.error = QCoreApplication::translate("ts::Backend", "The server answered without an embedding.");
        return EventKind::Error;
    }
    // The reply is the result: its arrival is the request's first (and last) content, though it
    // carries no generated text, no output tokens and so no output chunk.
    state.completionTokens = 0;
    state.chunkTokens = 0;
    state.done = true;
    return EventKind::FirstContent;
}

} // namespace ts
