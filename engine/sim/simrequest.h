#pragma once

#include "sim/simreply.h"

#include <QByteArray>
#include <QStringBuilder>

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
};

struct RequestError
{
    int status = 400;
    QByteArray message;
    const char *type = "BadRequestError";
    const char *param = nullptr;
};

// Bodies nested deeper (arrays and objects) are refused before they are parsed.
constexpr int kMaxJsonDepth = 64;

// Whether a JSON text's arrays and objects nest deeper than maxDepth; strings are skipped.
bool jsonNestsDeeperThan(const QByteArray &text, int maxDepth);

// Parses an OpenAI completions/chat or TGI body. Returns an error for malformed JSON, missing
// or mistyped fields; unknown fields are ignored, as vLLM does with extra sampling options.
std::optional<RequestError> parseGenerationRequest(ApiKind kind, const QByteArray &body, GenerationRequest &out);

} // namespace ts::sim
