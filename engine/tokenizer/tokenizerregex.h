#pragma once

#include <QRegularExpression>
#include <QString>

#include <optional>

namespace ts::tok {

// Compiles a regular expression written for Oniguruma (the engine Hugging Face tokenizers use)
// as an equivalent PCRE2 expression. The two agree on \p{..} classes, lookarounds and (?i:..);
// ^ and $ match at line breaks in both (Ruby syntax, PCRE's multiline mode). They differ
// on a few shorthands, which are rewritten: Oniguruma's \s is exactly White_Space (PCRE's
// misses U+0085 and still takes U+180E, a space before Unicode 6.3),
// its \w is letters, marks, decimal digits and connector punctuation, and its \h is a hex digit.
// Returns nullopt with *error set when the pattern does not compile.
std::optional<QRegularExpression> compileOnigurumaPattern(const QString &pattern, QString *error);

// Unicode's White_Space property: what Oniguruma's \s and Rust's char::is_whitespace (and so
// Hugging Face's tokenizers) take as whitespace. QChar::isSpace depends on the Unicode tables
// of the Qt in use.
constexpr bool isWhiteSpace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// The rewritten pattern itself (exposed for tests).
QString onigurumaToPcre(const QString &pattern);

// Every match of regex in text replaced by content, literally: Hugging Face's Replace steps do
// not expand back-references.
QString replaceLiteral(const QString &text, const QRegularExpression &regex, const QString &content);

} // namespace ts::tok
