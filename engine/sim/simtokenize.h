#pragma once

#include "sim/simrequest.h"

#include <QByteArray>

#include <optional>
#include <string_view>
#include <vector>

namespace ts::sim {

// The simulated tokenizer's ids for a text: one per token countPromptTokens() counts, so
// ids.size() == countPromptTokens(text), and decodeTokenIds() gives back the text with each
// whitespace run before a token as one space.
std::vector<int> promptTokenIds(std::string_view utf8);
QByteArray decodeTokenIds(const std::vector<int> &ids, bool *ok = nullptr);

// vLLM's POST /tokenize: {"prompt"} or {"messages"} (counted as a chat request is) ->
// {"count", "max_model_len", "tokens"}; TGI's {"inputs"} -> [{"id", "text", "start", "stop"}].
// Sets *reply, or returns the error to send.
std::optional<RequestError> answerTokenize(const QByteArray &body, int maxModelLen, QByteArray *reply);
// vLLM's POST /detokenize: {"tokens": [ids]} -> {"prompt"}.
std::optional<RequestError> answerDetokenize(const QByteArray &body, QByteArray *reply);

} // namespace ts::sim
