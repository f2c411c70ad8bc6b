#pragma once

#include <QRegularExpression>
#include <QString>
#include <QStringView>

#include <nlohmann/json_fwd.hpp>

#include <deque>
#include <optional>
#include <vector>

namespace ts::tok {

// One stretch of text on its way to the model. `atStart` is true when it begins at the very
// start of the input (Metaspace's prepend_scheme "first" depends on it).
struct Piece
{
    QStringView text;
    bool atStart = false;
};

// Owns the strings that pre-tokenizers create (Metaspace and prefix-space rewrites), so that
// pieces can stay views.
class PieceArena
{
public:
    QStringView keep(QString text)
    {
        m_strings.push_back(std::move(text));
        return m_strings.back();
    }
    void clear() { m_strings.clear(); }

private:
    std::deque<QString> m_strings;
};

// The "pre_tokenizer" of a tokenizer.json: splits normalized text into the words the model
// encodes one by one (Split with a regex, ByteLevel, Metaspace, Digits, Whitespace...).
class PreTokenizer
{
public:
    bool load(const nlohmann::json &config, QString *error);

    // True when a ByteLevel step is present: the model then works on UTF-8 bytes.
    bool isByteLevel() const { return m_byteLevel; }

    // Splits every piece in place.
    void apply(std::vector<Piece> &pieces, PieceArena &arena) const;

    enum class Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

private:
    enum class Kind { SplitRegex, SplitString, PrefixSpace, Metaspace, Digits, WhitespaceSplit, Punctuation };
    struct Step
    {
        Kind kind;
        Behavior behavior = Behavior::Isolated;
        bool invert = false;
        QRegularExpression regex;
        QString literal;                 // SplitString pattern; Metaspace replacement
        bool individualDigits = false;
        enum class Prepend { Always, First, Never } prepend = Prepend::Always;
        bool split = true;
    };
    bool loadStep(const nlohmann::json &config, QString *error);
    void applyStep(const Step &step, std::vector<Piece> &in, std::vector<Piece> &out, PieceArena &arena) const;

    std::vector<Step> m_steps;
    bool m_byteLevel = false;
};

} // namespace ts::tok
