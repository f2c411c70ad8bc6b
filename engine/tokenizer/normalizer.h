#pragma once

#include <QRegularExpression>
#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace ts::tok {

// The "normalizer" of a tokenizer.json: a sequence of text rewrites applied before
// pre-tokenization (Unicode normal forms, Prepend, Replace, Lowercase, Strip...).
class Normalizer
{
public:
    // Reads the JSON value (null gives an identity normalizer); false with *error set on a
    // type that is not supported.
    bool load(const nlohmann::json &config, QString *error);

    bool isIdentity() const { return m_steps.empty(); }
    QString apply(QString text) const;

private:
    enum class Kind { Nfc, Nfd, Nfkc, Nfkd, Lowercase, Prepend, ReplaceString, ReplaceRegex, Strip, StripAccents };
    struct Step
    {
        Kind kind;
        QString text;            // Prepend: the prefix; Replace: the pattern
        QString content;         // Replace: the replacement
        QRegularExpression regex;
        bool left = false;
        bool right = false;
    };
    bool loadStep(const nlohmann::json &config, QString *error);

    std::vector<Step> m_steps;
};

} // namespace ts::tok
