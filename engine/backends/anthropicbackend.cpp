#include "backends/anthropicbackend.h"

#include "backends/jsonfields.h"

#include <QCoreApplication>

namespace ts {

using nlohmann::json;

namespace {

// Anthropic's input_tokens leaves out the prompt tokens read from or written to its prompt cache
// (llama.cpp's server reports a reused prefix there too): the prompt is the sum of the three.
std::optional<int> promptTokensOf(const json &usage)
{
    const std::optional<int> input = jsonInt(usage, "input_tokens");
    if (!input)
        return std::nullopt;
    const qint64 total = qint64(*input) + jsonInt(usage, "cache_read_input_tokens").value_or(0)
        + jsonInt(usage, "cache_creation_input_tokens").value_or(0);
    return int(std::clamp<qint64>(total, 0, std::numeric_limits<int>::max()));
}

} // namespace

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
            if (auto n = promptTokensOf(*usage))
                state.promptTokens = n;
        }
        return EventKind::Other;
    }
    if (jsonTypeIs(message, "message_delta")) {
        // The count is cumulative: the last message_delta has the reply's total.
        if (const json *usage = jsonObject(message, "usage")) {
            if (auto n = jsonInt(*usage, "output_tokens"))
                state.completionTokens = n;
            if (auto n = promptTokensOf(*usage))
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
