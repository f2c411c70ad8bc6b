// What a hostile server reaches: the bytes of a streamed reply, cut into reads, through the
// SSE parser, a backend's event handling and the StreamCollector into a RequestRecord, and
// from there chunksOf() as the anatomy view and the reports call it.
//
// Input: "BACKEND STATUS[ tags]\n" then the reply body, e.g. "openai-chat 200\n" followed by a
// recorded stream. BACKEND is any name of the backend table, so every framing is reached;
// "tags" reads <think> tags as reasoning. The body is cut into reads at every "\n\n" boundary's end plus a cut
// every N bytes, N taken from the first body byte, so both event-aligned and ragged reads occur.

#include "fuzzsupport.h"

#include "backends/backend.h"
#include "backends/backendregistry.h"
#include "results/chunks.h"
#include "transport/streamcollector.h"

#include <map>
#include <memory>

namespace {

constexpr std::int64_t kReadStepNs = 1'000'000;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto [header, body] = ts::fuzz::splitTag(ts::fuzz::bytesOf(data, size));
    const qsizetype space = header.indexOf(' ');
    if (space < 0)
        return -1;
    static const std::map<QByteArray, std::unique_ptr<ts::Backend>> backends = [] {
        std::map<QByteArray, std::unique_ptr<ts::Backend>> made;
        for (const ts::BackendInfo &info : ts::backends())
            made.emplace(info.name.toUtf8(), info.create());
        return made;
    }();
    const auto found = backends.find(header.first(space).toByteArray());
    QByteArrayView rest = header.sliced(space + 1);
    const bool tags = rest.endsWith(" tags");
    if (tags)
        rest.chop(5);
    bool statusOk = false;
    const int status = rest.toByteArray().toInt(&statusOk);
    if (found == backends.end() || !statusOk)
        return -1;

    ts::StreamCollector collector(*found->second, 0);
    collector.setHttpStatus(status);
    collector.setReasoningTags(tags);
    const qsizetype ragged = body.isEmpty() ? 1 : qsizetype(static_cast<unsigned char>(body.front()) % 64) + 1;
    std::int64_t now = kReadStepNs;
    int chunks = 0;
    qsizetype at = 0;
    while (at < body.size()) {
        qsizetype end = std::min(at + ragged, body.size());
        const qsizetype eventEnd = body.indexOf("\n\n", at);
        if (eventEnd >= 0 && eventEnd + 2 < end)
            end = eventEnd + 2;
        chunks += collector.addBytes(body.sliced(at, end - at), now);
        now += kReadStepNs;
        at = end;
    }
    chunks += collector.finish(now);

    ts::RequestRecord record;
    collector.fillRecord(record, {}, QByteArrayLiteral("text/event-stream"));
    ts::fuzz::check(record.contentChunks == chunks, "content chunks counted twice or lost");
    ts::fuzz::check(record.success == record.error.isEmpty(), "a failed request without an error");
    if (!record.chunkTextEnds.empty()) {
        ts::fuzz::check(record.chunkTextEnds.size() == record.itl.size() + 1, "one ITL gap per later chunk");
        ts::fuzz::check(record.chunkTokens.size() == record.chunkTextEnds.size(), "tokens per chunk");
        for (std::size_t i = 0; i < record.chunkTextEnds.size(); ++i) {
            ts::fuzz::check(record.chunkTextEnds[i] <= std::uint32_t(record.generatedText.size()),
                            "a chunk ends past the text");
            ts::fuzz::check(i == 0 || record.chunkTextEnds[i - 1] <= record.chunkTextEnds[i], "chunks go back");
        }
        for (double gap : record.itl)
            ts::fuzz::check(gap >= 0.0, "a negative ITL gap from reads in order");
    }
    std::size_t textLength = 0;
    for (const ts::Chunk &chunk : ts::chunksOf(record))
        textLength += std::size_t(chunk.text.size());
    ts::fuzz::check(textLength <= std::size_t(record.generatedText.size()), "chunks hold more than the text");
    return 0;
}
