#include "sim/simformats.h"

#include "sim/simtokenizer.h"

#include <nlohmann/json.hpp>

namespace ts::sim {

namespace {

// Triton's generate_stream with the TensorRT-LLM ensemble: one {"text_output": ...} event per
// token with the new text, no counts, and no closing event.
class TritonFormat final : public ReplyFormat
{
public:
    void appendToken(QByteArray &out, const ReplySpec &spec, const VocabToken &token, int position, bool last,
                     FinishReason reason) override
    {
        Q_UNUSED(position);
        Q_UNUSED(last);
        Q_UNUSED(reason);
        if (m_prefix.isEmpty()) {
            m_prefix = "data: {\"context_logits\":0.0,\"cum_log_probs\":0.0,\"generation_logits\":0.0,\"model_name\":\""
                + spec.modelEscaped + "\",\"model_version\":\"1\",\"output_log_probs\":[0.0],"
                  "\"sequence_end\":false,\"sequence_id\":0,\"sequence_start\":false,\"text_output\":\"";
        }
        appendChunk(out, { m_prefix, token.jsonEscaped, "\"}\n\n" });
    }

    void appendEnd(QByteArray &out, const ReplySpec &spec, int generatedTokens, FinishReason reason) override
    {
        Q_UNUSED(spec);
        Q_UNUSED(generatedTokens);
        Q_UNUSED(reason);
        appendLastChunk(out);
    }

    QByteArray modelList(const QByteArray &modelEscaped, int maxModelLen) const override
    {
        Q_UNUSED(maxModelLen);
        return "{\"model_stats\":[{\"name\":\"" + modelEscaped
            + "\",\"version\":\"1\",\"last_inference\":0,\"inference_count\":0,\"execution_count\":0}]}";
    }

private:
    QByteArray m_prefix;   // an event up to the token text
};

} // namespace

std::unique_ptr<ReplyFormat> makeTritonFormat()
{
    return std::make_unique<TritonFormat>();
}

std::optional<RequestError> parseTritonRequest(const nlohmann::json &body, GenerationRequest &out)
{
    const auto text = body.find("text_input");
    if (text == body.end() || !text->is_string())
        return badRequest("text_input must be a string.", "text_input");
    out.promptTokens = textTokens(*text);
    if (auto e = readMaxTokens(body, "max_tokens", out.maxTokens))
        return e;
    std::optional<int> minLength;
    if (auto e = readMaxTokens(body, "min_length", minLength))
        return e;
    out.ignoreEos = minLength && out.maxTokens && *minLength >= *out.maxTokens;
    // generate_stream always streams: the path, not the body, says so.
    out.stream = true;
    return std::nullopt;
}

} // namespace ts::sim
