#pragma once

#include "sim/simreply.h"

#include <QByteArray>
#include <QStringBuilder>

#include <nlohmann/json_fwd.hpp>

#include <optional>

namespace ts::sim {

// The fields of a generation request the simulator acts on.
struct GenerationRequest
{
    ApiKind kind = ApiKind::Completions;
    bool stream = false;
    bool includeUsage = false;
    bool ignoreEos = false;
    bool tgiDetails = false;
    int promptTokens = 0;
    std::optional<int> maxTokens;   // none: the server's default
    std::optional<QByteArray> model;
    std::uint64_t inputHash = 0;    // embeddings: of the input text, which the vector depends on
};

struct RequestError
{
    int status = 400;
    QByteArray message;
    const char *type = "BadRequestError";
    const char *param = nullptr;
};

// Building blocks of the request parsers of every format.
RequestError badRequest(QByteArray message, const char *param = nullptr);
// The simulated prompt tokens of a JSON string value; 0 for anything else.
int textTokens(const nlohmann::json &value);
// The simulated prompt tokens of chat messages ({role, content}; content a string, null or a
// list of parts with "text"); nullopt when messages is not a non-empty list of objects.
std::optional<int> messagesTokens(const nlohmann::json &messages);
// An optional boolean / positive integer field; an error when it has another type.
std::optional<RequestError> readBool(const nlohmann::json &object, const char *key, bool &out);
std::optional<RequestError> readMaxTokens(const nlohmann::json &object, const char *key, std::optional<int> &out);
// An optional string field "model".
std::optional<RequestError> readModel(const nlohmann::json &object, std::optional<QByteArray> &out);

// Bodies nested deeper (arrays and objects) are refused before they are parsed.
constexpr int kMaxJsonDepth = 64;

// Whether a JSON text's arrays and objects nest deeper than maxDepth; strings are skipped.
bool jsonNestsDeeperThan(const QByteArray &text, int maxDepth);

// Parses an OpenAI completions/chat or TGI body. Returns an error for malformed JSON, missing
// or mistyped fields; unknown fields are ignored, as vLLM does with extra sampling options.
std::optional<RequestError> parseGenerationRequest(ApiKind kind, const QByteArray &body, GenerationRequest &out);

} // namespace ts::sim
