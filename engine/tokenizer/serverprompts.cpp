#include "tokenizer/serverprompts.h"

#include "datasets/randomdataset.h"
#include "tokenizer/servertokenizer.h"

#include <algorithm>
#include <cstdlib>
#include <random>

namespace ts {

namespace {

// Enough to meet a length after a tokenizer merged or split words the first guess got wrong;
// few enough that a prompt costs a bounded number of requests.
constexpr int kMaxCountsPerPrompt = 8;
// Prompts counted at once: keeps a remote server's round trips from adding up, without
// loading it much.
constexpr int kCountsInFlight = 8;

// Short English words with a leading space: one token each in byte-level BPE tokenizers and in
// the built-in server, and never merged with their neighbours, so topping up is exact.
const QStringList &oneTokenWords()
{
    static const QStringList words = [] {
        QStringList out;
        for (const QString &word : builtinVocabulary()) {
            if (word.startsWith(u' ') && word.size() <= 4 && word.at(1).isLower())
                out.append(word);
        }
        return out;
    }();
    return words;
}

QStringList randomWords(const QStringList &vocabulary, int n, std::mt19937_64 &rng)
{
    QStringList words;
    if (vocabulary.isEmpty())
        return words;
    std::uniform_int_distribution<qsizetype> pick(0, vocabulary.size() - 1);
    for (int i = 0; i < n; ++i)
        words.append(vocabulary.at(pick(rng)));
    return words;
}

struct Fitted
{
    QString text;
    int tokens = 0;
    QString error;
};

QCoro::Task<Fitted> fitToLength(ServerTokenizer &tokenizer, QString fixed, QStringList words, int target,
                                TokenizeShape shape, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    Fitted fitted;
    for (int round = 1;; ++round) {
        fitted.text = fixed + words.join(QString());
        const ServerTokenCount counted = co_await tokenizer.count(fitted.text, shape);
        if (!counted.tokens) {
            fitted.error = counted.error;
            co_return fitted;
        }
        fitted.tokens = *counted.tokens;
        if (fitted.tokens == target || round == kMaxCountsPerPrompt)
            co_return fitted;
        if (fitted.tokens < target) {
            words.append(randomWords(oneTokenWords(), target - fitted.tokens, rng));
        } else {
            // Every word is at least one token, so dropping the excess never drops too few
            // whole words; a multi-token word dropped is topped up in the next round.
            const qsizetype drop = std::min<qsizetype>(fitted.tokens - target, words.size());
            if (drop == 0)
                co_return fitted;   // the fixed part alone is too long
            words.resize(words.size() - drop);
        }
    }
}

struct Batch
{
    ServerTokenizer &tokenizer;
    TokenizeShape shape;
    QString prefix;
    int prefixLen = 0;
    std::uint64_t seed = 0;
    const DatasetProgress &progress;
    std::vector<PromptSpec> &prompts;

    std::size_t next = 0;
    int done = 0;
    int mismatchedPrompts = 0;
    int mismatchedTokens = 0;
    QString error;
    bool cancelled = false;
};

std::uint64_t promptSeed(std::uint64_t seed, std::size_t index)
{
    // Each prompt its own stream, so the words do not depend on the order counts come back in.
    std::uint64_t x = seed ^ (std::uint64_t(index) + 1) * 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

QCoro::Task<void> fillPrompts(Batch *batch)
{
    while (batch->next < batch->prompts.size() && batch->error.isEmpty() && !batch->cancelled) {
        const std::size_t index = batch->next++;
        PromptSpec &spec = batch->prompts[index];
        std::mt19937_64 rng(promptSeed(batch->seed, index));
        const QStringList words = randomWords(builtinVocabulary(), std::max(0, spec.promptTokens - batch->prefixLen), rng);
        const Fitted fitted = co_await fitToLength(batch->tokenizer, batch->prefix, words, spec.promptTokens,
                                                   batch->shape, rng());
        if (!fitted.error.isEmpty()) {
            batch->error = fitted.error;
            co_return;
        }
        if (fitted.tokens != spec.promptTokens) {
            ++batch->mismatchedPrompts;
            batch->mismatchedTokens += std::abs(fitted.tokens - spec.promptTokens);
        }
        spec.prompt = fitted.text;
        spec.promptTokens = fitted.tokens;
        ++batch->done;
        if (batch->progress && !batch->progress(batch->done, qint64(batch->prompts.size())))
            batch->cancelled = true;
    }
}

} // namespace

QCoro::Task<ServerPrompts> makeRandomPromptsOnServer(ServerTokenizer &tokenizer, RandomDatasetConfig config, int count,
                                                     std::uint64_t seed, DatasetProgress progress)
{
    ServerPrompts out;
    // The estimate draws the lengths; only its text is replaced.
    std::vector<PromptSpec> prompts = makeRandomPrompts(config, count, seed);
    QString prefix;
    if (config.prefixLen > 0) {
        std::mt19937_64 rng(promptSeed(seed, std::size_t(-1)));
        const QStringList words = randomWords(builtinVocabulary(), config.prefixLen, rng);
        const Fitted fitted = co_await fitToLength(tokenizer, QString(), words, config.prefixLen, TokenizeShape::BareText, rng());
        if (!fitted.error.isEmpty()) {
            out.error = fitted.error;
            co_return out;
        }
        prefix = fitted.text;
    }
    if (progress && !progress(0, qint64(prompts.size()))) {
        out.cancelled = true;
        co_return out;
    }

    Batch batch { tokenizer, tokenizer.promptShape(), prefix, config.prefixLen, seed, progress, prompts };
    // QCoro tasks start at once: these run side by side until their first count is sent.
    std::vector<QCoro::Task<void>> workers;
    for (int i = 0; i < kCountsInFlight; ++i)
        workers.push_back(fillPrompts(&batch));
    for (QCoro::Task<void> &worker : workers)
        co_await worker;

    out.cancelled = batch.cancelled;
    out.error = batch.error;
    out.mismatchedPrompts = batch.mismatchedPrompts;
    out.mismatchedTokens = batch.mismatchedTokens;
    if (out.error.isEmpty() && !out.cancelled)
        out.prompts = std::move(prompts);
    co_return out;
}

} // namespace ts
