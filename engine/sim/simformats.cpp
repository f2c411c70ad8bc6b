#include "sim/simformats.h"

#include <nlohmann/json.hpp>

namespace ts::sim {

std::unique_ptr<ReplyFormat> makeReplyFormat(ApiKind kind)
{
    switch (kind) {
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
