#pragma once

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace ts::tok {

// A tokenizer.json read in one pass. The model's vocabulary and merges (hundreds of thousands
// of entries) go straight into flat lists instead of a JSON document, which halves the time to
// load a large tokenizer; everything else stays a document.
struct TokenizerJson
{
    nlohmann::json root;                                        // without model.vocab / model.merges
    std::vector<std::pair<std::string, int>> vocab;             // token -> id, in file order
    std::vector<std::pair<std::string, std::string>> merges;    // in rank order
    int malformedMerges = 0;                                    // entries that are not a pair
};

// Bounds that keep a hostile file from taking the machine's memory or stack. Real tokenizer.json
// files are below 50 MB and nest fewer than 10 levels; their ids count up from 0 with at most a
// few gaps, and added tokens sit just above the vocabulary.
constexpr qint64 kMaxTokenizerFileBytes = 256 * 1024 * 1024;
constexpr int kMaxJsonDepth = 128;
constexpr int kMaxIdGaps = 65536;

// False with *error set (in the user's language) when the text is not valid JSON, nests deeper
// than kMaxJsonDepth, or gives a vocabulary id outside 0..INT_MAX.
bool parseTokenizerJson(const QByteArray &text, TokenizerJson *out, QString *error);

} // namespace ts::tok
