#pragma once

#include <QHash>
#include <QString>
#include <QStringView>

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace ts::tok {

class Normalizer;

// One entry of "added_tokens" in a tokenizer.json.
struct AddedToken
{
    int id = -1;
    QString content;
    bool special = false;
    bool normalized = false;
    bool singleWord = false;
    bool lstrip = false;
    bool rstrip = false;
};

// A stretch of input: either an added token (id >= 0) or text for the normal pipeline.
struct TextSpan
{
    qsizetype start = 0;
    qsizetype end = 0;
    int id = -1;
};

// Finds added tokens in text the way Hugging Face does: leftmost-longest matches, honouring
// single_word, lstrip and rstrip. Tokens with normalized=false are matched on the raw text,
// the others on the normalized text.
class AddedVocabulary
{
public:
    bool load(const nlohmann::json &addedTokens, QString *error);
    // Builds the matchers; the normalized ones need the normalizer.
    void prepare(const Normalizer &normalizer);

    // Splits `text` with the raw (normalized == false) or the normalized matcher.
    void split(QStringView text, bool normalizedSet, std::vector<TextSpan> &out) const;

    const AddedToken *byId(int id) const;
    int idOf(const QString &content) const { return m_byContent.value(content, -1); }
    bool isEmpty() const { return m_tokens.empty(); }
    const std::vector<AddedToken> &tokens() const { return m_tokens; }

private:
    struct Trie
    {
        struct Node
        {
            QHash<char16_t, int> children;
            int token = -1;   // index into m_tokens
        };
        std::vector<Node> nodes { Node {} };
        std::vector<bool> firstChars = std::vector<bool>(65536, false);   // UTF-16 units that start a token
        bool empty = true;
        void add(QStringView pattern, int token);
        // Longest token starting at `pos`: its index and length, or -1.
        int longestAt(QStringView text, qsizetype pos, qsizetype *length) const;
    };
    std::vector<AddedToken> m_tokens;
    QHash<QString, int> m_byContent;
    QHash<int, int> m_byId;   // id -> index into m_tokens
    Trie m_raw;
    Trie m_normalized;
};

} // namespace ts::tok
