#include "backends/ollamabackends.h"

#include "backends/jsonfields.h"

namespace ts {

using nlohmann::json;

json OllamaBackendBase::commonBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const
{
    json options;
    options["num_predict"] = prompt.expectedOutputTokens;
    addSampling(options, config.sampling);
    // Ollama has no way to ignore the end-of-sequence token: a reply may end before num_predict.
    json body;
    body["model"] = config.target.model.toStdString();
    body["stream"] = stream;
    body["options"] = std::move(options);
    return body;
}

EventKind OllamaBackendBase::handleEvent(const SseEvent &event, StreamState &state) const
{
    json message;
    EventKind settled = EventKind::Other;
    if (!parseMessage(event, state, message, settled))
        return settled;

    const bool done = jsonTrue(message, "done");
    if (done) {
        state.done = true;
        if (auto n = jsonInt(message, "prompt_eval_count"))
            state.promptTokens = n;
        if (auto n = jsonInt(message, "eval_count"))
            state.completionTokens = n;
    }

    QString reasoning;
    QString answer;
    messageText(message, reasoning, answer);
    const QString text = reasoning + answer;
    const bool first = state.contentChunks == 0;
    if (text.isEmpty())
        return done ? EventKind::Done : EventKind::Other;
    state.text += text;
    ++state.contentChunks;
    state.chunkIsReasoning = answer.isEmpty();
    return first ? EventKind::FirstContent : EventKind::LaterChoice;
}

QByteArray OllamaGenerateBackend::requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const
{
    json body = commonBody(prompt, config, stream);
    body["prompt"] = prompt.prompt.toStdString();
    return QByteArray::fromStdString(body.dump());
}

void OllamaGenerateBackend::messageText(const json &message, QString &reasoning, QString &answer) const
{
    // Thinking models put their reasoning in "thinking" when the request asks for it.
    reasoning = jsonString(message, "thinking");
    answer = jsonString(message, "response");
}

QByteArray OllamaChatBackend::requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const
{
    json body = commonBody(prompt, config, stream);
    json messages = json::array();
    if (prompt.messages.empty()) {
        messages.push_back({ { "role", "user" }, { "content", prompt.prompt.toStdString() } });
    } else {
        for (const ChatMessage &m : prompt.messages)
            messages.push_back({ { "role", m.role.toStdString() }, { "content", m.content.toStdString() } });
    }
    body["messages"] = std::move(messages);
    return QByteArray::fromStdString(body.dump());
}

void OllamaChatBackend::messageText(const json &message, QString &reasoning, QString &answer) const
{
    const json *m = jsonObject(message, "message");
    if (!m)
        return;
    reasoning = jsonString(*m, "thinking");
    answer = jsonString(*m, "content");
}

} // namespace ts
