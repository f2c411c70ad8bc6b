#include "sim/simreply.h"

#include "sim/simformats.h"
#include "sim/simhttp.h"
#include "sim/simtokenizer.h"

#include <algorithm>

namespace ts::sim {

namespace {

const char *openAiFinish(FinishReason r) { return r == FinishReason::Stop ? "stop" : "length"; }
const char *tgiFinish(FinishReason r) { return r == FinishReason::Stop ? "eos_token" : "length"; }

// Plausible log-probabilities, preformatted.
const char *const kLogprobs[] = {"-0.0021", "-0.0135", "-0.0487", "-0.1123", "-0.2519",
                                 "-0.4402", "-0.7931", "-1.3366", "-2.0417", "-3.1875"};

char hexDigit(unsigned v) { return "0123456789abcdef"[v & 0xF]; }

} // namespace

ReplyWriter::ReplyWriter(ReplySpec spec)
    : m_spec(std::move(spec))
    , m_format(makeReplyFormat(m_spec.kind))
{
    if (m_format || !m_spec.stream || m_spec.kind == ApiKind::Tgi)
        return;
    QByteArray head = "data: {\"id\":\"" + m_spec.requestId + "\",\"object\":\"";
    head += m_spec.kind == ApiKind::Chat ? "chat.completion.chunk" : "text_completion";
    head += "\",\"created\":" + QByteArray::number(m_spec.created) + ",\"model\":\"" + m_spec.modelEscaped
            + "\",\"choices\":[{\"index\":0,";
    if (m_spec.kind == ApiKind::Chat) {
        m_roleEvent = head + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
        m_eventPrefix = head + "\"delta\":{\"content\":\"";
        m_reasoningPrefix = head + "\"delta\":{\"reasoning_content\":\"";
        m_eventSuffix = "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    } else {
        m_eventPrefix = head + "\"text\":\"";
        m_eventSuffix = "\",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}]}\n\n";
    }
}

ReplyWriter::~ReplyWriter() = default;

QByteArray ReplyFormat::chunkedHead(const ReplySpec &spec, QByteArrayView contentType)
{
    // The header block of vLLM's server (uvicorn) less its date line: Qt 6.4 reads a reply's
    // header block one byte per system call, so every line here costs the client measurably.
    QByteArray h = "HTTP/1.1 200 OK\r\nserver: tokenstorm-sim\r\ncontent-type: ";
    h += contentType;
    h += "\r\ntransfer-encoding: chunked\r\n";
    if (!spec.keepAlive)
        h += "connection: close\r\n";
    h += "\r\n";
    return h;
}

QByteArray ReplyFormat::streamHead(const ReplySpec &spec) const
{
    return chunkedHead(spec, "text/event-stream; charset=utf-8");
}

QByteArray ReplyWriter::streamHead() const
{
    return m_format ? m_format->streamHead(m_spec) : ReplyFormat::chunkedHead(m_spec, "text/event-stream; charset=utf-8");
}

void ReplyFormat::appendChunk(QByteArray &out, std::initializer_list<QByteArrayView> parts)
{
    qsizetype len = 0;
    for (const QByteArrayView &p : parts)
        len += p.size();
    char hex[16];
    int n = 0;
    for (auto v = std::uint64_t(len); ; v >>= 4) {
        hex[n++] = hexDigit(unsigned(v));
        if (v < 16)
            break;
    }
    while (n > 0)
        out.append(hex[--n]);
    out.append("\r\n", 2);
    for (const QByteArrayView &p : parts)
        out.append(p.data(), p.size());
    out.append("\r\n", 2);
}

void ReplyWriter::appendToken(QByteArray &out, const VocabToken &token, int position, std::uint64_t hash,
                              bool last, FinishReason reason)
{
    if (m_format) {
        m_format->appendToken(out, m_spec, token, position, last, reason);
        return;
    }
    using F = ReplyFormat;
    if (m_spec.kind == ApiKind::Tgi) {
        m_text += token.jsonEscaped;
        if (!m_spec.stream)
            return;
        const QByteArray index = QByteArray::number(position + 1);
        const QByteArray id = QByteArray::number(token.id);
        const char *logprob = kLogprobs[hash % (sizeof kLogprobs / sizeof kLogprobs[0])];
        if (!last) {
            F::appendChunk(out, {"data:{\"index\":", index, ",\"token\":{\"id\":", id, ",\"text\":\"",
                              token.jsonEscaped, "\",\"logprob\":", logprob,
                              ",\"special\":false},\"top_tokens\":null,\"generated_text\":null,\"details\":null}\n\n"});
        } else {
            F::appendChunk(out, {"data:{\"index\":", index, ",\"token\":{\"id\":", id, ",\"text\":\"",
                              token.jsonEscaped, "\",\"logprob\":", logprob,
                              ",\"special\":false},\"top_tokens\":null,\"generated_text\":\"", m_text,
                              "\",\"details\":{\"finish_reason\":\"", tgiFinish(reason),
                              "\",\"generated_tokens\":", QByteArray::number(position + 1),
                              ",\"seed\":null,\"input_length\":", QByteArray::number(m_spec.promptTokens),
                              "}}\n\n"});
        }
        return;
    }

    if (!m_spec.stream) {
        m_text += token.jsonEscaped;
        return;
    }
    if (position == 0 && m_spec.kind == ApiKind::Chat)
        F::appendChunk(out, {m_roleEvent});
    const QByteArray &prefix = position < m_spec.reasoningTokens && m_spec.kind == ApiKind::Chat
        ? m_reasoningPrefix : m_eventPrefix;
    if (!last) {
        F::appendChunk(out, {prefix, token.jsonEscaped, m_eventSuffix});
        return;
    }
    const QByteArray suffix = QByteArray(m_spec.kind == ApiKind::Chat ? "\"}" : "\"")
        + ",\"logprobs\":null,\"finish_reason\":\"" + openAiFinish(reason) + "\",\"stop_reason\":null}]}\n\n";
    F::appendChunk(out, {prefix, token.jsonEscaped, suffix});
}

QByteArray ReplyWriter::usageJson(int generatedTokens) const
{
    QByteArray usage = "{\"prompt_tokens\":" + QByteArray::number(m_spec.promptTokens) + ",\"total_tokens\":"
        + QByteArray::number(m_spec.promptTokens + generatedTokens) + ",\"completion_tokens\":"
        + QByteArray::number(generatedTokens);
    if (m_spec.kind == ApiKind::Chat && m_spec.reasoningTokens > 0) {
        usage += ",\"completion_tokens_details\":{\"reasoning_tokens\":"
            + QByteArray::number(std::min(m_spec.reasoningTokens, generatedTokens)) + '}';
    }
    return usage;
}

void ReplyWriter::appendEnd(QByteArray &out, int generatedTokens, FinishReason reason)
{
    if (m_format) {
        m_format->appendEnd(out, m_spec, generatedTokens, reason);
        return;
    }
    using F = ReplyFormat;
    const bool keepAlive = m_spec.keepAlive;

    if (m_spec.kind == ApiKind::Tgi) {
        if (m_spec.stream) {
            F::appendLastChunk(out);
            return;
        }
        QByteArray body = "{\"generated_text\":\"" + m_text + '"';
        if (m_spec.tgiDetails) {
            body += ",\"details\":{\"finish_reason\":\"" + QByteArray(tgiFinish(reason))
                + "\",\"generated_tokens\":" + QByteArray::number(generatedTokens)
                + ",\"seed\":null,\"prefill\":[],\"tokens\":[]}";
        }
        body += '}';
        out += httpResponse(200, "application/json", body, keepAlive);
        return;
    }

    if (m_spec.stream) {
        if (m_spec.includeUsage) {
            const QByteArray usage = "data: {\"id\":\"" + m_spec.requestId + "\",\"object\":\""
                + (m_spec.kind == ApiKind::Chat ? "chat.completion.chunk" : "text_completion")
                + "\",\"created\":" + QByteArray::number(m_spec.created) + ",\"model\":\"" + m_spec.modelEscaped
                + "\",\"choices\":[],\"usage\":" + usageJson(generatedTokens) + "}}\n\n";
            F::appendChunk(out, {usage});
        }
        F::appendChunk(out, {"data: [DONE]\n\n"});
        F::appendLastChunk(out);
        return;
    }

    QByteArray body = "{\"id\":\"" + m_spec.requestId + "\",\"object\":\""
        + (m_spec.kind == ApiKind::Chat ? "chat.completion" : "text_completion") + "\",\"created\":"
        + QByteArray::number(m_spec.created) + ",\"model\":\"" + m_spec.modelEscaped + "\",\"choices\":[{\"index\":0,";
    if (m_spec.kind == ApiKind::Chat) {
        body += "\"message\":{\"role\":\"assistant\",\"content\":\"" + m_text
            + "\",\"tool_calls\":[]},\"logprobs\":null,\"finish_reason\":\"" + openAiFinish(reason)
            + "\",\"stop_reason\":null}],\"usage\":" + usageJson(generatedTokens) + ",\"prompt_tokens_details\":null}}";
    } else {
        body += "\"text\":\"" + m_text + "\",\"logprobs\":null,\"finish_reason\":\"" + openAiFinish(reason)
            + "\",\"stop_reason\":null,\"prompt_logprobs\":null}],\"usage\":" + usageJson(generatedTokens)
            + ",\"prompt_tokens_details\":null}}";
    }
    out += httpResponse(200, "application/json", body, keepAlive);
}

} // namespace ts::sim
