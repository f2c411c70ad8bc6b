#include "backends/sglangbackend.h"

#include "backends/jsonfields.h"

namespace ts {

using nlohmann::json;

QByteArray SglangBackend::requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const
{
    json params;
    params["max_new_tokens"] = prompt.expectedOutputTokens;
    addSampling(params, config.sampling);
    if (wantsExactOutputLength(config))
        params["ignore_eos"] = true;
    json body;
    body["text"] = prompt.prompt.toStdString();
    body["sampling_params"] = std::move(params);
    body["stream"] = stream;
    return QByteArray::fromStdString(body.dump());
}

EventKind SglangBackend::handleEvent(const SseEvent &event, StreamState &state) const
{
    json message;
    EventKind settled = EventKind::Other;
    if (!parseMessage(event, state, message, settled))
        return settled;

    const int countedBefore = state.completionTokens.value_or(0);
    std::optional<int> completionTokens;
    if (const json *meta = jsonObject(message, "meta_info")) {
        if (auto n = jsonInt(*meta, "prompt_tokens"))
            state.promptTokens = n;
        completionTokens = jsonInt(*meta, "completion_tokens");
        if (completionTokens)
            state.completionTokens = completionTokens;
    }

    const auto textField = message.find("text");
    if (textField == message.end() || !textField->is_string())
        return EventKind::Other;
    // The new part is what the whole text adds to what came before. Text already received
    // stays as it came: its chunk boundaries are recorded, so a server that rewrites earlier
    // text (a character completed across steps) only has its growth counted.
    const QString whole = jsonString(message, "text");
    const QString delta = whole.size() > state.text.size() ? whole.mid(state.text.size()) : QString();
    const bool first = state.contentChunks == 0;
    if (first && delta.isEmpty())
        return EventKind::Other;
    if (!delta.isEmpty()) {
        state.text += delta;
        ++state.contentChunks;
    }
    // Every event is one decoding step, with the running count: each chunk's tokens are the
    // count's growth.
    if (first)
        state.usageOnEveryChunk = completionTokens.has_value();
    state.chunkTokens = state.usageOnEveryChunk && completionTokens ? std::max(0, *completionTokens - countedBefore) : 0;
    return first ? EventKind::FirstContent : EventKind::LaterChoice;
}

} // namespace ts
