#pragma once

#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <vector>

namespace ts::tok {

// The "decoder" of a tokenizer.json: turns token strings back into text (ByteLevel, Metaspace,
// ByteFallback, Fuse, Strip, Replace and Sequence). Unknown decoders are skipped, so decoding
// still works, only less exactly.
class Decoder
{
public:
    void load(const nlohmann::json &config);
    QString decode(QStringList tokens) const;

private:
    enum class Kind { ByteLevel, Metaspace, ByteFallback, Fuse, Strip, ReplaceString, ReplaceRegex };
    struct Step
    {
        Kind kind;
        QString text;        // Metaspace replacement; Strip content; Replace pattern
        QString content;     // Replace replacement
        QRegularExpression regex;
        int start = 0;       // Strip
        int stop = 0;
        bool prepend = true; // Metaspace: a prefix space was added when encoding
    };
    void loadStep(const nlohmann::json &config);

    std::vector<Step> m_steps;
    bool m_configured = false;
};

} // namespace ts::tok
