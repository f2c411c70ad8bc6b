#include "sim/simformats.h"

#include <nlohmann/json.hpp>

namespace ts::sim {

std::unique_ptr<ReplyFormat> makeReplyFormat(ApiKind kind)
{
    switch (kind) {
    case ApiKind::LlamaCpp:
        return makeLlamaCppFormat();
    case ApiKind::Ollama:
        return makeOllamaFormat(false);
    case ApiKind::OllamaChat:
        return makeOllamaFormat(true);
    case ApiKind::Sglang:
        return makeSglangFormat();
    case ApiKind::Triton:
        return makeTritonFormat();
    case ApiKind::Embeddings:
        return makeEmbeddingsFormat();
    case ApiKind::Responses:
        return makeResponsesFormat();
    case ApiKind::Anthropic:
        return makeAnthropicFormat();
    case ApiKind::Completions:
    case ApiKind::Chat:
    case ApiKind::Tgi:
    case ApiKind::Unsupported:
        break;
    }
    return nullptr;
}

std::optional<RequestError> parseFormatRequest(ApiKind kind, const nlohmann::json &body, GenerationRequest &out)
{
    switch (kind) {
    case ApiKind::LlamaCpp:
        return parseLlamaCppRequest(body, out);
    case ApiKind::Ollama:
        return parseOllamaRequest(false, body, out);
    case ApiKind::OllamaChat:
        return parseOllamaRequest(true, body, out);
    case ApiKind::Sglang:
        return parseSglangRequest(body, out);
    case ApiKind::Triton:
        return parseTritonRequest(body, out);
    case ApiKind::Embeddings:
        return parseEmbeddingsRequest(body, out);
    case ApiKind::Responses:
        return parseResponsesRequest(body, out);
    case ApiKind::Anthropic:
        return parseAnthropicRequest(body, out);
    case ApiKind::Completions:
    case ApiKind::Chat:
    case ApiKind::Tgi:
    case ApiKind::Unsupported:
        break;
    }
    return badRequest("This API is not simulated.");
}

} // namespace ts::sim
