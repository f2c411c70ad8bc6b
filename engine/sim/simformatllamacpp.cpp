#include "sim/simformats.h"

#include "sim/simhttp.h"
#include "sim/simtokenizer.h"

#include <nlohmann/json.hpp>

namespace ts::sim {

namespace {

// llama.cpp's /completion: one {"content": ...} event per token with the running count, then an
// event with "stop": true, the counts and timings; no [DONE].
class LlamaCppFormat final : public ReplyFormat
{
public:
    void appendToken(QByteArray &out, const ReplySpec &spec, const VocabToken &token, int position, bool last,
                     FinishReason reason) override
    {
        Q_UNUSED(last);
        Q_UNUSED(reason);
        m_text += token.jsonEscaped;
        if (!spec.stream)
            return;
        appendChunk(out, { "data: {\"index\":0,\"content\":\"", token.jsonEscaped, "\",\"tokens\":[",
                           QByteArray::number(token.id), "],\"stop\":false,\"id_slot\":0,\"tokens_predicted\":",
                           QByteArray::number(position + 1), ",\"tokens_evaluated\":",
                           QByteArray::number(spec.promptTokens), "}\n\n" });
    }

    void appendEnd(QByteArray &out, const ReplySpec &spec, int generatedTokens, FinishReason reason) override
    {
        const QByteArray n = QByteArray::number(generatedTokens);
        const QByteArray p = QByteArray::number(spec.promptTokens);
        const QByteArray tail = "\",\"tokens\":[],\"id_slot\":0,\"stop\":true,\"model\":\"" + spec.modelEscaped
            + "\",\"tokens_predicted\":" + n + ",\"tokens_evaluated\":" + p
            + ",\"has_new_line\":false,\"truncated\":false,\"stop_type\":\""
            + (reason == FinishReason::Stop ? "eos" : "limit") + "\",\"stopping_word\":\"\",\"tokens_cached\":"
            + QByteArray::number(spec.promptTokens + generatedTokens) + ",\"timings\":{\"prompt_n\":" + p
            + ",\"predicted_n\":" + n + "}}";
        if (!spec.stream) {
            out += httpResponse(200, "application/json", QByteArray("{\"index\":0,\"content\":\"" + m_text + tail),
                                spec.keepAlive);
            return;
        }
        appendChunk(out, { "data: {\"index\":0,\"content\":\"", tail, "\n\n" });
        appendLastChunk(out);
    }

private:
    QByteArray m_text;   // escaped, for a reply that does not stream
};

} // namespace

std::unique_ptr<ReplyFormat> makeLlamaCppFormat()
{
    return std::make_unique<LlamaCppFormat>();
}

std::optional<RequestError> parseLlamaCppRequest(const nlohmann::json &body, GenerationRequest &out)
{
    const auto prompt = body.find("prompt");
    if (prompt == body.end() || !prompt->is_string())
        return badRequest("\"prompt\" must be a string.", "prompt");
    out.promptTokens = textTokens(*prompt);
    if (out.promptTokens == 0)
        return badRequest("The prompt cannot be empty.", "prompt");
    // n_predict -1 (the default) generates until the end of the sequence: the server's default here.
    if (const auto n = body.find("n_predict"); n != body.end() && !(n->is_number_integer() && n->get<long long>() < 0)) {
        if (auto e = readMaxTokens(body, "n_predict", out.maxTokens))
            return e;
    }
    if (auto e = readBool(body, "stream", out.stream))
        return e;
    if (auto e = readBool(body, "ignore_eos", out.ignoreEos))
        return e;
    return std::nullopt;
}

} // namespace ts::sim
