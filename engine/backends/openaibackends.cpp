#include "backends/openaibackends.h"

#include "backends/jsonfields.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace ts {

using nlohmann::json;


json OpenAiBackendBase::commonBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const
{
    json body;
    body["model"] = config.target.model.toStdString();
    body["stream"] = stream;
    if (stream)
        body["stream_options"] = { { "include_usage", true } };
    addSampling(body, config.sampling);
    if (wantsExactOutputLength(config))
        body["ignore_eos"] = true;
    Q_UNUSED(prompt);
    return body;
}

EventKind OpenAiBackendBase::handleEvent(const SseEvent &event, StreamState &state) const
{
    nlohmann::json message;
    EventKind settled = EventKind::Other;
    if (!parseMessage(event, state, message, settled))
        return settled;
    const int countedBefore = state.completionTokens.value_or(0);
    std::optional<int> completionTokens;
    if (const auto usage = message.find("usage"); usage != message.end() && usage->is_object()) {
        if (auto n = jsonInt(*usage, "prompt_tokens"))
            state.promptTokens = n;
        completionTokens = jsonInt(*usage, "completion_tokens");
        if (completionTokens)
            state.completionTokens = completionTokens;
        if (const auto details = usage->find("completion_tokens_details"); details != usage->end() && details->is_object()) {
            if (auto n = jsonInt(*details, "reasoning_tokens"))
                state.reasoningTokens = n;
        }
    }
    const auto choices = message.find("choices");
    if (choices == message.end() || !choices->is_array() || choices->empty())
        return EventKind::Other;

    bool reasoningOnly = false;
    const QString text = choiceText(choices->front(), reasoningOnly);
    const bool first = state.contentChunks == 0;
    if (!text.isEmpty()) {
        state.text += text;
        ++state.contentChunks;
        state.chunkIsReasoning = reasoningOnly;
    }
    if (first && text.isEmpty())
        return EventKind::Other;
    // A running count on every chunk (vLLM's continuous_usage_stats) tells each chunk's tokens.
    // A count first seen on a later chunk is the total sent with the last one (llama.cpp), not
    // that chunk's share.
    if (first)
        state.usageOnEveryChunk = completionTokens.has_value();
    state.chunkTokens = state.usageOnEveryChunk && completionTokens
        ? std::max(0, *completionTokens - countedBefore)
        : 0;
    return first ? EventKind::FirstContent : EventKind::LaterChoice;
}

QByteArray OpenAiCompletionsBackend::requestBody(const PromptSpec &prompt, const BenchmarkConfig &config,
                                                 bool stream) const
{
    json body = commonBody(prompt, config, stream);
    body["prompt"] = prompt.prompt.toStdString();
    body["max_tokens"] = prompt.expectedOutputTokens;
    return QByteArray::fromStdString(body.dump());
}

QString OpenAiCompletionsBackend::choiceText(const json &choice, bool &reasoningOnly) const
{
    reasoningOnly = false;
    return jsonString(choice, "text");
}

QByteArray OpenAiChatBackend::requestBody(const PromptSpec &prompt, const BenchmarkConfig &config,
                                          bool stream) const
{
    json body = commonBody(prompt, config, stream);
    if (prompt.messages.empty()) {
        body["messages"] = json::array({ { { "role", "user" }, { "content", prompt.prompt.toStdString() } } });
    } else {
        json messages = json::array();
        for (const ChatMessage &m : prompt.messages)
            messages.push_back({ { "role", m.role.toStdString() }, { "content", m.content.toStdString() } });
        body["messages"] = std::move(messages);
    }
    body["max_completion_tokens"] = prompt.expectedOutputTokens;
    return QByteArray::fromStdString(body.dump());
}

QString OpenAiChatBackend::choiceText(const json &choice, bool &reasoningOnly) const
{
    reasoningOnly = false;
    const auto delta = choice.find("delta");
    if (delta == choice.end() || !delta->is_object())
        return jsonString(choice, "text");
    // Reasoning models stream their thinking first; it is generated output all the same.
    QString reasoning = jsonString(*delta, "reasoning_content");
    if (reasoning.isEmpty())
        reasoning = jsonString(*delta, "reasoning");
    const QString answer = jsonString(*delta, "content");
    reasoningOnly = !reasoning.isEmpty() && answer.isEmpty();
    return reasoning + answer;
}

} // namespace ts
