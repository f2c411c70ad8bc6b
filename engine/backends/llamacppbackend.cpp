#include "backends/llamacppbackend.h"

#include "backends/jsonfields.h"

namespace ts {

using nlohmann::json;

QByteArray LlamaCppBackend::requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const
{
    json body;
    body["prompt"] = prompt.prompt.toStdString();
    body["n_predict"] = prompt.expectedOutputTokens;
    body["stream"] = stream;
    addSampling(body, config.sampling);
    if (wantsExactOutputLength(config))
        body["ignore_eos"] = true;
    return QByteArray::fromStdString(body.dump());
}

EventKind LlamaCppBackend::handleEvent(const SseEvent &event, StreamState &state) const
{
    json message;
    EventKind settled = EventKind::Other;
    if (!parseMessage(event, state, message, settled))
        return settled;

    const bool stop = jsonTrue(message, "stop");
    if (stop) {
        state.done = true;
        // tokens_evaluated counts the whole prompt; timings.prompt_n only the part not cached.
        const json *timings = jsonObject(message, "timings");
        std::optional<int> prompt = jsonInt(message, "tokens_evaluated");
        std::optional<int> predicted = jsonInt(message, "tokens_predicted");
        if (!prompt && timings)
            prompt = jsonInt(*timings, "prompt_n");
        if (!predicted && timings)
            predicted = jsonInt(*timings, "predicted_n");
        if (prompt)
            state.promptTokens = prompt;
        if (predicted)
            state.completionTokens = predicted;
    }

    const QString text = jsonString(message, "content");
    const bool first = state.contentChunks == 0;
    if (text.isEmpty())
        // The closing event carries the counts and, in current servers, no text.
        return stop ? EventKind::Done : EventKind::Other;
    state.text += text;
    ++state.contentChunks;
    return first ? EventKind::FirstContent : EventKind::LaterChoice;
}

} // namespace ts
