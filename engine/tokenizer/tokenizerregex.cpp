#include "tokenizer/tokenizerregex.h"

#include <QCoreApplication>

namespace ts::tok {

namespace {

// The members of isWhiteSpace().
const QLatin1String kSpace("\\x{9}-\\x{D}\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}");
const QLatin1String kWord("\\p{L}\\p{M}\\p{Nd}\\p{Pc}");
const QLatin1String kHex("0-9a-fA-F");

// The replacement of a shorthand escape, or an empty string when it is kept as written.
QString rewriteShorthand(QChar c, bool inClass)
{
    auto set = [inClass](QLatin1String members, bool negated) -> QString {
        if (inClass)
            return negated ? QString() : QString(members);
        return QString(negated ? QLatin1String("[^") : QLatin1String("[")) + members + u']';
    };
    switch (c.unicode()) {
    case 's': return set(kSpace, false);
    case 'S': return set(kSpace, true);
    case 'w': return set(kWord, false);
    case 'W': return set(kWord, true);
    case 'h': return set(kHex, false);
    case 'H': return set(kHex, true);
    default: return {};
    }
}

} // namespace

QString onigurumaToPcre(const QString &pattern)
{
    QString out;
    out.reserve(pattern.size() + 32);
    int classDepth = 0;
    bool classStart = false;   // just after '[' or '[^', where ']' is a literal
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == u'\\' && i + 1 < pattern.size()) {
            const QChar next = pattern.at(i + 1);
            const QString replacement = rewriteShorthand(next, classDepth > 0);
            if (replacement.isEmpty()) {
                out += c;
                out += next;
            } else {
                out += replacement;
            }
            ++i;
            classStart = false;
            continue;
        }
        if (c == u'[') {
            if (classDepth == 0 || (i + 1 < pattern.size() && pattern.at(i + 1) != u':'))
                ++classDepth;
            out += c;
            classStart = true;
            if (i + 1 < pattern.size() && pattern.at(i + 1) == u'^') {
                out += u'^';
                ++i;
            }
            continue;
        }
        if (c == u']' && classDepth > 0 && !classStart)
            --classDepth;
        classStart = false;
        out += c;
    }
    return out;
}

std::optional<QRegularExpression> compileOnigurumaPattern(const QString &pattern, QString *error)
{
    // Oniguruma's default (Ruby) syntax anchors ^ and $ at every line, like PCRE's multiline mode.
    QRegularExpression re(onigurumaToPcre(pattern),
                          QRegularExpression::UseUnicodePropertiesOption | QRegularExpression::MultilineOption);
    if (!re.isValid()) {
        if (error)
            *error = QCoreApplication::translate("ts::Tokenizer", "Invalid regular expression “%1”: %2.")
                         .arg(pattern, re.errorString());
        return std::nullopt;
    }
    re.optimize();
    return re;
}

QString replaceLiteral(const QString &text, const QRegularExpression &regex, const QString &content)
{
    QString out;
    qsizetype last = 0;
    for (auto it = regex.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        out += content;
        last = m.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

} // namespace ts::tok
