#include "tokenizer/addedvocabulary.h"

#include "tokenizer/jsonutil.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/tokenizerregex.h"

namespace ts::tok {

namespace {

char32_t codePointBefore(QStringView text, qsizetype pos)
{
    if (pos <= 0)
        return 0;
    const QChar c = text.at(pos - 1);
    if (c.isLowSurrogate() && pos >= 2 && text.at(pos - 2).isHighSurrogate())
        return QChar::surrogateToUcs4(text.at(pos - 2), c);
    return c.unicode();
}

char32_t codePointAt(QStringView text, qsizetype pos)
{
    if (pos >= text.size())
        return 0;
    const QChar c = text.at(pos);
    if (c.isHighSurrogate() && pos + 1 < text.size() && text.at(pos + 1).isLowSurrogate())
        return QChar::surrogateToUcs4(c, text.at(pos + 1));
    return c.unicode();
}

// Unicode \w as Rust's regex crate has it (close enough: letters, marks, decimal digits, connectors).
bool isWordChar(char32_t c)
{
    if (c == 0)
        return false;
    switch (QChar::category(c)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other:
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
    case QChar::Number_DecimalDigit:
    case QChar::Punctuation_Connector:
        return true;
    default:
        return false;
    }
}

bool isSpaceAt(QStringView text, qsizetype pos)
{
    return pos >= 0 && pos < text.size() && isWhiteSpace(text.at(pos).unicode());
}

} // namespace

void AddedVocabulary::Trie::add(QStringView pattern, int token)
{
    if (pattern.isEmpty())
        return;
    int node = 0;
    for (QChar c : pattern) {
        const int next = nodes[std::size_t(node)].children.value(c.unicode(), -1);
        if (next >= 0) {
            node = next;
        } else {
            nodes.push_back(Node {});
            const int created = int(nodes.size()) - 1;
            nodes[std::size_t(node)].children.insert(c.unicode(), created);
            node = created;
        }
    }
    // The first token added for a content wins, as the special tokens are added first.
    if (nodes[std::size_t(node)].token < 0)
        nodes[std::size_t(node)].token = token;
    firstChars[pattern.front().unicode()] = true;
    empty = false;
}

int AddedVocabulary::Trie::longestAt(QStringView text, qsizetype pos, qsizetype *length) const
{
    int node = 0;
    int found = -1;
    for (qsizetype i = pos; i < text.size(); ++i) {
        node = nodes[std::size_t(node)].children.value(text.at(i).unicode(), -1);
        if (node < 0)
            break;
        if (nodes[std::size_t(node)].token >= 0) {
            found = nodes[std::size_t(node)].token;
            *length = i + 1 - pos;
        }
    }
    return found;
}

bool AddedVocabulary::load(const nlohmann::json &addedTokens, QString *)
{
    m_tokens.clear();
    m_byContent.clear();
    m_byId.clear();
    if (!addedTokens.is_array())
        return true;
    for (const nlohmann::json &entry : addedTokens) {
        AddedToken token;
        token.id = int(jsonInt(entry, "id", -1));
        token.content = jsonString(entry, "content");
        if (token.id < 0 || token.content.isEmpty())
            continue;
        token.special = jsonBool(entry, "special", false);
        token.normalized = jsonBool(entry, "normalized", !token.special);
        token.singleWord = jsonBool(entry, "single_word", false);
        token.lstrip = jsonBool(entry, "lstrip", false);
        token.rstrip = jsonBool(entry, "rstrip", false);
        m_byContent.insert(token.content, token.id);
        m_byId.insert(token.id, int(m_tokens.size()));
        m_tokens.push_back(std::move(token));
    }
    return true;
}

void AddedVocabulary::prepare(const Normalizer &normalizer)
{
    m_raw = Trie {};
    m_normalized = Trie {};
    // Hugging Face builds its matchers from the special tokens first, then the others.
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t i = 0; i < m_tokens.size(); ++i) {
            const AddedToken &token = m_tokens[i];
            if (token.special != (pass == 0))
                continue;
            if (token.normalized)
                m_normalized.add(normalizer.apply(token.content), int(i));
            else
                m_raw.add(token.content, int(i));
        }
    }
}

const AddedToken *AddedVocabulary::byId(int id) const
{
    const auto it = m_byId.constFind(id);
    return it == m_byId.cend() ? nullptr : &m_tokens[std::size_t(*it)];
}

void AddedVocabulary::split(QStringView text, bool normalizedSet, std::vector<TextSpan> &out) const
{
    const Trie &trie = normalizedSet ? m_normalized : m_raw;
    qsizetype startOffset = 0;
    qsizetype pos = 0;
    if (trie.empty)
        pos = text.size();
    while (pos < text.size()) {
        if (!trie.firstChars[text.at(pos).unicode()]) {
            ++pos;
            continue;
        }
        qsizetype length = 0;
        const int index = trie.longestAt(text, pos, &length);
        if (index < 0) {
            ++pos;
            continue;
        }
        const AddedToken &token = m_tokens[std::size_t(index)];
        qsizetype start = pos;
        qsizetype stop = pos + length;
        pos = stop;
        if (token.singleWord) {
            const bool startSpace = start == 0 || !isWordChar(codePointBefore(text, start));
            const bool stopSpace = stop == text.size() || !isWordChar(codePointAt(text, stop));
            if (!startSpace || !stopSpace)
                continue;
        }
        if (token.lstrip) {
            qsizetype s = start;
            while (s > startOffset && isSpaceAt(text, s - 1))
                --s;
            start = s;
        }
        if (token.rstrip) {
            while (isSpaceAt(text, stop))
                ++stop;
            pos = stop;
        }
        if (startOffset < start)
            out.push_back({ startOffset, start, -1 });
        out.push_back({ start, stop, token.id });
        startOffset = stop;
    }
    if (startOffset < text.size())
        out.push_back({ startOffset, text.size(), -1 });
}

} // namespace ts::tok
