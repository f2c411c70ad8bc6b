#include "backends/responsesbackend.h"

#include "backends/jsonfields.h"

#include <QCoreApplication>

namespace ts {

using nlohmann::json;

QByteArray OpenAiResponsesBackend::requestBody(const PromptSpec &prompt, const BenchmarkConfig &config,
                                               bool stream) const
{
    json body;
    body["model"] = config.target.model.toStdString();
    if (prompt.messages.empty()) {
        body["input"] = prompt.prompt.toStdString();
    } else {
        json input = json::array();
        for (const ChatMessage &m : prompt.messages)
            input.push_back({ { "role", m.role.toStdString() }, { "content", m.content.toStdString() } });
        body["input"] = std::move(input);
    }
    body["max_output_tokens"] = prompt.expectedOutputTokens;
    body["stream"] = stream;
    // Greedy unless asked otherwise, as for the other OpenAI APIs.
    body["temperature"] = config.sampling.temperature.value_or(0.0);
    if (config.sampling.topP)
        body["top_p"] = *config.sampling.topP;
    return QByteArray::fromStdString(body.dump());
}

namespace {

void readUsage(const json &response, StreamState &state)
{
    const json *usage = jsonObject(response, "usage");
    if (!usage)
        return;
    if (auto n = jsonInt(*usage, "input_tokens"))
        state.promptTokens = n;
    if (auto n = jsonInt(*usage, "output_tokens"))
        state.completionTokens = n;
    if (const json *details = jsonObject(*usage, "output_tokens_details")) {
        if (auto n = jsonInt(*details, "reasoning_tokens"))
            state.reasoningTokens = n;
    }
}

} // namespace

EventKind OpenAiResponsesBackend::handleEvent(const SseEvent &event, StreamState &state) const
{
    json message;
    EventKind settled = EventKind::Other;
    if (!parseMessage(event, state, message, settled))
        return settled;
    const QString type = jsonString(message, "type");
    if (type == QLatin1String("response.output_text.delta") || type == QLatin1String("response.reasoning_text.delta")
        || type == QLatin1String("response.reasoning_summary_text.delta")) {
        const QString delta = jsonString(message, "delta");
        if (delta.isEmpty())
            return EventKind::Other;
        const bool first = state.contentChunks == 0;
        state.text += delta;
        ++state.contentChunks;
        state.chunkIsReasoning = type != QLatin1String("response.output_text.delta");
        state.chunkTokens = 0;
        return first ? EventKind::FirstContent : EventKind::LaterChoice;
    }
    if (type == QLatin1String("response.completed") || type == QLatin1String("response.incomplete")) {
        // An incomplete response (max_output_tokens reached) is a normal end for a benchmark.
        if (const json *response = jsonObject(message, "response"))
            readUsage(*response, state);
        state.done = true;
        return EventKind::Done;
    }
    if (type == QLatin1String("response.failed") || type == QLatin1String("error")) {
        const json *response = jsonObject(message, "response");
        const json *error = response ? jsonObject(*response, "error") : nullptr;
        QString text = jsonString(error ? *error : message, "message");
        if (text.isEmpty())
            text = QCoreApplication::translate("ts::Backend", "The server reported that the response failed.");
        state.error = text;
        return EventKind::Error;
    }
    return EventKind::Other;
}

} // namespace ts
