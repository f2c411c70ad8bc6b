// The simulator's OpenAI-compatible embeddings API (/v1/embeddings): a request with one input
// is answered, after the prefill of its prompt, by one JSON body holding a small vector that
// depends only on the input text, and the usage of its prompt tokens.
#include "sim/simformats.h"
#include "sim/simhttp.h"
#include "sim/simtokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace ts::sim {

namespace {

using nlohmann::json;

// Far shorter than a real model's (384 to 4096 floats): the client measures time, not vectors.
constexpr int kDimensions = 16;

std::uint64_t fnv1a(std::string_view bytes)
{
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : bytes) {
        h ^= std::uint8_t(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

class EmbeddingsFormat final : public ReplyFormat
{
public:
    // The one step the scheduler runs after the prefill carries no text.
    void appendToken(QByteArray &, const ReplySpec &, const VocabToken &, int, bool, FinishReason) override { }

    void appendEnd(QByteArray &out, const ReplySpec &spec, int, FinishReason) override
    {
        // A unit vector, as embedding models return them normalised.
        double values[kDimensions];
        double norm = 0.0;
        for (int i = 0; i < kDimensions; ++i) {
            const std::uint64_t h = mix64(spec.inputHash + std::uint64_t(i) * 0x9e3779b97f4a7c15ULL);
            values[i] = double(h >> 11) / double(1ULL << 53) * 2.0 - 1.0;
            norm += values[i] * values[i];
        }
        norm = norm > 0.0 ? std::sqrt(norm) : 1.0;
        QByteArray vector;
        for (int i = 0; i < kDimensions; ++i) {
            if (i > 0)
                vector += ',';
            vector += QByteArray::number(values[i] / norm, 'f', 6);
        }
        const QByteArray tokens = QByteArray::number(spec.promptTokens);
        const QByteArray id = spec.requestId.mid(spec.requestId.indexOf('-') + 1);
        const QByteArray body = "{\"id\":\"embd-" + id + "\",\"object\":\"list\",\"created\":"
            + QByteArray::number(spec.created) + ",\"model\":\"" + spec.modelEscaped
            + "\",\"data\":[{\"index\":0,\"object\":\"embedding\",\"embedding\":[" + vector
            + "]}],\"usage\":{\"prompt_tokens\":" + tokens + ",\"total_tokens\":" + tokens
            + ",\"completion_tokens\":0,\"prompt_tokens_details\":null}}";
        out += httpResponse(200, "application/json", body, spec.keepAlive);
    }
};

} // namespace

std::unique_ptr<ReplyFormat> makeEmbeddingsFormat()
{
    return std::make_unique<EmbeddingsFormat>();
}

std::optional<RequestError> parseEmbeddingsRequest(const json &body, GenerationRequest &out)
{
    if (auto e = readModel(body, out.model))
        return e;
    const auto input = body.find("input");
    if (input == body.end())
        return badRequest("The request has no input.", "input");
    if (input->is_string()) {
        const auto &text = input->get_ref<const std::string &>();
        out.promptTokens = textTokens(*input);
        out.inputHash = fnv1a(text);
    } else if (input->is_array() && !input->empty()
               && std::all_of(input->begin(), input->end(), [](const json &t) { return t.is_number_integer(); })) {
        out.promptTokens = int(input->size());
        out.inputHash = fnv1a(input->dump());
    } else {
        return badRequest("input must be a string or a list of token ids; this server embeds one input per request.",
                          "input");
    }
    if (out.promptTokens < 1)
        return badRequest("The input is empty.", "input");
    // One scheduler step after the prefill returns the body: the prefill is the work.
    out.stream = false;
    out.maxTokens = 1;
    out.ignoreEos = true;
    return std::nullopt;
}

} // namespace ts::sim
