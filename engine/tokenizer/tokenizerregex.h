#pragma once

#include <QRegularExpression>
#include <QString>

#include <optional>

namespace ts::tok {

// Compiles a regular expression written for Oniguruma (the engine Hugging Face tokenizers use)
// as an equivalent PCRE2 expression. The two agree on \p{..} classes, lookarounds and (?i:..);
// ^ and $ match at line breaks in both (Ruby syntax, PCRE's multiline mode). They differ
// on a few shorthands, which are rewritten: Oniguruma's \s also matches U+0085,
// its \w is letters, marks, decimal digits and connector punctuation, and its \h is a hex digit.
// Returns nullopt with *error set when the pattern does not compile.
std::optional<QRegularExpression> compileOnigurumaPattern(const QString &pattern, QString *error);

// The rewritten pattern itself (exposed for tests).
QString onigurumaToPcre(const QString &pattern);

// Every match of regex in text replaced by content, literally: Hugging Face's Replace steps do
// not expand back-references.
QString replaceLiteral(const QString &text, const QRegularExpression &regex, const QString &content);

} // namespace ts::tok
