#pragma once

#include <QByteArray>
#include <QStringBuilder>
#include <QByteArrayView>

#include <cstdint>

namespace ts::sim {

struct VocabToken;

enum class ApiKind : std::uint8_t { Completions, Chat, Tgi };
enum class FinishReason : std::uint8_t { Length, Stop };

struct ReplySpec
{
    ApiKind kind = ApiKind::Completions;
    bool stream = false;
    bool includeUsage = false;     // OpenAI stream_options.include_usage
    bool tgiDetails = false;       // TGI parameters.details (non-stream)
    bool keepAlive = true;
    QByteArray modelEscaped;       // JSON-escaped model name
    QByteArray requestId;          // cmpl-... / chatcmpl-...
    qint64 created = 0;            // unix seconds
    int promptTokens = 0;
};

// Formats one reply in the wire format of its API. Everything that does not change between
// tokens is built once, so a streamed token costs a few appends and no JSON library.
class ReplyWriter
{
public:
    ReplyWriter() = default;
    explicit ReplyWriter(ReplySpec spec);

    const ReplySpec &spec() const { return m_spec; }

    // Status line and headers of a stream (sent as soon as the request is accepted).
    QByteArray streamHead() const;
    // Appends what the client gets for the token at `position` (0-based). Streams get one SSE
    // event in one HTTP chunk (chat's first token is preceded by the role-only event); other
    // replies only accumulate the text.
    void appendToken(QByteArray &out, const VocabToken &token, int position, std::uint64_t hash,
                     bool last, FinishReason reason);
    // Appends the end of the reply after the last token: usage event, [DONE] and the final
    // zero-length chunk for streams; the whole response for non-streams.
    void appendEnd(QByteArray &out, int generatedTokens, FinishReason reason);

private:
    static void appendChunk(QByteArray &out, std::initializer_list<QByteArrayView> parts);
    QByteArray usageJson(int generatedTokens) const;

    ReplySpec m_spec;
    QByteArray m_eventPrefix;      // "data: {...\"text\":\"" up to the token text
    QByteArray m_eventSuffix;      // after the token text, finish_reason null
    QByteArray m_roleEvent;        // chat: the role-only first event
    QByteArray m_text;             // escaped text so far (non-stream and TGI)
};

} // namespace ts::sim
