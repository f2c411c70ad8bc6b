// OpenAI's Responses API (/v1/responses) as vLLM and OpenAI stream it: typed events, reasoning
// in its own output item before the message.
#include "sim/simformats.h"
#include "sim/simhttp.h"
#include "sim/simtokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ts::sim {

namespace {

using json = nlohmann::json;

class ResponsesFormat final : public ReplyFormat
{
public:
    void appendToken(QByteArray &out, const ReplySpec &spec, const VocabToken &token, int position, bool last,
                     FinishReason reason) override
    {
        Q_UNUSED(last);
        Q_UNUSED(reason);
        const bool reasoning = position < spec.reasoningTokens;
        (reasoning ? m_reasoning : m_text) += token.jsonEscaped;
        if (!spec.stream)
            return;
        if (position == 0)
            appendEvent(out, "response.created", "\"response\":" + response(spec, "in_progress", -1));
        if (reasoning) {
            appendEvent(out, "response.reasoning_text.delta",
                        "\"item_id\":\"rs_" + spec.requestId + "\",\"output_index\":0,\"content_index\":0,\"delta\":\""
                            + token.jsonEscaped + '"');
        } else {
            appendEvent(out, "response.output_text.delta",
                        "\"item_id\":\"msg_" + spec.requestId + "\",\"output_index\":"
                            + QByteArray(spec.reasoningTokens > 0 ? "1" : "0") + ",\"content_index\":0,\"delta\":\""
                            + token.jsonEscaped + "\",\"logprobs\":[]");
        }
    }

    void appendEnd(QByteArray &out, const ReplySpec &spec, int generatedTokens, FinishReason reason) override
    {
        Q_UNUSED(reason);
        if (!spec.stream) {
            out += httpResponse(200, "application/json", response(spec, "completed", generatedTokens), spec.keepAlive);
            return;
        }
        appendEvent(out, "response.completed", "\"response\":" + response(spec, "completed", generatedTokens));
        appendLastChunk(out);
    }

private:
    void appendEvent(QByteArray &out, QByteArrayView type, const QByteArray &fields)
    {
        const QByteArray sequence = QByteArray::number(m_sequence++);
        appendChunk(out, { "event: ", type, "\ndata: {\"type\":\"", type, "\",\"sequence_number\":", sequence, ",",
                           fields, "}\n\n" });
    }

    // The response object; generatedTokens < 0 while it is in progress (no output, no usage yet).
    QByteArray response(const ReplySpec &spec, const char *status, int generatedTokens) const
    {
        QByteArray r = "{\"id\":\"resp_" + spec.requestId + "\",\"object\":\"response\",\"created_at\":"
            + QByteArray::number(spec.created) + ",\"status\":\"" + status + "\",\"model\":\"" + spec.modelEscaped
            + "\",\"output\":[";
        if (generatedTokens >= 0) {
            if (!m_reasoning.isEmpty()) {
                r += "{\"id\":\"rs_" + spec.requestId + "\",\"type\":\"reasoning\",\"summary\":[],\"content\":"
                     "[{\"type\":\"reasoning_text\",\"text\":\"" + m_reasoning + "\"}]},";
            }
            r += "{\"id\":\"msg_" + spec.requestId + "\",\"type\":\"message\",\"status\":\"completed\","
                 "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + m_text
                 + "\",\"annotations\":[]}]}";
        }
        r += "],\"usage\":";
        if (generatedTokens < 0) {
            r += "null}";
            return r;
        }
        const int reasoning = std::min(spec.reasoningTokens, generatedTokens);
        r += "{\"input_tokens\":" + QByteArray::number(spec.promptTokens)
            + ",\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":" + QByteArray::number(generatedTokens)
            + ",\"output_tokens_details\":{\"reasoning_tokens\":" + QByteArray::number(reasoning)
            + "},\"total_tokens\":" + QByteArray::number(spec.promptTokens + generatedTokens) + "}}";
        return r;
    }

    int m_sequence = 0;
    QByteArray m_reasoning;   // escaped
    QByteArray m_text;
};

// input: a string, or a list of messages ({role, content}) whose content is a string or a list
// of parts with "text" (input_text).
std::optional<int> inputTokens(const json &input)
{
    if (input.is_string())
        return textTokens(input);
    return messagesTokens(input);
}

} // namespace

std::unique_ptr<ReplyFormat> makeResponsesFormat()
{
    return std::make_unique<ResponsesFormat>();
}

std::optional<RequestError> parseResponsesRequest(const json &body, GenerationRequest &out)
{
    if (auto e = readModel(body, out.model))
        return e;
    const auto input = body.find("input");
    if (input == body.end())
        return badRequest("Field required: input.", "input");
    const std::optional<int> tokens = inputTokens(*input);
    if (!tokens)
        return badRequest("input must be a string or a non-empty list of messages.", "input");
    if (*tokens == 0)
        return badRequest("The input cannot be empty.", "input");
    out.promptTokens = *tokens;
    if (auto e = readMaxTokens(body, "max_output_tokens", out.maxTokens))
        return e;
    if (auto e = readBool(body, "stream", out.stream))
        return e;
    if (auto e = readBool(body, "ignore_eos", out.ignoreEos))
        return e;
    return std::nullopt;
}

} // namespace ts::sim
