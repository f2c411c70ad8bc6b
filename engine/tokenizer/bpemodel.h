#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ts::tok {

// Pair of token ids -> (rank, merged id), open addressing: the lookup is the inner loop of BPE.
class MergeTable
{
public:
    struct Entry
    {
        std::uint64_t key = kEmpty;
        std::uint32_t rank = 0;
        std::int32_t merged = -1;
    };
    static constexpr std::uint64_t kEmpty = ~std::uint64_t(0);

    void reserve(std::size_t count);
    void insert(int left, int right, std::uint32_t rank, int merged);
    const Entry *find(int left, int right) const
    {
        if (m_entries.empty())
            return nullptr;
        const std::uint64_t key = pairKey(left, right);
        for (std::size_t i = hash(key) & m_mask;; i = (i + 1) & m_mask) {
            const Entry &e = m_entries[i];
            if (e.key == key)
                return &e;
            if (e.key == kEmpty)
                return nullptr;
        }
    }

private:
    static std::uint64_t pairKey(int left, int right) { return (std::uint64_t(std::uint32_t(left)) << 32) | std::uint32_t(right); }
    static std::size_t hash(std::uint64_t x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 33;
        return std::size_t(x);
    }
    std::vector<Entry> m_entries;
    std::size_t m_mask = 0;
    std::size_t m_count = 0;
};

// Hashes std::string keys and looks them up by std::string_view without a copy.
struct StringViewHash
{
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

// Words already encoded, shared by all threads; sharded so that concurrent counting rarely waits.
class WordCache
{
public:
    bool find(std::string_view word, std::vector<int> &out) const;
    void insert(std::string_view word, const std::vector<int> &ids, std::size_t first) const;

private:
    struct Shard
    {
        std::mutex mutex;
        std::unordered_map<std::string, std::vector<int>, StringViewHash, std::equal_to<>> words;
    };
    static constexpr std::size_t kShards = 16;
    static constexpr std::size_t kWordsPerShard = 8192;
    mutable std::array<Shard, kShards> m_shards;
};

// A small per-thread cache in front of WordCache, so that common words need no lock.
// `owner` is a model's serial number, never reused, so a thread's entries cannot outlive
// the model they belong to.
struct ThreadWordCache
{
    std::uint64_t owner = 0;
    std::unordered_map<std::string, std::vector<int>, StringViewHash, std::equal_to<>> words;
};

// The BPE model of a tokenizer.json. Words arrive as UTF-8; in byte-level mode every byte is a
// unit (the vocabulary is re-keyed by the raw bytes its entries stand for), otherwise every
// character is, with SentencePiece's <0xXX> byte fallback for characters not in the vocabulary.
class BpeModel
{
public:
    // `model` is the "model" object; its vocabulary and merges come as flat lists.
    bool load(const nlohmann::json &model, const std::vector<std::pair<std::string, int>> &vocab,
              const std::vector<std::pair<std::string, std::string>> &merges, bool byteLevel, QString *error);

    // Appends the ids of one pre-tokenized word.
    void encodeWord(std::string_view word, std::vector<int> &out) const;

    int tokenToId(const QString &token) const { return m_tokenToId.value(token, -1); }
    // The token as spelled in the vocabulary; empty for an unknown id.
    QString idToToken(int id) const
    {
        return id >= 0 && std::size_t(id) < m_idToToken.size() ? m_idToToken[std::size_t(id)] : QString();
    }
    int vocabSize() const { return int(m_tokenToId.size()); }
    int maxId() const { return int(m_idToToken.size()) - 1; }

private:
    void encodePart(std::string_view word, std::vector<int> &out) const;
    void mergeWord(std::string_view word, std::vector<int> &out) const;

    QHash<QByteArray, int> m_unitVocab;      // key: raw bytes (byte-level) or UTF-8
    QHash<QString, int> m_tokenToId;
    std::vector<QString> m_idToToken;
    std::array<int, 256> m_byteIds {};       // byte-level unit ids, or <0xXX> fallback ids
    MergeTable m_merges;
    int m_unkId = -1;
    bool m_byteLevel = false;
    bool m_byteFallback = false;
    bool m_fuseUnk = false;
    bool m_ignoreMerges = false;
    // No vocabulary entry has a character before a U+2581 (SentencePiece's space): a word can
    // then be cut before each such space without changing the result, which keeps the BPE of
    // untokenized SentencePiece text short and cacheable.
    bool m_cutBeforeMetaspace = false;
    std::uint64_t m_serial = 0;
    WordCache m_cache;
};

} // namespace ts::tok
