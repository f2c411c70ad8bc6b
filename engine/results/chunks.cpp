#include "results/chunks.h"

#include <algorithm>

namespace ts {

namespace {
// UTF-16 units of the code point that starts at i.
qsizetype codePointWidth(QStringView text, qsizetype i)
{
    return text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate() ? 2 : 1;
}
} // namespace

bool hasChunkTexts(const RequestRecord &record)
{
    return !record.chunkTextEnds.empty() && record.chunkTextEnds.size() == record.itl.size() + 1;
}

std::vector<Chunk> chunksOf(const RequestRecord &record)
{
    std::vector<Chunk> chunks;
    if (record.contentChunks == 0 && record.ttft <= 0.0)
        return chunks;
    chunks.reserve(record.itl.size() + 1);
    const bool texts = hasChunkTexts(record);
    const bool tokens = record.chunkTokens.size() == record.itl.size() + 1;
    const QStringView whole(record.generatedText);
    double t = record.ttft;
    qsizetype begin = 0;
    for (std::size_t i = 0; i <= record.itl.size(); ++i) {
        if (i > 0)
            t += record.itl[i - 1];
        Chunk c;
        c.arrival = t;
        if (texts) {
            const qsizetype end = std::min<qsizetype>(record.chunkTextEnds[i], whole.size());
            c.text = whole.mid(std::min(begin, end), end - std::min(begin, end));
            begin = end;
        }
        c.tokens = tokens ? record.chunkTokens[i] : 0;
        chunks.push_back(c);
    }
    return chunks;
}

std::vector<std::uint32_t> utf16ToCodePointOffsets(QStringView text, const std::vector<std::uint32_t> &utf16Offsets)
{
    std::vector<std::uint32_t> out;
    out.reserve(utf16Offsets.size());
    qsizetype unit = 0;
    std::uint32_t codePoints = 0;
    for (const std::uint32_t end : utf16Offsets) {
        const qsizetype stop = std::min<qsizetype>(end, text.size());
        while (unit < stop) {
            unit += codePointWidth(text, unit);
            ++codePoints;
        }
        out.push_back(codePoints);
    }
    return out;
}

std::optional<std::vector<std::uint32_t>> codePointToUtf16Offsets(QStringView text,
                                                                  const std::vector<std::uint32_t> &codePointOffsets)
{
    std::vector<std::uint32_t> out;
    out.reserve(codePointOffsets.size());
    qsizetype unit = 0;
    std::uint32_t codePoints = 0;
    for (const std::uint32_t end : codePointOffsets) {
        if (end < codePoints)
            return std::nullopt;
        while (codePoints < end) {
            if (unit >= text.size())
                return std::nullopt;
            unit += codePointWidth(text, unit);
            ++codePoints;
        }
        out.push_back(std::uint32_t(unit));
    }
    return out;
}

} // namespace ts
