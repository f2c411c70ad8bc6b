#include "tokenizer/decoder.h"

#include "tokenizer/bytelevel.h"
#include "tokenizer/jsonutil.h"
#include "tokenizer/tokenizerregex.h"

namespace ts::tok {

namespace {

// <0xAB> -> 0xAB, or -1.
int byteToken(const QString &token)
{
    if (token.size() != 6 || !token.startsWith(QLatin1String("<0x")) || token.back() != u'>')
        return -1;
    bool ok = false;
    const int value = QStringView(token).mid(3, 2).toInt(&ok, 16);
    return ok ? value : -1;
}

QStringList decodeByteLevel(const QStringList &tokens)
{
    QByteArray bytes;
    QByteArray tokenBytes;
    for (const QString &token : tokens) {
        // A token with a character outside the byte table (an added token) is taken as written.
        if (byteLevelToBytes(token, &tokenBytes))
            bytes += tokenBytes;
        else
            bytes += token.toUtf8();
    }
    return { fromUtf8Exact(std::string_view(bytes.constData(), std::size_t(bytes.size()))) };
}

QStringList decodeByteFallback(const QStringList &tokens)
{
    QStringList out;
    QByteArray pending;
    auto flush = [&] {
        if (pending.isEmpty())
            return;
        const QString text = fromUtf8Exact(std::string_view(pending.constData(), std::size_t(pending.size())));
        if (text.contains(QChar::ReplacementCharacter) && text.toUtf8() != pending)
            for (qsizetype i = 0; i < pending.size(); ++i)
                out.append(QString(QChar::ReplacementCharacter));
        else
            out.append(text);
        pending.clear();
    };
    for (const QString &token : tokens) {
        const int byte = byteToken(token);
        if (byte >= 0) {
            pending.append(char(byte));
        } else {
            flush();
            out.append(token);
        }
    }
    flush();
    return out;
}

} // namespace

void Decoder::load(const nlohmann::json &config)
{
    m_steps.clear();
    m_configured = !config.is_null();
    if (m_configured)
        loadStep(config);
}

void Decoder::loadStep(const nlohmann::json &config)
{
    const QString type = jsonType(config);
    if (type == QLatin1String("Sequence")) {
        const nlohmann::json &list = jsonMember(config, "decoders");
        if (list.is_array())
            for (const nlohmann::json &item : list)
                loadStep(item);
        return;
    }
    Step step { Kind::ByteLevel };
    if (type == QLatin1String("ByteLevel")) {
        step.kind = Kind::ByteLevel;
    } else if (type == QLatin1String("Metaspace")) {
        step.kind = Kind::Metaspace;
        step.text = jsonString(config, "replacement", QStringLiteral("\u2581"));
        const QString scheme = jsonString(config, "prepend_scheme");
        step.prepend = scheme.isEmpty() ? jsonBool(config, "add_prefix_space", true) : scheme != QLatin1String("never");
    } else if (type == QLatin1String("ByteFallback")) {
        step.kind = Kind::ByteFallback;
    } else if (type == QLatin1String("Fuse")) {
        step.kind = Kind::Fuse;
    } else if (type == QLatin1String("Strip")) {
        step.kind = Kind::Strip;
        step.text = jsonString(config, "content", QStringLiteral(" "));
        step.start = int(jsonInt(config, "start", 0));
        step.stop = int(jsonInt(config, "stop", 0));
    } else if (type == QLatin1String("Replace")) {
        const nlohmann::json &pattern = jsonMember(config, "pattern");
        step.content = jsonString(config, "content");
        if (pattern.contains("String")) {
            step.kind = Kind::ReplaceString;
            step.text = jsonString(pattern, "String");
        } else {
            step.kind = Kind::ReplaceRegex;
            auto regex = compileOnigurumaPattern(jsonString(pattern, "Regex"), nullptr);
            if (!regex)
                return;
            step.regex = *regex;
        }
    } else {
        return;
    }
    m_steps.push_back(std::move(step));
}

QString Decoder::decode(QStringList tokens) const
{
    // Without a decoder Hugging Face joins the tokens with spaces.
    if (!m_configured)
        return tokens.join(u' ');
    for (const Step &step : m_steps) {
        switch (step.kind) {
        case Kind::ByteLevel:
            tokens = decodeByteLevel(tokens);
            break;
        case Kind::ByteFallback:
            tokens = decodeByteFallback(tokens);
            break;
        case Kind::Fuse:
            tokens = QStringList { tokens.join(QString()) };
            break;
        case Kind::Metaspace:
            for (qsizetype i = 0; i < tokens.size(); ++i) {
                QString &token = tokens[i];
                if (i == 0 && step.prepend)
                    token.remove(step.text);
                else
                    token.replace(step.text, QLatin1String(" "));
            }
            break;
        case Kind::Strip:
            for (QString &token : tokens) {
                int removed = 0;
                while (removed < step.start && token.startsWith(step.text)) {
                    token.remove(0, step.text.size());
                    ++removed;
                }
                removed = 0;
                while (removed < step.stop && token.endsWith(step.text)) {
                    token.chop(step.text.size());
                    ++removed;
                }
            }
            break;
        case Kind::ReplaceString:
            if (!step.text.isEmpty())
                for (QString &token : tokens)
                    token.replace(step.text, step.content);
            break;
        case Kind::ReplaceRegex:
            for (QString &token : tokens)
                token = replaceLiteral(token, step.regex, step.content);
            break;
        }
    }
    return tokens.join(QString());
}

} // namespace ts::tok
