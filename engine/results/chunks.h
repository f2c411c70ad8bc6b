#pragma once

#include "core/requestrecord.h"

#include <QStringView>

#include <cstdint>
#include <optional>
#include <vector>

namespace ts {

// One streamed content chunk of a request, as the anatomy view and the report show it.
struct Chunk
{
    double arrival = 0.0;   // seconds since the request was sent
    QStringView text;       // into the record's generatedText; empty when not recorded
    int tokens = 0;         // 0 when the stream did not say
};

// The record's chunks in arrival order: ttft, then one per ITL gap. The views point into
// record.generatedText, so the record must outlive them.
std::vector<Chunk> chunksOf(const RequestRecord &record);
// Whether the record kept each chunk's text (ours do; vLLM's files keep only the whole text).
bool hasChunkTexts(const RequestRecord &record);

// Result files count text positions in Unicode code points, as Python indexes a str; a record
// counts them in UTF-16 units. Offsets go in ascending order; a lone surrogate is one code
// point (it is written as U+FFFD).
std::vector<std::uint32_t> utf16ToCodePointOffsets(QStringView text, const std::vector<std::uint32_t> &utf16Offsets);
// nullopt when the offsets decrease or go past the end of text.
std::optional<std::vector<std::uint32_t>> codePointToUtf16Offsets(QStringView text,
                                                                  const std::vector<std::uint32_t> &codePointOffsets);

} // namespace ts
