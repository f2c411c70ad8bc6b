#include "tokenizer/bpemodel.h"

#include "tokenizer/bytelevel.h"
#include "tokenizer/jsonutil.h"

#include <QCoreApplication>

#include <algorithm>
#include <atomic>

namespace ts::tok {

namespace {

// Hugging Face caches only words shorter than this (in bytes).
constexpr std::size_t kMaxCachedWordBytes = 256;
constexpr std::size_t kThreadCacheWords = 4096;

std::atomic<std::uint64_t> g_modelSerial { 0 };

ThreadWordCache &threadCache(std::uint64_t owner)
{
    thread_local ThreadWordCache cache;
    if (cache.owner != owner) {
        cache.words.clear();
        cache.owner = owner;
    }
    return cache;
}

QString modelError(const char *text)
{
    return QCoreApplication::translate("ts::Tokenizer", text);
}

// Length in bytes of the UTF-8 sequence that starts with `lead`.
int utf8Length(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if ((lead >> 5) == 0x6)
        return 2;
    if ((lead >> 4) == 0xE)
        return 3;
    if ((lead >> 3) == 0x1E)
        return 4;
    return 1;
}

struct Symbol
{
    int id;
    int prev;
    int next;
    int len;   // bytes; 0 once merged into its left neighbour
};

struct Candidate
{
    std::uint32_t rank;
    std::uint32_t pos;
    int merged;
};

// std::*_heap keeps the largest on top; the candidate to apply first is the lowest rank, then
// the leftmost position.
struct LaterCandidate
{
    bool operator()(const Candidate &a, const Candidate &b) const
    {
        return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
    }
};

} // namespace

void MergeTable::reserve(std::size_t count)
{
    std::size_t capacity = 16;
    while (capacity < count * 2)
        capacity <<= 1;
    m_entries.assign(capacity, Entry {});
    m_mask = capacity - 1;
    m_count = 0;
}

void MergeTable::insert(int left, int right, std::uint32_t rank, int merged)
{
    if (m_count * 2 >= m_entries.size()) {
        std::vector<Entry> old;
        old.swap(m_entries);
        reserve(std::max<std::size_t>(m_count * 2, 8));
        for (const Entry &e : old)
            if (e.key != kEmpty)
                insert(int(e.key >> 32), int(std::uint32_t(e.key)), e.rank, e.merged);
    }
    const std::uint64_t key = pairKey(left, right);
    for (std::size_t i = hash(key) & m_mask;; i = (i + 1) & m_mask) {
        Entry &e = m_entries[i];
        if (e.key == key || e.key == kEmpty) {
            if (e.key == kEmpty)
                ++m_count;
            e = Entry { key, rank, merged };
            return;
        }
    }
}

bool WordCache::find(std::string_view word, std::vector<int> &out) const
{
    Shard &shard = m_shards[std::hash<std::string_view>()(word) % kShards];
    const std::lock_guard lock(shard.mutex);
    const auto it = shard.words.find(word);
    if (it == shard.words.end())
        return false;
    out.insert(out.end(), it->second.begin(), it->second.end());
    return true;
}

void WordCache::insert(std::string_view word, const std::vector<int> &ids, std::size_t first) const
{
    Shard &shard = m_shards[std::hash<std::string_view>()(word) % kShards];
    const std::lock_guard lock(shard.mutex);
    // A full shard starts over, so that a long run keeps the words it currently sees.
    if (shard.words.size() >= kWordsPerShard)
        shard.words.clear();
    shard.words.emplace(std::string(word), std::vector<int>(ids.begin() + std::ptrdiff_t(first), ids.end()));
}

bool BpeModel::load(const nlohmann::json &model, const std::vector<std::pair<std::string, int>> &vocab,
                    const std::vector<std::pair<std::string, std::string>> &merges, bool byteLevel, QString *error)
{
    m_serial = ++g_modelSerial;
    m_byteLevel = byteLevel;
    const QString type = jsonType(model);
    if (!type.isEmpty() && type != QLatin1String("BPE")) {
        if (error)
            *error = QCoreApplication::translate("ts::Tokenizer", "The %1 type “%2” is not supported.")
                         .arg(QCoreApplication::translate("ts::Tokenizer", "model"), type);
        return false;
    }
    const QString prefix = jsonString(model, "continuing_subword_prefix");
    const QString suffix = jsonString(model, "end_of_word_suffix");
    if (!prefix.isEmpty() || !suffix.isEmpty()) {
        if (error)
            *error = modelError("BPE models with word prefixes or suffixes are not supported.");
        return false;
    }
    if (vocab.empty()) {
        if (error)
            *error = modelError("The model has no vocabulary.");
        return false;
    }
    m_tokenToId.reserve(qsizetype(vocab.size()));
    m_unitVocab.reserve(qsizetype(vocab.size()));
    QByteArray bytes;
    for (const auto &[text, id] : vocab) {
        if (id < 0)
            continue;
        const QString token = fromUtf8Exact(text);
        m_tokenToId.insert(token, id);
        if (std::size_t(id) >= m_idToToken.size())
            m_idToToken.resize(std::size_t(id) + 1);
        m_idToToken[std::size_t(id)] = token;
        if (byteLevel) {
            if (byteLevelToBytes(token, &bytes))
                m_unitVocab.insert(bytes, id);
        } else {
            m_unitVocab.insert(token.toUtf8(), id);
        }
    }

    if (!byteLevel) {
        const QChar meta(0x2581);
        m_cutBeforeMetaspace = true;
        for (auto it = m_tokenToId.cbegin(); it != m_tokenToId.cend() && m_cutBeforeMetaspace; ++it) {
            const QString &token = it.key();
            for (qsizetype k = 1; k < token.size(); ++k) {
                if (token.at(k) == meta && token.at(k - 1) != meta) {
                    m_cutBeforeMetaspace = false;
                    break;
                }
            }
        }
    }

    m_byteFallback = jsonBool(model, "byte_fallback", false);
    m_fuseUnk = jsonBool(model, "fuse_unk", false);
    m_ignoreMerges = jsonBool(model, "ignore_merges", false);
    const QString unk = jsonString(model, "unk_token");
    m_unkId = unk.isEmpty() ? -1 : tokenToId(unk);
    for (int b = 0; b < 256; ++b) {
        if (byteLevel)
            m_byteIds[std::size_t(b)] = m_unitVocab.value(QByteArray(1, char(b)), -1);
        else
            m_byteIds[std::size_t(b)] = tokenToId(QLatin1String("<0x") + QString::number(b, 16).toUpper().rightJustified(2, u'0') + u'>');
    }

    m_merges.reserve(merges.size());
    std::uint32_t rank = 0;
    for (const auto &[leftText, rightText] : merges) {
        const QString left = fromUtf8Exact(leftText);
        const QString right = fromUtf8Exact(rightText);
        const int leftId = tokenToId(left);
        const int rightId = tokenToId(right);
        const int mergedId = tokenToId(left + right);
        if (leftId >= 0 && rightId >= 0 && mergedId >= 0)
            m_merges.insert(leftId, rightId, rank, mergedId);
        ++rank;
    }
    return true;
}

void BpeModel::encodeWord(std::string_view word, std::vector<int> &out) const
{
    if (word.empty())
        return;
    if (!m_cutBeforeMetaspace || m_ignoreMerges) {
        encodePart(word, out);
        return;
    }
    // U+2581 in UTF-8 is E2 96 81.
    auto metaAt = [&](std::size_t i) {
        return i + 2 < word.size() && word[i] == '\xE2' && word[i + 1] == '\x96' && word[i + 2] == '\x81';
    };
    std::size_t start = 0;
    bool previousMeta = metaAt(0);
    for (std::size_t i = 1; i < word.size(); ++i) {
        if ((std::uint8_t(word[i]) & 0xC0) == 0x80)
            continue;   // inside a character
        const bool meta = metaAt(i);
        if (meta && !previousMeta) {
            encodePart(word.substr(start, i - start), out);
            start = i;
        }
        previousMeta = meta;
    }
    encodePart(word.substr(start), out);
}

void BpeModel::encodePart(std::string_view word, std::vector<int> &out) const
{
    if (m_ignoreMerges) {
        const int id = m_unitVocab.value(QByteArray::fromRawData(word.data(), qsizetype(word.size())), -1);
        if (id >= 0) {
            out.push_back(id);
            return;
        }
    }
    if (word.size() >= kMaxCachedWordBytes) {
        mergeWord(word, out);
        return;
    }
    ThreadWordCache &local = threadCache(m_serial);
    const auto hit = local.words.find(word);
    if (hit != local.words.end()) {
        out.insert(out.end(), hit->second.begin(), hit->second.end());
        return;
    }
    const std::size_t first = out.size();
    if (!m_cache.find(word, out)) {
        mergeWord(word, out);
        m_cache.insert(word, out, first);
    }
    if (local.words.size() >= kThreadCacheWords)
        local.words.clear();
    local.words.emplace(std::string(word), std::vector<int>(out.begin() + std::ptrdiff_t(first), out.end()));
}

void BpeModel::mergeWord(std::string_view word, std::vector<int> &out) const
{
    thread_local std::vector<Symbol> symbols;
    thread_local std::vector<Candidate> heap;
    symbols.clear();
    heap.clear();

    auto add = [](int id, int len) {
        const int index = int(symbols.size());
        if (index > 0)
            symbols.back().next = index;
        symbols.push_back({ id, index - 1, -1, len });
    };

    int pendingUnkLen = 0;   // bytes of unknown characters waiting to become one <unk>
    auto flushUnk = [&] {
        if (pendingUnkLen > 0) {
            add(m_unkId, pendingUnkLen);
            pendingUnkLen = 0;
        }
    };
    std::size_t i = 0;
    while (i < word.size()) {
        const int len = m_byteLevel ? 1 : std::min<int>(utf8Length(std::uint8_t(word[i])), int(word.size() - i));
        int id = -1;
        if (m_byteLevel)
            id = m_byteIds[std::uint8_t(word[i])];
        else
            id = m_unitVocab.value(QByteArray::fromRawData(word.data() + i, len), -1);
        if (id >= 0) {
            flushUnk();
            add(id, len);
        } else {
            bool fellBack = false;
            if (m_byteFallback && !m_byteLevel) {
                fellBack = true;
                for (int k = 0; k < len; ++k)
                    fellBack = fellBack && m_byteIds[std::uint8_t(word[i + std::size_t(k)])] >= 0;
                if (fellBack) {
                    flushUnk();
                    for (int k = 0; k < len; ++k)
                        add(m_byteIds[std::uint8_t(word[i + std::size_t(k)])], 1);
                }
            }
            if (!fellBack && m_unkId >= 0) {
                if (pendingUnkLen > 0 && !m_fuseUnk)
                    flushUnk();
                pendingUnkLen += len;
            }
        }
        i += std::size_t(len);
    }
    flushUnk();

    for (std::size_t s = 0; s + 1 < symbols.size(); ++s) {
        if (const MergeTable::Entry *m = m_merges.find(symbols[s].id, symbols[s + 1].id))
            heap.push_back({ m->rank, std::uint32_t(s), m->merged });
    }
    std::make_heap(heap.begin(), heap.end(), LaterCandidate());

    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), LaterCandidate());
        const Candidate top = heap.back();
        heap.pop_back();
        Symbol &left = symbols[top.pos];
        if (left.len == 0 || left.next < 0)
            continue;
        const Symbol right = symbols[std::size_t(left.next)];
        // An entry goes stale when a neighbour changed since it was queued.
        const MergeTable::Entry *current = m_merges.find(left.id, right.id);
        if (!current || current->merged != top.merged)
            continue;
        symbols[std::size_t(left.next)].len = 0;
        left.id = top.merged;
        left.len += right.len;
        left.next = right.next;
        if (right.next >= 0)
            symbols[std::size_t(right.next)].prev = int(top.pos);
        if (left.prev >= 0) {
            if (const MergeTable::Entry *m = m_merges.find(symbols[std::size_t(left.prev)].id, left.id)) {
                heap.push_back({ m->rank, std::uint32_t(left.prev), m->merged });
                std::push_heap(heap.begin(), heap.end(), LaterCandidate());
            }
        }
        if (left.next >= 0) {
            if (const MergeTable::Entry *m = m_merges.find(left.id, symbols[std::size_t(left.next)].id)) {
                heap.push_back({ m->rank, top.pos, m->merged });
                std::push_heap(heap.begin(), heap.end(), LaterCandidate());
            }
        }
    }
    for (const Symbol &s : symbols)
        if (s.len > 0)
            out.push_back(s.id);
}

} // namespace ts::tok
