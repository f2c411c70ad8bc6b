#pragma once

#include "core/benchmarkconfig.h"

#include <QStringList>

#include <vector>

namespace ts {

class Tokenizer;

// vLLM's random dataset: input and output lengths drawn uniformly from [L*(1-r), L*(1+r)],
// a shared prefix of prefixLen tokens, and seeded so the same flags give the same workload.
// Until a tokenizer is given, the text is made of a built-in mixed Chinese/English vocabulary
// whose entries are about one token each for common LLM tokenizers; the server's
// usage.prompt_tokens then gives the exact input length.
std::vector<PromptSpec> makeRandomPrompts(const RandomDatasetConfig &config, int count, std::uint64_t seed);

// With a tokenizer, vLLM's method gives every prompt exactly its drawn length: the lengths are
// drawn around inputLen minus the tokens the tokenizer adds itself (BOS), random ids from the
// vocabulary without special tokens are decoded, re-encoded and trimmed or topped up until the
// text encodes to the drawn length. promptTokens is then that length plus the added special
// tokens, which is what a completions server counts. *mismatchedTokens (optional) receives the
// sum of |difference| over prompts that did not converge (0 in practice).
std::vector<PromptSpec> makeRandomPrompts(const RandomDatasetConfig &config, int count, std::uint64_t seed,
                                          const Tokenizer &tokenizer, int *mismatchedTokens = nullptr);

// Text of exactly `length` tokens of `tokenizer` (without special tokens), started from `ids`
// and adjusted as vLLM does; *finalLength receives the length reached.
QString textOfTokenLength(const Tokenizer &tokenizer, std::vector<int> ids, int length, std::uint64_t seed,
                          int *finalLength = nullptr);

// The ids random text draws from: the vocabulary without special tokens and byte tokens.
// Finding them walks the whole vocabulary, so a caller building many texts finds them once.
std::vector<int> randomTextTokenIds(const Tokenizer &tokenizer);
// textOfTokenLength() with the ids of randomTextTokenIds() found beforehand.
QString textOfTokenLength(const Tokenizer &tokenizer, std::vector<int> ids, int length, std::uint64_t seed,
                          const std::vector<int> &allowed, int *finalLength = nullptr);

// The built-in vocabulary (each entry is about one token).
const QStringList &builtinVocabulary();

} // namespace ts
