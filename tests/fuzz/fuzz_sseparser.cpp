// The Server-Sent-Events parser on bytes a server chose. Besides the sanitizers it checks the
// parser's promise that how the network cuts a stream into reads never changes the events:
// the input is parsed whole, one byte per read, and in reads of sizes taken from the input.

#include "fuzzsupport.h"

#include "sse/sseparser.h"

#include <vector>

namespace {

using Events = std::vector<ts::SseEvent>;

template<typename NextSize>
Events parse(QByteArrayView bytes, NextSize nextSize)
{
    ts::SseParser parser;
    Events events;
    auto keep = [&](const ts::SseEvent &event) { events.push_back(event); };
    qsizetype at = 0;
    while (at < bytes.size()) {
        const qsizetype n = std::min(nextSize(at), bytes.size() - at);
        parser.feed(bytes.sliced(at, n), keep);
        at += n;
    }
    parser.finish(keep);
    ts::fuzz::check(parser.pendingBytes() == 0, "bytes held after finish()");
    return events;
}

bool same(const Events &a, const Events &b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].event != b[i].event || a[i].data != b[i].data || a[i].id != b[i].id)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes = ts::fuzz::bytesOf(data, size);
    const Events whole = parse(bytes, [&](qsizetype) { return bytes.size(); });
    const Events byByte = parse(bytes, [](qsizetype) { return qsizetype(1); });
    ts::fuzz::check(same(whole, byByte), "one byte per read gives other events than one read");
    const Events byData = parse(bytes, [&](qsizetype at) { return qsizetype(data[at] % 17) + 1; });
    ts::fuzz::check(same(whole, byData), "reads of varying size give other events than one read");
    return 0;
}
