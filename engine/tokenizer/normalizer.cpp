#include "tokenizer/normalizer.h"

#include "tokenizer/jsonutil.h"
#include "tokenizer/tokenizerregex.h"

#include <QCoreApplication>

namespace ts::tok {

namespace {

QString unsupported(const QString &what, const QString &type)
{
    return QCoreApplication::translate("ts::Tokenizer", "The %1 type “%2” is not supported.").arg(what, type);
}

bool isCombiningMark(QChar c)
{
    return c.category() == QChar::Mark_NonSpacing;
}

} // namespace

bool Normalizer::load(const nlohmann::json &config, QString *error)
{
    m_steps.clear();
    if (config.is_null())
        return true;
    return loadStep(config, error);
}

bool Normalizer::loadStep(const nlohmann::json &config, QString *error)
{
    const QString type = jsonType(config);
    if (type == QLatin1String("Sequence")) {
        const nlohmann::json &list = jsonMember(config, "normalizers");
        if (!list.is_array())
            return true;
        for (const nlohmann::json &item : list) {
            if (!loadStep(item, error))
                return false;
        }
        return true;
    }
    Step step { Kind::Nfc, {}, {}, {}, false, false };
    if (type == QLatin1String("NFC")) {
        step.kind = Kind::Nfc;
    } else if (type == QLatin1String("NFD")) {
        step.kind = Kind::Nfd;
    } else if (type == QLatin1String("NFKC")) {
        step.kind = Kind::Nfkc;
    } else if (type == QLatin1String("NFKD")) {
        step.kind = Kind::Nfkd;
    } else if (type == QLatin1String("Lowercase")) {
        step.kind = Kind::Lowercase;
    } else if (type == QLatin1String("StripAccents")) {
        step.kind = Kind::StripAccents;
    } else if (type == QLatin1String("Strip")) {
        step.kind = Kind::Strip;
        step.left = jsonBool(config, "strip_left", true);
        step.right = jsonBool(config, "strip_right", true);
    } else if (type == QLatin1String("Prepend")) {
        step.kind = Kind::Prepend;
        step.text = jsonString(config, "prepend");
    } else if (type == QLatin1String("Replace")) {
        const nlohmann::json &pattern = jsonMember(config, "pattern");
        step.content = jsonString(config, "content");
        if (pattern.contains("String")) {
            step.kind = Kind::ReplaceString;
            step.text = jsonString(pattern, "String");
        } else {
            step.kind = Kind::ReplaceRegex;
            auto regex = compileOnigurumaPattern(jsonString(pattern, "Regex"), error);
            if (!regex)
                return false;
            step.regex = *regex;
        }
    } else if (type == QLatin1String("Precompiled") && jsonString(config, "precompiled_charsmap").isEmpty()) {
        return true;   // SentencePiece's normalization table, empty: nothing to do
    } else {
        if (error)
            *error = unsupported(QCoreApplication::translate("ts::Tokenizer", "normalizer"), type);
        return false;
    }
    m_steps.push_back(std::move(step));
    return true;
}

QString Normalizer::apply(QString text) const
{
    for (const Step &step : m_steps) {
        switch (step.kind) {
        case Kind::Nfc:
            text = text.normalized(QString::NormalizationForm_C);
            break;
        case Kind::Nfd:
            text = text.normalized(QString::NormalizationForm_D);
            break;
        case Kind::Nfkc:
            text = text.normalized(QString::NormalizationForm_KC);
            break;
        case Kind::Nfkd:
            text = text.normalized(QString::NormalizationForm_KD);
            break;
        case Kind::Lowercase:
            text = text.toLower();
            break;
        case Kind::StripAccents:
            text.removeIf(isCombiningMark);
            break;
        case Kind::Strip: {
            qsizetype begin = 0;
            qsizetype end = text.size();
            if (step.left)
                while (begin < end && isWhiteSpace(text.at(begin).unicode()))
                    ++begin;
            if (step.right)
                while (end > begin && isWhiteSpace(text.at(end - 1).unicode()))
                    --end;
            text = text.mid(begin, end - begin);
            break;
        }
        case Kind::Prepend:
            // Hugging Face prepends only to non-empty text.
            if (!text.isEmpty())
                text.prepend(step.text);
            break;
        case Kind::ReplaceString:
            if (!step.text.isEmpty())
                text.replace(step.text, step.content);
            break;
        case Kind::ReplaceRegex: {
            text = replaceLiteral(text, step.regex, step.content);
            break;
        }
        }
    }
    return text;
}

} // namespace ts::tok
