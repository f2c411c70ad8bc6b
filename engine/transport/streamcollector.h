#pragma once

#include "backends/backend.h"
#include "core/requestrecord.h"
#include "sse/jsonmessageparser.h"
#include "sse/sseparser.h"
#include "sse/utf8validator.h"

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace ts {

class Tokenizer;

// Turns the bytes of one reply into the timings of one request. Every event found in one read
// gets that read's arrival time: the bytes came together, so that is when each became known.
class StreamCollector
{
public:
    StreamCollector(const Backend &backend, std::int64_t sentNs);

    // Text between <think> and </think> in the answer counts as reasoning: for servers that
    // run a reasoning model without separating its reasoning from the answer.
    void setReasoningTags(bool on) { m_reasoningTags = on; }

    // HTTP status known: a non-200 reply is collected as an error body, not parsed as a stream.
    void setHttpStatus(int status);
    // A line or an event may hold at most this many bytes before it ends. A server that never
    // ends one would otherwise make the client keep all it sends.
    static constexpr qsizetype kMaxPendingBytes = 16 * 1024 * 1024;
    // What one reply may grow to: far above any model's longest answer (a few hundred thousand
    // tokens), low enough that a server streaming well-formed chunks without end cannot take the
    // client's memory (the text is kept, and each chunk's time).
    static constexpr qsizetype kMaxReplyChars = 16 * 1024 * 1024;
    static constexpr int kMaxReplyChunks = 4 * 1024 * 1024;

    // Bytes that arrived at arrivalNs (monotonic). Returns the content chunks they carried.
    int addBytes(QByteArrayView bytes, std::int64_t arrivalNs);
    // End of the reply: flush the parser. transferComplete is false when the transfer broke off
    // (timeout, reset, abort): a line it cut in the middle is then dropped, not read as a message.
    int finish(std::int64_t endNs, bool transferComplete = true);
    // The stream broke a rule no reply may break (a line or an event past kMaxPendingBytes,
    // bytes that are not UTF-8): the request must be stopped, and nothing more is read from it.
    bool stopped() const { return m_stop != Stop::None; }

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
    void addChunk(std::int64_t arrivalNs);
    bool taggedAsReasoning(QStringView added);
    qsizetype pendingBytes() const;
    qsizetype partialLineBytes() const;

    const Backend &m_backend;
    const Framing m_framing;
    SseParser m_parser;                 // Framing::ServerSentEvents
    JsonMessageParser m_jsonParser;     // the other framings
    StreamState m_state;
    std::int64_t m_sentNs;
    std::int64_t m_firstNs = 0;
    std::int64_t m_lastNs = 0;
    std::int64_t m_endNs = 0;
    std::int64_t m_firstReasoningNs = 0;
    std::int64_t m_firstAnswerNs = 0;
    int m_reasoningChunks = 0;
    qint64 m_reasoningChunkTokens = 0;  // where the stream tells each chunk's tokens
    bool m_reasoningTags = false;
    bool m_inThink = false;
    QString m_tagTail;                  // the start of a tag cut off at the end of a chunk
    std::vector<double> m_itl;
    // Per chunk from the first content on, one more than m_itl (RequestRecord's fields).
    std::vector<std::uint32_t> m_chunkTextEnds;
    std::vector<std::uint16_t> m_chunkTokens;
    enum class Stop { None, LongLine, LongEvent, InvalidUtf8, LongReply };
    void stop(Stop reason, std::int64_t atNs);

    Utf8Validator m_utf8;
    qint64 m_streamBytes = 0;      // body bytes of a 200 reply read so far
    qint64 m_invalidUtf8At = 0;    // 1-based position of the first byte that is not UTF-8
    Stop m_stop = Stop::None;
    int m_httpStatus = 0;
    QByteArray m_errorBody;   // body of a non-200 reply, capped
};

} // namespace ts
