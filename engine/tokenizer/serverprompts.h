#pragma once

#include "core/benchmarkconfig.h"
#include "datasets/dataset.h"

#include <QString>

#include <qcoro/qcorotask.h>

#include <cstdint>
#include <vector>

namespace ts {

class ServerTokenizer;

struct ServerPrompts
{
    std::vector<PromptSpec> prompts;
    int mismatchedPrompts = 0;   // prompts whose length could not be met within the bounded counts
    int mismatchedTokens = 0;    // the sum of |counted - drawn| over those
    QString error;               // a count failed (translated); prompts are then empty
    bool cancelled = false;
};

// The random dataset with the lengths drawn exactly as makeRandomPrompts() draws them (same
// seed, same lengths), each prompt made to count exactly its length on the server: words of
// the built-in vocabulary, counted by the server's tokenize endpoint as the backend sends
// them (chat-shaped backends: with the chat template), then trimmed or topped up with
// one-token words and counted again, at most a few counts per prompt. The shared prefix is
// fitted first, to prefixLen tokens of its own (without special tokens), and kept as is.
// promptTokens is the server's last count. Several prompts are counted at once; progress
// reports prompts done and returns false to cancel. Runs in the tokenizer's thread.
QCoro::Task<ServerPrompts> makeRandomPromptsOnServer(ServerTokenizer &tokenizer, RandomDatasetConfig config, int count,
                                                     std::uint64_t seed, DatasetProgress progress = {});

} // namespace ts
