#include "tokenizer/pretokenizer.h"

#include "tokenizer/jsonutil.h"
#include "tokenizer/tokenizerregex.h"

#include <QCoreApplication>

#include <algorithm>

namespace ts::tok {

namespace {

// GPT-2's pattern, used by ByteLevel with use_regex.
const QLatin1String kGpt2Pattern(
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
const QLatin1String kWhitespacePattern("\\w+|[^\\w\\s]+");

struct Segment
{
    qsizetype start;
    qsizetype end;
    bool isMatch;
};

QString unsupported(const QString &type)
{
    return QCoreApplication::translate("ts::Tokenizer", "The %1 type “%2” is not supported.")
        .arg(QCoreApplication::translate("ts::Tokenizer", "pre-tokenizer"), type);
}

std::optional<PreTokenizer::Behavior> behaviorFromName(const QString &name)
{
    using B = PreTokenizer::Behavior;
    if (name == QLatin1String("Removed"))
        return B::Removed;
    if (name == QLatin1String("Isolated"))
        return B::Isolated;
    if (name == QLatin1String("MergedWithPrevious"))
        return B::MergedWithPrevious;
    if (name == QLatin1String("MergedWithNext"))
        return B::MergedWithNext;
    if (name == QLatin1String("Contiguous"))
        return B::Contiguous;
    return std::nullopt;
}

// Segments covering `text` where each character for which `pred` holds is one match.
template<typename Pred>
void charMatches(QStringView text, Pred pred, std::vector<Segment> &segments)
{
    qsizetype prev = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        qsizetype len = 1;
        char32_t cp = text.at(i).unicode();
        if (QChar::isHighSurrogate(cp) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            cp = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            len = 2;
        }
        if (pred(cp)) {
            if (prev < i)
                segments.push_back({ prev, i, false });
            segments.push_back({ i, i + len, true });
            prev = i + len;
        }
        i += len;
    }
    if (prev < text.size())
        segments.push_back({ prev, text.size(), false });
}

void regexMatches(QStringView text, const QRegularExpression &re, std::vector<Segment> &segments)
{
    qsizetype prev = 0;
    QRegularExpressionMatchIterator it = re.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const qsizetype start = m.capturedStart();
        const qsizetype end = m.capturedEnd();
        if (prev != start)
            segments.push_back({ prev, start, false });
        segments.push_back({ start, end, true });
        prev = end;
    }
    if (prev != text.size())
        segments.push_back({ prev, text.size(), false });
}

void literalMatches(QStringView text, QStringView literal, std::vector<Segment> &segments)
{
    qsizetype prev = 0;
    if (!literal.isEmpty()) {
        qsizetype pos = text.indexOf(literal);
        while (pos >= 0) {
            if (prev != pos)
                segments.push_back({ prev, pos, false });
            segments.push_back({ pos, pos + literal.size(), true });
            prev = pos + literal.size();
            pos = text.indexOf(literal, prev);
        }
    }
    if (prev != text.size())
        segments.push_back({ prev, text.size(), false });
}

// Hugging Face's SplitDelimiterBehavior over match flags; appends the kept pieces of `piece`.
void splitByBehavior(const Piece &piece, std::vector<Segment> &segments, PreTokenizer::Behavior behavior,
                     bool invert, std::vector<Piece> &out)
{
    using B = PreTokenizer::Behavior;
    if (invert)
        for (Segment &s : segments)
            s.isMatch = !s.isMatch;
    thread_local std::vector<Segment> merged;
    merged.clear();
    switch (behavior) {
    case B::Isolated:
        merged = segments;
        break;
    case B::Removed:
        for (const Segment &s : segments)
            if (!s.isMatch)
                merged.push_back(s);
        break;
    case B::MergedWithPrevious: {
        bool previousMatch = false;
        for (const Segment &s : segments) {
            if (s.isMatch && !previousMatch && !merged.empty())
                merged.back().end = s.end;
            else
                merged.push_back(s);
            previousMatch = s.isMatch;
        }
        break;
    }
    case B::MergedWithNext: {
        bool previousMatch = false;
        for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
            if (it->isMatch && !previousMatch && !merged.empty())
                merged.back().start = it->start;
            else
                merged.push_back(*it);
            previousMatch = it->isMatch;
        }
        std::reverse(merged.begin(), merged.end());
        break;
    }
    case B::Contiguous: {
        bool previousMatch = false;
        for (const Segment &s : segments) {
            if (s.isMatch == previousMatch && !merged.empty())
                merged.back().end = s.end;
            else
                merged.push_back(s);
            previousMatch = s.isMatch;
        }
        break;
    }
    }
    for (const Segment &s : merged) {
        if (s.end > s.start)
            out.push_back({ piece.text.mid(s.start, s.end - s.start), piece.atStart && s.start == 0 });
    }
}

} // namespace

bool PreTokenizer::load(const nlohmann::json &config, QString *error)
{
    m_steps.clear();
    m_byteLevel = false;
    if (config.is_null())
        return true;
    return loadStep(config, error);
}

bool PreTokenizer::loadStep(const nlohmann::json &config, QString *error)
{
    const QString type = jsonType(config);
    if (type == QLatin1String("Sequence")) {
        const nlohmann::json &list = jsonMember(config, "pretokenizers");
        if (list.is_array())
            for (const nlohmann::json &item : list)
                if (!loadStep(item, error))
                    return false;
        return true;
    }
    if (m_byteLevel) {
        // The model maps bytes itself, so a step after ByteLevel would see unmapped text.
        if (error)
            *error = unsupported(type + QLatin1String(" (after ByteLevel)"));
        return false;
    }
    Step step { Kind::SplitRegex };
    if (type == QLatin1String("Split")) {
        const auto behavior = behaviorFromName(jsonString(config, "behavior", QStringLiteral("Isolated")));
        if (!behavior) {
            if (error)
                *error = unsupported(QLatin1String("Split/") + jsonString(config, "behavior"));
            return false;
        }
        step.behavior = *behavior;
        step.invert = jsonBool(config, "invert", false);
        const nlohmann::json &pattern = jsonMember(config, "pattern");
        if (pattern.contains("String")) {
            step.kind = Kind::SplitString;
            step.literal = jsonString(pattern, "String");
        } else {
            auto regex = compileOnigurumaPattern(jsonString(pattern, "Regex"), error);
            if (!regex)
                return false;
            step.regex = *regex;
        }
    } else if (type == QLatin1String("ByteLevel")) {
        if (jsonBool(config, "add_prefix_space", true))
            m_steps.push_back(Step { Kind::PrefixSpace });
        if (jsonBool(config, "use_regex", true)) {
            auto regex = compileOnigurumaPattern(kGpt2Pattern, error);
            if (!regex)
                return false;
            step.regex = *regex;
            m_steps.push_back(step);
        }
        m_byteLevel = true;
        return true;
    } else if (type == QLatin1String("Metaspace")) {
        step.kind = Kind::Metaspace;
        step.literal = jsonString(config, "replacement", QStringLiteral("\u2581"));
        step.split = jsonBool(config, "split", true);
        const QString scheme = jsonString(config, "prepend_scheme");
        if (scheme == QLatin1String("first"))
            step.prepend = Step::Prepend::First;
        else if (scheme == QLatin1String("never"))
            step.prepend = Step::Prepend::Never;
        else if (scheme.isEmpty() && !jsonBool(config, "add_prefix_space", true))
            step.prepend = Step::Prepend::Never;
    } else if (type == QLatin1String("Digits")) {
        step.kind = Kind::Digits;
        step.individualDigits = jsonBool(config, "individual_digits", false);
    } else if (type == QLatin1String("WhitespaceSplit")) {
        step.kind = Kind::WhitespaceSplit;
    } else if (type == QLatin1String("Whitespace")) {
        step.regex = compileOnigurumaPattern(kWhitespacePattern, error).value_or(QRegularExpression());
        step.invert = true;
        step.behavior = Behavior::Removed;
    } else if (type == QLatin1String("Punctuation")) {
        step.kind = Kind::Punctuation;
        step.behavior = behaviorFromName(jsonString(config, "behavior", QStringLiteral("Isolated"))).value_or(Behavior::Isolated);
    } else {
        if (error)
            *error = unsupported(type);
        return false;
    }
    m_steps.push_back(std::move(step));
    return true;
}

void PreTokenizer::apply(std::vector<Piece> &pieces, PieceArena &arena) const
{
    thread_local std::vector<Piece> scratch;
    for (const Step &step : m_steps) {
        scratch.clear();
        applyStep(step, pieces, scratch, arena);
        pieces.swap(scratch);
    }
}

void PreTokenizer::applyStep(const Step &step, std::vector<Piece> &in, std::vector<Piece> &out, PieceArena &arena) const
{
    thread_local std::vector<Segment> segments;
    for (Piece piece : in) {
        segments.clear();
        switch (step.kind) {
        case Kind::SplitRegex:
            regexMatches(piece.text, step.regex, segments);
            splitByBehavior(piece, segments, step.behavior, step.invert, out);
            break;
        case Kind::SplitString:
            literalMatches(piece.text, step.literal, segments);
            splitByBehavior(piece, segments, step.behavior, step.invert, out);
            break;
        case Kind::PrefixSpace:
            if (!piece.text.startsWith(u' '))
                piece.text = arena.keep(QLatin1Char(' ') + piece.text);
            out.push_back(piece);
            break;
        case Kind::Metaspace: {
            QString text = piece.text.toString();
            text.replace(u' ', step.literal);
            const bool prepend = step.prepend == Step::Prepend::Always
                || (step.prepend == Step::Prepend::First && piece.atStart);
            if (prepend && !text.startsWith(step.literal))
                text.prepend(step.literal);
            piece.text = arena.keep(std::move(text));
            if (step.split) {
                literalMatches(piece.text, step.literal, segments);
                splitByBehavior(piece, segments, Behavior::MergedWithNext, false, out);
            } else {
                out.push_back(piece);
            }
            break;
        }
        case Kind::Digits:
            charMatches(piece.text, [](char32_t c) { return QChar::isNumber(c); }, segments);
            splitByBehavior(piece, segments, step.individualDigits ? Behavior::Isolated : Behavior::Contiguous, false, out);
            break;
        case Kind::WhitespaceSplit:
            charMatches(piece.text, [](char32_t c) { return isWhiteSpace(c); }, segments);
            splitByBehavior(piece, segments, Behavior::Removed, false, out);
            break;
        case Kind::Punctuation:
            charMatches(piece.text, [](char32_t c) { return QChar::isPunct(c) || (c < 128 && QChar::isPrint(c) && !QChar::isLetterOrNumber(c) && c != ' '); }, segments);
            splitByBehavior(piece, segments, step.behavior, false, out);
            break;
        }
    }
}

} // namespace ts::tok
