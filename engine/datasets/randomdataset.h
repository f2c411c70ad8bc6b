#pragma once

#include "core/benchmarkconfig.h"

#include <QStringList>

#include <vector>

namespace ts {

// vLLM's random dataset: input and output lengths drawn uniformly from [L*(1-r), L*(1+r)],
// a shared prefix of prefixLen tokens, and seeded so the same flags give the same workload.
// Until a tokenizer is given, the text is made of a built-in mixed Chinese/English vocabulary
// whose entries are about one token each for common LLM tokenizers; the server's
// usage.prompt_tokens then gives the exact input length.
std::vector<PromptSpec> makeRandomPrompts(const RandomDatasetConfig &config, int count, std::uint64_t seed);

// The built-in vocabulary (each entry is about one token).
const QStringList &builtinVocabulary();

} // namespace ts
