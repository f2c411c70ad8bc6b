#pragma once

#include <QByteArray>

#include <cstdint>
#include <string_view>

namespace ts::sim {

// The simulated server's prompt token count, deterministic and cheap, on UTF-8 text:
//  - every non-ASCII character (CJK, accented letters, emoji...) is one token;
//  - a run of ASCII letters and digits is one token per 4 characters, rounded up;
//  - every other printable ASCII symbol (punctuation, operators) is one token;
//  - whitespace and control characters cost nothing.
// "Hello, world!" -> Hell|o|,|worl|d|! = 6 tokens; "你好，世界" = 5 tokens.
int countPromptTokens(std::string_view utf8);

// One entry of the generated-text vocabulary.
struct VocabToken
{
    int id = 0;
    QByteArray text;          // UTF-8
    QByteArray jsonEscaped;   // text escaped for a JSON string (no quotes around it)
};

int vocabularySize();
const VocabToken &vocabToken(int index);

// splitmix64: a good, tiny mixer for seeded choices.
inline std::uint64_t mix64(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// A uniform double in [0, 1) from a 64-bit hash.
inline double unitFromHash(std::uint64_t h)
{
    return double(h >> 11) * (1.0 / 9007199254740992.0);
}

// The token generated at `position` by a sequence with `sequenceSeed`.
inline const VocabToken &generatedToken(std::uint64_t sequenceSeed, int position)
{
    const std::uint64_t h = mix64(sequenceSeed ^ (std::uint64_t(position) * 0x2545f4914f6cdd1dULL));
    return vocabToken(int(h % std::uint64_t(vocabularySize())));
}

// Appends `utf8` escaped for the inside of a JSON string.
void appendJsonEscaped(QByteArray &out, std::string_view utf8);
inline void appendJsonEscaped(QByteArray &out, const QByteArray &utf8)
{
    appendJsonEscaped(out, std::string_view(utf8.constData(), std::size_t(utf8.size())));
}

} // namespace ts::sim
