#include "backends/tgibackend.h"

#include "backends/jsonfields.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace ts {

using nlohmann::json;

QByteArray TgiBackend::requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const
{
    json parameters;
    parameters["max_new_tokens"] = prompt.expectedOutputTokens;
    parameters["details"] = true;
    const SamplingConfig &s = config.sampling;
    // TGI rejects temperature 0 and top_p 1; leave them out unless the user set them.
    if (s.temperature && *s.temperature > 0.0) {
        parameters["do_sample"] = true;
        parameters["temperature"] = *s.temperature;
    }
    if (s.topP && *s.topP < 1.0)
        parameters["top_p"] = *s.topP;
    if (s.topK && *s.topK > 0)
        parameters["top_k"] = *s.topK;
    json body;
    body["inputs"] = prompt.prompt.toStdString();
    body["parameters"] = std::move(parameters);
    body["stream"] = stream;
    return QByteArray::fromStdString(body.dump());
}

EventKind TgiBackend::handleEvent(const SseEvent &event, StreamState &state) const
{
    nlohmann::json message;
    EventKind settled = EventKind::Other;
    if (!parseMessage(event, state, message, settled))
        return settled;
    if (const auto details = message.find("details"); details != message.end() && details->is_object()) {
        if (const auto n = jsonInt(*details, "generated_tokens"))
            state.completionTokens = n;
        if (const auto prefill = details->find("prefill"); prefill != details->end() && prefill->is_array()
            && !prefill->empty())
            state.promptTokens = int(prefill->size());
    }
    if (const auto generated = message.find("generated_text"); generated != message.end() && generated->is_string())
        state.done = true;

    const auto token = message.find("token");
    if (token == message.end() || !token->is_object())
        return state.done ? EventKind::Done : EventKind::Other;
    // Not value("special", false): it throws, ending the program, when a server sends a non-boolean.
    const auto specialField = token->find("special");
    const bool special = specialField != token->end() && specialField->is_boolean() && specialField->get<bool>();
    QString text;
    if (const auto t = token->find("text"); t != token->end() && t->is_string())
        text = QString::fromStdString(t->get_ref<const std::string &>());
    const bool first = state.contentChunks == 0;
    if (!special) {
        state.text += text;
        ++state.contentChunks;
    }
    // Every event carries exactly one token, a special one included.
    state.chunkTokens = 1;
    if (first)
        return special ? EventKind::Other : EventKind::FirstContent;
    return EventKind::LaterChoice;
}

} // namespace ts
