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

// Whether the API applies the chat template when asked to count chat messages. Without it, a
// chat-shaped prompt cannot be counted as the server counts it.
bool countsChatTemplate(BackendInfo::TokenizeApi api);

} // namespace ts
