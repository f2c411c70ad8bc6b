#include "backends/anthropicbackend.h"

#include "backends/jsonfields.h"

#include <QCoreApplication>

namespace ts {

using nlohmann::json;

QByteArray AnthropicBackend::requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const
{
    json body;
    body["model"] = config.target.model.toStdString();
    body["max_tokens"] = prompt.expectedOutputTokens;
    // The API takes the system prompt beside the messages, not as one of them.
    QString system;
    json messages = json::array();
    if (prompt.messages.empty()) {
        messages.push_back({ { "role", "user" }, { "content", prompt.prompt.toStdString() } });
    } else {
        for (const ChatMessage &m : prompt.messages) {
            if (m.role == QLatin1String("system"))
                system += m.content;
            else
                messages.push_back({ { "role", m.role.toStdString() }, { "content", m.content.toStdString() } });
        }
    }
    if (!system.isEmpty())
        body["system"] = system.toStdString();
    body["messages"] = std::move(messages);
    body["stream"] = stream;
    if (config.sampling.temperature)
        body["temperature"] = *config.sampling.temperature;
    if (config.sampling.topP)
        body["top_p"] = *config.sampling.topP;
    if (config.sampling.topK)
        body["top_k"] = *config.sampling.topK;
    return QByteArray::fromStdString(body.dump());
}

EventKind AnthropicBackend::handleEvent(const SseEvent &event, StreamState &state) const
{
    json message;
    EventKind settled = EventKind::Other;
    if (!parseMessage(event, state, message, settled))
        return settled;
    if (jsonTypeIs(message, "content_block_delta")) {
        const json *delta = jsonObject(message, "delta");
        if (!delta)
            return EventKind::Other;
        QString text;
        if (jsonTypeIs(*delta, "text_delta")) {
            text = jsonString(*delta, "text");
            state.chunkIsReasoning = false;
        } else if (jsonTypeIs(*delta, "thinking_delta")) {
            text = jsonString(*delta, "thinking");
            state.chunkIsReasoning = true;
        }
        if (text.isEmpty())
            return EventKind::Other;
        const bool first = state.contentChunks == 0;
        state.text += text;
        ++state.contentChunks;
        state.chunkTokens = 0;
        return first ? EventKind::FirstContent : EventKind::LaterChoice;
    }
    if (jsonTypeIs(message, "message_start")) {
        const json *start = jsonObject(message, "message");
        if (const json *usage = start ? jsonObject(*start, "usage") : nullptr) {
            if (auto n = jsonInt(*usage, "input_tokens"))
                state.promptTokens = n;
        }
        return EventKind::Other;
    }
    if (jsonTypeIs(message, "message_delta")) {
        // The count is cumulative: the last message_delta has the reply's total.
        if (const json *usage = jsonObject(message, "usage")) {
            if (auto n = jsonInt(*usage, "output_tokens"))
                state.completionTokens = n;
            if (auto n = jsonInt(*usage, "input_tokens"))
                state.promptTokens = n;
        }
        return EventKind::Other;
    }
    if (jsonTypeIs(message, "message_stop")) {
        state.done = true;
        return EventKind::Done;
    }
    return EventKind::Other;
}

} // namespace ts
