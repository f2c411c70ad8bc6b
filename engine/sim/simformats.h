#pragma once

#include "sim/simreply.h"
#include "sim/simrequest.h"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <optional>

namespace ts::sim {

// The wire formats the simulator writes besides those built into ReplyWriter (OpenAI
// completions and chat, TGI). A new API adds its ApiKind, a line in apiKindOf() (simroutes.cpp),
// its ReplyFormat and request parser in its own simformat*.cpp file, and a case in each
// function below.

// OpenAI Responses (simformatresponses.cpp) and Anthropic Messages (simformatanthropic.cpp).
std::unique_ptr<ReplyFormat> makeResponsesFormat();
std::optional<RequestError> parseResponsesRequest(const nlohmann::json &body, GenerationRequest &out);
std::unique_ptr<ReplyFormat> makeAnthropicFormat();
std::optional<RequestError> parseAnthropicRequest(const nlohmann::json &body, GenerationRequest &out);

// The writer for kind; nullptr for the built-in formats.
std::unique_ptr<ReplyFormat> makeReplyFormat(ApiKind kind);

// Reads a parsed request body of a format that is not built in into out.
std::optional<RequestError> parseFormatRequest(ApiKind kind, const nlohmann::json &body, GenerationRequest &out);

// The formats, each in its own file.
std::unique_ptr<ReplyFormat> makeLlamaCppFormat();                        // simformatllamacpp.cpp
std::optional<RequestError> parseLlamaCppRequest(const nlohmann::json &body, GenerationRequest &out);
std::unique_ptr<ReplyFormat> makeOllamaFormat(bool chat);                 // simformatollama.cpp
std::optional<RequestError> parseOllamaRequest(bool chat, const nlohmann::json &body, GenerationRequest &out);
std::unique_ptr<ReplyFormat> makeSglangFormat();                          // simformatsglang.cpp
std::optional<RequestError> parseSglangRequest(const nlohmann::json &body, GenerationRequest &out);
std::unique_ptr<ReplyFormat> makeTritonFormat();                          // simformattriton.cpp
std::optional<RequestError> parseTritonRequest(const nlohmann::json &body, GenerationRequest &out);
// OpenAI-compatible embeddings (simformatembeddings.cpp).
std::unique_ptr<ReplyFormat> makeEmbeddingsFormat();
std::optional<RequestError> parseEmbeddingsRequest(const nlohmann::json &body, GenerationRequest &out);

} // namespace ts::sim
