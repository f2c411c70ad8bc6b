#pragma once

#include "backends/backendregistry.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace ts {

// What a token count of the server's tokenize endpoint covers.
enum class TokenizeShape {
    Completion,   // a completions prompt: the special tokens (BOS) the server adds included
    Chat,         // one user message: the chat template and generation prompt included
    BareText,     // the text alone, without special tokens where the API lets us say so
};

// The request body of one count in the API's shape.
QByteArray tokenizeRequestBody(BackendInfo::TokenizeApi api, const QString &model, const QString &text,
                               TokenizeShape shape);

// The number of tokens a reply reports; nullopt when the body is not that API's reply.
std::optional<int> tokenCountOfReply(BackendInfo::TokenizeApi api, const QByteArray &body);

// llama.cpp serves vLLM's /tokenize path but reads no chat messages (it answers with no tokens).
// Its POST /apply-template turns the messages into the prompt text its chat endpoints tokenize;
// that text is then counted as a completion prompt.
inline constexpr QLatin1StringView kLlamaCppApplyTemplatePath("/apply-template");
QByteArray applyTemplateRequestBody(const QString &text);
// The templated prompt of an /apply-template reply; nullopt when the body holds none.
std::optional<QString> templatedPromptOfReply(const QByteArray &body);

// Whether the API applies the chat template when asked to count chat messages. Without it, a
// chat-shaped prompt cannot be counted as the server counts it.
bool countsChatTemplate(BackendInfo::TokenizeApi api);

} // namespace ts
