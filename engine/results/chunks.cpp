#include "results/chunks.h"

namespace ts {

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

} // namespace ts
