#include "sim/simformats.h"

#include "sim/simhttp.h"
#include "sim/simtokenizer.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

namespace ts::sim {

namespace {

// Ollama's /api/generate and /api/chat: newline-delimited JSON objects in a chunked reply, the
// last one with "done": true and the token counts.
class OllamaFormat final : public ReplyFormat
{
public:
    explicit OllamaFormat(bool chat) : m_chat(chat) { }

    QByteArray streamHead(const ReplySpec &spec) const override
    {
        return chunkedHead(spec, "application/x-ndjson");
    }

    void appendToken(QByteArray &out, const ReplySpec &spec, const VocabToken &token, int position, bool last,
                     FinishReason reason) override
    {
        Q_UNUSED(position);
        Q_UNUSED(last);
        Q_UNUSED(reason);
        if (!spec.stream) {
            m_text += token.jsonEscaped;
            return;
        }
        if (m_prefix.isEmpty()) {
            m_prefix = "{\"model\":\"" + spec.modelEscaped + "\",\"created_at\":\"" + createdAt(spec) + "\","
                + (m_chat ? "\"message\":{\"role\":\"assistant\",\"content\":\"" : "\"response\":\"");
            m_suffix = m_chat ? "\"},\"done\":false}\n" : "\",\"done\":false}\n";
        }
        appendChunk(out, { m_prefix, token.jsonEscaped, m_suffix });
    }

    void appendEnd(QByteArray &out, const ReplySpec &spec, int generatedTokens, FinishReason reason) override
    {
        QByteArray last = "{\"model\":\"" + spec.modelEscaped + "\",\"created_at\":\"" + createdAt(spec) + "\","
            + (m_chat ? QByteArray("\"message\":{\"role\":\"assistant\",\"content\":\"" + m_text + "\"}")
                      : QByteArray("\"response\":\"" + m_text + '"'))
            + ",\"done\":true,\"done_reason\":\"" + (reason == FinishReason::Stop ? "stop" : "length")
            + "\",\"prompt_eval_count\":" + QByteArray::number(spec.promptTokens)
            + ",\"eval_count\":" + QByteArray::number(generatedTokens) + '}';
        if (!spec.stream) {
            out += httpResponse(200, "application/json; charset=utf-8", last, spec.keepAlive);
            return;
        }
        appendChunk(out, { last, "\n" });
        appendLastChunk(out);
    }

    QByteArray modelList(const QByteArray &modelEscaped, int maxModelLen) const override
    {
        Q_UNUSED(maxModelLen);
        return "{\"models\":[{\"name\":\"" + modelEscaped + "\",\"model\":\"" + modelEscaped
            + "\",\"size\":0,\"digest\":\"\",\"details\":{\"format\":\"gguf\"}}]}";
    }

private:
    static QByteArray createdAt(const ReplySpec &spec)
    {
        return QDateTime::fromSecsSinceEpoch(spec.created, Qt::UTC).toString(Qt::ISODate).toLatin1();
    }

    bool m_chat;
    QByteArray m_prefix;   // a message up to the token text
    QByteArray m_suffix;
    QByteArray m_text;     // escaped, for a reply that does not stream
};

std::optional<RequestError> readCommon(const nlohmann::json &body, GenerationRequest &out)
{
    if (auto e = readModel(body, out.model))
        return e;
    if (!out.model)
        return badRequest("model is required", "model");
    // Ollama streams unless told otherwise.
    out.stream = true;
    if (auto e = readBool(body, "stream", out.stream))
        return e;
    const auto options = body.find("options");
    if (options != body.end() && !options->is_null()) {
        if (!options->is_object())
            return badRequest("options must be an object", "options");
        // num_predict -1 generates until the end of the sequence: the server's default here.
        const auto n = options->find("num_predict");
        if (n != options->end() && !(n->is_number_integer() && n->get<long long>() < 0)) {
            if (auto e = readMaxTokens(*options, "num_predict", out.maxTokens))
                return e;
        }
    }
    return std::nullopt;
}

} // namespace

std::unique_ptr<ReplyFormat> makeOllamaFormat(bool chat)
{
    return std::make_unique<OllamaFormat>(chat);
}

std::optional<RequestError> parseOllamaRequest(bool chat, const nlohmann::json &body, GenerationRequest &out)
{
    if (auto e = readCommon(body, out))
        return e;
    if (!chat) {
        const auto prompt = body.find("prompt");
        if (prompt == body.end() || !prompt->is_string())
            return badRequest("prompt must be a string", "prompt");
        out.promptTokens = textTokens(*prompt);
        return std::nullopt;
    }
    const auto messages = body.find("messages");
    if (messages == body.end() || !messages->is_array() || messages->empty())
        return badRequest("messages must be a non-empty list", "messages");
    int tokens = 0;
    for (const nlohmann::json &m : *messages) {
        if (!m.is_object())
            return badRequest("each message must be an object", "messages");
        if (const auto content = m.find("content"); content != m.end())
            tokens += textTokens(*content);
    }
    out.promptTokens = tokens;
    return std::nullopt;
}

} // namespace ts::sim
