#include "backends/tritonbackend.h"

#include "backends/jsonfields.h"

namespace ts {

using nlohmann::json;

QByteArray TritonBackend::requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const
{
    // The fields vLLM's benchmark sends to its "tensorrt-llm" backend.
    json body;
    body["accumulate_tokens"] = true;
    body["text_input"] = prompt.prompt.toStdString();
    const SamplingConfig &s = config.sampling;
    body["temperature"] = s.temperature.value_or(0.0);
    body["top_p"] = s.topP.value_or(1.0);
    if (s.topK)
        body["top_k"] = *s.topK;
    body["max_tokens"] = prompt.expectedOutputTokens;
    body["stream"] = stream;
    // TensorRT-LLM has no ignore_eos; a minimum length has the same effect.
    if (wantsExactOutputLength(config))
        body["min_length"] = prompt.expectedOutputTokens;
    return QByteArray::fromStdString(body.dump());
}

EventKind TritonBackend::handleEvent(const SseEvent &event, StreamState &state) const
{
    json message;
    EventKind settled = EventKind::Other;
    if (!parseMessage(event, state, message, settled))
        return settled;
    const QString text = jsonString(message, "text_output");
    const bool first = state.contentChunks == 0;
    if (text.isEmpty())
        return first ? EventKind::Other : EventKind::LaterChoice;
    state.text += text;
    ++state.contentChunks;
    return first ? EventKind::FirstContent : EventKind::LaterChoice;
}

} // namespace ts
