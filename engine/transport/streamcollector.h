#pragma once

#include "backends/backend.h"
#include "core/requestrecord.h"
#include "sse/sseparser.h"

#include <QByteArray>

#include <cstdint>

namespace ts {

class Tokenizer;

// Turns the bytes of one reply into the timings of one request. Every event found in one read
// gets that read's arrival time: the bytes came together, so that is when each became known.
class StreamCollector
{
public:
    StreamCollector(const Backend &backend, std::int64_t sentNs);

    // HTTP status known: a non-200 reply is collected as an error body, not parsed as a stream.
    void setHttpStatus(int status);
    // Bytes that arrived at arrivalNs (monotonic). Returns the content chunks they carried.
    int addBytes(QByteArrayView bytes, std::int64_t arrivalNs);
    // End of the reply: flush the parser.
    int finish(std::int64_t endNs);

    // Fills the timing, token and error fields of record. networkError is empty when the
    // transfer itself went well.
    // Without a server count, output tokens are counted with tokenizer when there is one,
    // else estimated as the number of content chunks.
    void fillRecord(RequestRecord &record, const QString &networkError, const QByteArray &contentType,
                    const Tokenizer *tokenizer = nullptr) const;

    const StreamState &state() const { return m_state; }
    bool hasContent() const { return m_firstNs != 0; }
    // When the first content arrived (monotonic ns); 0 before.
    std::int64_t firstContentNs() const { return m_firstNs; }

private:
    int handle(const SseEvent &event, std::int64_t arrivalNs);
    void addChunk();

    const Backend &m_backend;
    SseParser m_parser;
    StreamState m_state;
    std::int64_t m_sentNs;
    std::int64_t m_firstNs = 0;
    std::int64_t m_lastNs = 0;
    std::int64_t m_endNs = 0;
    std::vector<double> m_itl;
    // Per chunk from the first content on, one more than m_itl (RequestRecord's fields).
    std::vector<std::uint32_t> m_chunkTextEnds;
    std::vector<std::uint16_t> m_chunkTokens;
    int m_httpStatus = 0;
    QByteArray m_errorBody;   // body of a non-200 reply, capped
};

} // namespace ts
