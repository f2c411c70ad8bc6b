#pragma once

#include <QByteArray>
#include <QStringBuilder>
#include <QByteArrayView>

#include <cstdint>
#include <memory>

namespace ts::sim {

struct VocabToken;

// The wire formats the simulator writes; Unsupported: a backend it has no replies for.
enum class ApiKind : std::uint8_t { Completions, Chat, Tgi, LlamaCpp, Ollama, OllamaChat, Sglang, Triton, Embeddings, Responses, Anthropic, Unsupported };
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
    std::uint64_t inputHash = 0;   // of the request's input text (embeddings: the vector)
    // A reasoning model: the first reasoningTokens generated tokens are reasoning, sent apart
    // from the answer where the format can say so (OpenAI chat and Responses, Anthropic).
    int reasoningTokens = 0;
};

// A wire format besides the built-in OpenAI and TGI ones: one class per API, in its own
// simformat*.cpp file, made by makeReplyFormat() (simformats.h). Streams are sent with
// chunked transfer encoding; appendChunk() writes one chunk.
class ReplyFormat
{
public:
    virtual ~ReplyFormat() = default;
    // Status line and headers of a stream; by default those of an event stream.
    virtual QByteArray streamHead(const ReplySpec &spec) const;
    // As ReplyWriter::appendToken / appendEnd.
    virtual void appendToken(QByteArray &out, const ReplySpec &spec, const VocabToken &token, int position,
                             bool last, FinishReason reason) = 0;
    virtual void appendEnd(QByteArray &out, const ReplySpec &spec, int generatedTokens, FinishReason reason) = 0;
    // The body of the API's model list route; empty: OpenAI's list.
    virtual QByteArray modelList(const QByteArray &modelEscaped, int maxModelLen) const
    {
        Q_UNUSED(modelEscaped);
        Q_UNUSED(maxModelLen);
        return {};
    }

    // An HTTP/1.1 head for a chunked stream of this content type.
    static QByteArray chunkedHead(const ReplySpec &spec, QByteArrayView contentType);
    static void appendChunk(QByteArray &out, std::initializer_list<QByteArrayView> parts);
    // The zero-length chunk that ends a chunked body.
    static void appendLastChunk(QByteArray &out) { out.append("0\r\n\r\n", 5); }
};

// Formats one reply in the wire format of its API. Everything that does not change between
// tokens is built once, so a streamed token costs a few appends and no JSON library.
class ReplyWriter
{
public:
    ReplyWriter() = default;
    explicit ReplyWriter(ReplySpec spec);
    ReplyWriter(ReplyWriter &&) = default;
    ReplyWriter &operator=(ReplyWriter &&) = default;
    ~ReplyWriter();

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
    QByteArray usageJson(int generatedTokens) const;

    ReplySpec m_spec;
    std::unique_ptr<ReplyFormat> m_format;   // the formats not built in
    QByteArray m_eventPrefix;      // "data: {...\"text\":\"" up to the token text
    QByteArray m_eventSuffix;      // after the token text, finish_reason null
    QByteArray m_roleEvent;        // chat: the role-only first event
    QByteArray m_reasoningPrefix;  // chat: as m_eventPrefix, for reasoning_content
    QByteArray m_text;             // escaped text so far (non-stream and TGI)
};

} // namespace ts::sim
