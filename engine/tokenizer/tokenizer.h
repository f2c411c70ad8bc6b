#pragma once

#include <QString>
#include <QStringView>

#include <memory>
#include <vector>

namespace ts {

// A Hugging Face tokenizer (tokenizer.json) that encodes and decodes as the reference library
// does: byte-level BPE (Qwen2/2.5/3, Llama 3, DeepSeek-V3, GPT-2 style) and SentencePiece-style
// BPE with byte fallback (Llama 2, Mistral), with their normalizers, pre-tokenizers, added and
// special tokens, post-processors and decoders.
//
// Loaded once, then immutable: every const member is safe to call from any number of threads.
class Tokenizer
{
public:
    // `path` is a tokenizer.json file or a folder holding one (a model folder). A
    // tokenizer_config.json beside it supplies the chat template and BOS/EOS tokens.
    // On failure returns null and sets *error to a sentence in the user's language.
    static std::shared_ptr<const Tokenizer> load(const QString &path, QString *error);
    // From the contents of a tokenizer.json (and optionally a tokenizer_config.json).
    static std::shared_ptr<const Tokenizer> fromJson(const QByteArray &tokenizerJson, QString *error,
                                                     const QByteArray &tokenizerConfigJson = {});

    ~Tokenizer();
    Tokenizer(const Tokenizer &) = delete;
    Tokenizer &operator=(const Tokenizer &) = delete;

    // Token ids of `text`. With addSpecialTokens the post-processor's tokens (e.g. BOS) are
    // added, as Hugging Face's encode() does by default.
    std::vector<int> encode(QStringView text, bool addSpecialTokens = true) const;
    // The number of tokens of `text`; without special tokens by default, which is how vLLM
    // counts generated text.
    int countTokens(QStringView text, bool addSpecialTokens = false) const;
    QString decode(const std::vector<int> &ids, bool skipSpecialTokens = false) const;

    // Number of tokens the post-processor adds to one sequence (e.g. 1 for a BOS).
    int numSpecialTokensToAdd() const;
    // Size of the model's own vocabulary, without added tokens (transformers' vocab_size).
    int baseVocabSize() const;
    // All ids, added tokens included (one past the largest id).
    int idCount() const;
    bool isSpecialToken(int id) const;
    int tokenToId(const QString &token) const;
    QString idToToken(int id) const;

    // From tokenizer_config.json when present.
    QString chatTemplate() const;
    QString bosToken() const;
    QString eosToken() const;

    // Where it was loaded from (file path), or empty.
    QString sourcePath() const;

private:
    Tokenizer();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace ts
