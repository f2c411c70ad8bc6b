#include "sim/simformats.h"

#include "sim/simhttp.h"
#include "sim/simtokenizer.h"

#include <nlohmann/json.hpp>

namespace ts::sim {

namespace {

// SGLang's /generate: every event carries the whole text so far and the running counts in
// meta_info; the stream ends with [DONE].
class SglangFormat final : public ReplyFormat
{
public:
    void appendToken(QByteArray &out, const ReplySpec &spec, const VocabToken &token, int position, bool last,
                     FinishReason reason) override
    {
        m_text += token.jsonEscaped;
        if (!spec.stream)
            return;
        appendChunk(out, { "data: {\"text\":\"", m_text, "\",\"meta_info\":",
                           metaInfo(spec, position + 1, last ? finish(reason, position + 1) : QByteArray("null")),
                           "}\n\n" });
    }

    void appendEnd(QByteArray &out, const ReplySpec &spec, int generatedTokens, FinishReason reason) override
    {
        if (!spec.stream) {
            out += httpResponse(200, "application/json",
                                QByteArray("{\"text\":\"" + m_text + "\",\"meta_info\":"
                                           + metaInfo(spec, generatedTokens, finish(reason, generatedTokens)) + '}'),
                                spec.keepAlive);
            return;
        }
        appendChunk(out, { "data: [DONE]\n\n" });
        appendLastChunk(out);
    }

    QByteArray modelList(const QByteArray &modelEscaped, int maxModelLen) const override
    {
        Q_UNUSED(maxModelLen);
        return "{\"model_path\":\"" + modelEscaped + "\",\"tokenizer_path\":\"" + modelEscaped
            + "\",\"is_generation\":true}";
    }

private:
    static QByteArray finish(FinishReason reason, int generated)
    {
        if (reason == FinishReason::Stop)
            return QByteArrayLiteral("{\"type\":\"stop\",\"matched\":2}");
        return "{\"type\":\"length\",\"length\":" + QByteArray::number(generated) + '}';
    }
    static QByteArray metaInfo(const ReplySpec &spec, int generated, const QByteArray &finishReason)
    {
        return "{\"id\":\"" + spec.requestId + "\",\"finish_reason\":" + finishReason
            + ",\"prompt_tokens\":" + QByteArray::number(spec.promptTokens)
            + ",\"completion_tokens\":" + QByteArray::number(generated) + ",\"cached_tokens\":0}";
    }

    QByteArray m_text;   // escaped: each event repeats all of it
};

} // namespace

std::unique_ptr<ReplyFormat> makeSglangFormat()
{
    return std::make_unique<SglangFormat>();
}

std::optional<RequestError> parseSglangRequest(const nlohmann::json &body, GenerationRequest &out)
{
    const auto text = body.find("text");
    if (text == body.end() || !text->is_string())
        return badRequest("text must be a string.", "text");
    out.promptTokens = textTokens(*text);
    if (out.promptTokens == 0)
        return badRequest("The input text cannot be empty.", "text");
    const auto params = body.find("sampling_params");
    if (params != body.end() && !params->is_null()) {
        if (!params->is_object())
            return badRequest("sampling_params must be an object.", "sampling_params");
        if (auto e = readMaxTokens(*params, "max_new_tokens", out.maxTokens))
            return e;
        if (auto e = readBool(*params, "ignore_eos", out.ignoreEos))
            return e;
    }
    // SGLang generates 128 new tokens unless asked otherwise.
    if (!out.maxTokens)
        out.maxTokens = 128;
    if (auto e = readBool(body, "stream", out.stream))
        return e;
    return std::nullopt;
}

} // namespace ts::sim
