#pragma once

#include "core/benchmarkconfig.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace ts {

class Tokenizer;

// Which workload to build and from what, with vLLM's flag names and defaults.
struct DatasetConfig
{
    QString name = QStringLiteral("random");   // random|sharegpt|sonnet|custom|prefix_repetition|mooncake
    QString path;                               // --dataset-path (sharegpt, sonnet, custom, mooncake)
    int numPrompts = 1000;                      // --num-prompts; custom, mooncake: <= 0 takes every record
    std::uint64_t seed = 0;                     // --seed
    bool disableShuffle = false;                // --disable-shuffle
    bool noOversample = false;                  // --no-oversample
    bool chatBackend = false;                   // openai-chat: sonnet sends the unformatted prompt

    RandomDatasetConfig random;                 // --random-*

    std::optional<int> sharegptOutputLen;       // --sharegpt-output-len

    int sonnetInputLen = 550;                   // --sonnet-input-len
    int sonnetOutputLen = 150;                  // --sonnet-output-len
    int sonnetPrefixLen = 200;                  // --sonnet-prefix-len

    int customOutputLen = 256;                  // --custom-output-len (a record's output_len wins)
    bool skipChatTemplate = false;              // --skip-chat-template (custom)

    int prefixRepetitionPrefixLen = 256;        // --prefix-repetition-prefix-len
    int prefixRepetitionSuffixLen = 256;        // --prefix-repetition-suffix-len
    int prefixRepetitionNumPrefixes = 10;       // --prefix-repetition-num-prefixes
    int prefixRepetitionOutputLen = 128;        // --prefix-repetition-output-len
};

struct DatasetResult
{
    std::vector<PromptSpec> prompts;
    int recordsRead = 0;        // records found in the file
    int recordsSkipped = 0;     // malformed records left out
    int recordsFiltered = 0;    // well-formed records left out by the dataset's rules (lengths)
    int oversampled = 0;        // prompts repeated to reach numPrompts
    // True when lengths were estimated because no tokenizer was given.
    bool lengthsEstimated = false;
    // Sentences for the user (skipped records with the first bad line, estimated lengths,
    // unknown chat template...), already translated.
    QStringList warnings;
};

// Reports progress as (done, total) in bytes of the file or prompts built; return false to
// cancel (loadDataset then fails with an empty error).
using DatasetProgress = std::function<bool(qint64 done, qint64 total)>;

// Builds the prompts of a workload as vLLM's benchmark does: same filtering, same seeded
// shuffle and sampling (Python's random module reproduced), same length counting. The
// tokenizer counts lengths, applies the chat template and makes exact random lengths; without
// it lengths are estimated (and the result says so). Safe to run in a worker thread: it reads
// only its arguments, and the tokenizer is thread-safe.
// On failure returns nullopt and sets *error: file name, line or byte offset and what is wrong.
std::optional<DatasetResult> loadDataset(const DatasetConfig &config, const Tokenizer *tokenizer, QString *error,
                                         const DatasetProgress &progress = {});

// One conversation for a multi-turn run: its user turns, to be sent in order. Turn k has in
// `messages` the conversation so far as the file recorded it (system, user and assistant
// messages, the assistant's recorded replies as history) ending with the k-th user message;
// `prompt` is that user message, and the expected output is the length of the recorded reply
// (or --sharegpt-output-len).
struct ConversationScript
{
    std::vector<PromptSpec> turns;
};

// Multi-turn conversations from a ShareGPT-format file: the first numPrompts conversations
// after the same seeded shuffle as "sharegpt", each with every user turn that has a reply.
// Errors and progress as loadDataset().
std::optional<std::vector<ConversationScript>> loadConversations(const DatasetConfig &config, const Tokenizer *tokenizer,
                                                                 QString *error, const DatasetProgress &progress = {});

// The dataset names loadDataset() accepts.
QStringList datasetNames();

} // namespace ts
