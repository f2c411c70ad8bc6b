// Anthropic's Messages API (/v1/messages) as Anthropic and llama.cpp stream it: a thinking
// block (a reasoning model) before the text block.
#include "sim/simformats.h"
#include "sim/simhttp.h"
#include "sim/simtokenizer.h"

#include <nlohmann/json.hpp>

namespace ts::sim {

namespace {

using json = nlohmann::json;

const char *stopReason(FinishReason r) { return r == FinishReason::Stop ? "end_turn" : "max_tokens"; }

class AnthropicFormat final : public ReplyFormat
{
public:
    void appendToken(QByteArray &out, const ReplySpec &spec, const VocabToken &token, int position, bool last,
                     FinishReason reason) override
    {
        Q_UNUSED(last);
        Q_UNUSED(reason);
        const bool thinking = position < spec.reasoningTokens;
        (thinking ? m_thinking : m_text) += token.jsonEscaped;
        if (!spec.stream)
            return;
        if (position == 0) {
            appendEvent(out, "message_start",
                        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_" + spec.requestId
                            + "\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\""
                            + spec.modelEscaped + "\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":"
                              "{\"input_tokens\":" + QByteArray::number(spec.promptTokens)
                            + ",\"output_tokens\":1}}}");
            startBlock(out, thinking);
            appendEvent(out, "ping", "{\"type\":\"ping\"}");
        } else if (!thinking && m_inThinking) {
            stopBlock(out);
            startBlock(out, false);
        }
        const QByteArray index = QByteArray::number(m_block);
        if (thinking) {
            appendEvent(out, "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":" + index
                            + ",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"" + token.jsonEscaped + "\"}}");
        } else {
            appendEvent(out, "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":" + index
                            + ",\"delta\":{\"type\":\"text_delta\",\"text\":\"" + token.jsonEscaped + "\"}}");
        }
    }

    void appendEnd(QByteArray &out, const ReplySpec &spec, int generatedTokens, FinishReason reason) override
    {
        const QByteArray outputTokens = QByteArray::number(generatedTokens);
        if (!spec.stream) {
            QByteArray body = "{\"id\":\"msg_" + spec.requestId + "\",\"type\":\"message\",\"role\":\"assistant\","
                              "\"model\":\"" + spec.modelEscaped + "\",\"content\":[";
            if (!m_thinking.isEmpty())
                body += "{\"type\":\"thinking\",\"thinking\":\"" + m_thinking + "\",\"signature\":\"\"},";
            body += "{\"type\":\"text\",\"text\":\"" + m_text + "\"}],\"stop_reason\":\"" + stopReason(reason)
                + "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + QByteArray::number(spec.promptTokens)
                + ",\"output_tokens\":" + outputTokens + "}}";
            out += httpResponse(200, "application/json", body, spec.keepAlive);
            return;
        }
        stopBlock(out);
        appendEvent(out, "message_delta",
                    QByteArray("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"") + stopReason(reason)
                        + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}");
        appendEvent(out, "message_stop", "{\"type\":\"message_stop\"}");
        appendLastChunk(out);
    }

private:
    static void appendEvent(QByteArray &out, QByteArrayView type, const QByteArray &data)
    {
        appendChunk(out, { "event: ", type, "\ndata: ", data, "\n\n" });
    }

    void startBlock(QByteArray &out, bool thinking)
    {
        if (m_open)
            ++m_block;
        m_open = true;
        m_inThinking = thinking;
        appendEvent(out, "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":" + QByteArray::number(m_block)
                        + (thinking ? ",\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"
                                    : ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    }

    void stopBlock(QByteArray &out)
    {
        if (!m_open)
            return;
        appendEvent(out, "content_block_stop",
                    "{\"type\":\"content_block_stop\",\"index\":" + QByteArray::number(m_block) + '}');
        ++m_block;
        m_open = false;
        m_inThinking = false;
    }

    int m_block = 0;           // index of the current (or next) content block
    bool m_open = false;
    bool m_inThinking = false;
    QByteArray m_thinking;     // escaped
    QByteArray m_text;
};

// system: a string or a list of text blocks.
std::optional<int> systemTokens(const json &system)
{
    if (system.is_null())
        return 0;
    if (system.is_string())
        return textTokens(system);
    if (!system.is_array())
        return std::nullopt;
    int tokens = 0;
    for (const json &block : system) {
        if (block.is_object()) {
            if (const auto text = block.find("text"); text != block.end())
                tokens += textTokens(*text);
        }
    }
    return tokens;
}

} // namespace

std::unique_ptr<ReplyFormat> makeAnthropicFormat()
{
    return std::make_unique<AnthropicFormat>();
}

std::optional<RequestError> parseAnthropicRequest(const json &body, GenerationRequest &out)
{
    if (auto e = readModel(body, out.model))
        return e;
    const auto messages = body.find("messages");
    if (messages == body.end())
        return badRequest("messages: Field required", "messages");
    const std::optional<int> tokens = messagesTokens(*messages);
    if (!tokens)
        return badRequest("messages: must be a non-empty list of message objects", "messages");
    out.promptTokens = *tokens;
    if (const auto system = body.find("system"); system != body.end()) {
        const std::optional<int> more = systemTokens(*system);
        if (!more)
            return badRequest("system: must be a string or a list of text blocks", "system");
        out.promptTokens += *more;
    }
    // Required by the API, unlike the OpenAI ones.
    if (body.find("max_tokens") == body.end())
        return badRequest("max_tokens: Field required", "max_tokens");
    if (auto e = readMaxTokens(body, "max_tokens", out.maxTokens))
        return e;
    if (auto e = readBool(body, "stream", out.stream))
        return e;
    return std::nullopt;
}

} // namespace ts::sim
