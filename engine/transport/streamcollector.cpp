#include "transport/streamcollector.h"

#include "core/clock.h"
#include "sse/errortext.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>

#include <algorithm>
#include <climits>

namespace ts {

namespace {
constexpr qsizetype kMaxErrorBody = 64 * 1024;
}

StreamCollector::StreamCollector(const Backend &backend, std::int64_t sentNs)
    : m_backend(backend)
    , m_framing(backend.framing())
    , m_jsonParser(m_framing == Framing::WholeBody ? JsonMessageParser::Mode::Whole : JsonMessageParser::Mode::Lines)
    , m_sentNs(sentNs)
{
    m_itl.reserve(256);
    m_chunkTextEnds.reserve(256);
    m_chunkTokens.reserve(256);
}

void StreamCollector::setHttpStatus(int status)
{
    m_httpStatus = status;
}

int StreamCollector::addBytes(QByteArrayView bytes, std::int64_t arrivalNs)
{
    if (bytes.isEmpty())
        return 0;
    if (m_httpStatus != 200) {
        if (m_errorBody.size() < kMaxErrorBody)
            m_errorBody.append(bytes.first(std::min(bytes.size(), kMaxErrorBody - m_errorBody.size())));
        return 0;
    }
    if (stopped())
        return 0;
    const qsizetype invalid = m_utf8.feed(bytes);
    const QByteArrayView valid = invalid < 0 ? bytes : bytes.first(invalid);
    int chunks = 0;
    const auto sink = [&](const SseEvent &event) { chunks += handle(event, arrivalNs); };
    if (m_framing == Framing::ServerSentEvents)
        m_parser.feed(valid, sink);
    else
        m_jsonParser.feed(valid, sink);
    if (invalid >= 0) {
        m_invalidUtf8At = m_streamBytes + invalid + 1;
        stop(Stop::InvalidUtf8, arrivalNs);
    } else if (pendingBytes() > kMaxPendingBytes) {
        stop(partialLineBytes() > kMaxPendingBytes / 2 ? Stop::LongLine : Stop::LongEvent, arrivalNs);
    } else if (m_state.text.size() > kMaxReplyChars || m_state.contentChunks > kMaxReplyChunks) {
        stop(Stop::LongReply, arrivalNs);
    }
    m_streamBytes += bytes.size();
    return chunks;
}

void StreamCollector::stop(Stop reason, std::int64_t atNs)
{
    m_stop = reason;
    m_endNs = atNs;
    // Given back now: what is held is never read, not even as an unfinished message.
    m_parser.reset();
    m_jsonParser.reset();
}

qsizetype StreamCollector::pendingBytes() const
{
    return m_framing == Framing::ServerSentEvents ? m_parser.pendingBytes() : m_jsonParser.pendingBytes();
}

qsizetype StreamCollector::partialLineBytes() const
{
    // A whole body that is too large is one over-long event, not an unended line.
    switch (m_framing) {
    case Framing::ServerSentEvents:
        return m_parser.partialLineBytes();
    case Framing::JsonLines:
        return m_jsonParser.pendingBytes();
    case Framing::WholeBody:
        break;
    }
    return 0;
}

int StreamCollector::finish(std::int64_t endNs, bool transferComplete)
{
    if (stopped())
        return 0;
    m_endNs = endNs;
    int chunks = 0;
    if (m_httpStatus == 200) {
        const auto sink = [&](const SseEvent &event) { chunks += handle(event, endNs); };
        if (m_framing == Framing::ServerSentEvents) {
            if (!transferComplete)
                m_parser.discardPartialLine();
            m_parser.finish(sink);
        } else {
            if (!transferComplete)
                m_jsonParser.discardPartialLine();
            m_jsonParser.finish(sink);
        }
    }
    return chunks;
}

int StreamCollector::handle(const SseEvent &event, std::int64_t arrivalNs)
{
    if (!m_state.error.isEmpty())
        return 0;
    const int before = m_state.contentChunks;
    const qsizetype textBefore = m_state.text.size();
    m_state.chunkIsReasoning = false;
    const EventKind kind = m_backend.handleEvent(event, m_state);
    if (m_reasoningTags && !m_state.chunkIsReasoning && m_state.contentChunks != before)
        m_state.chunkIsReasoning = taggedAsReasoning(QStringView(m_state.text).mid(textBefore));
    switch (kind) {
    case EventKind::FirstContent:
        m_firstNs = m_lastNs = arrivalNs;
        addChunk(arrivalNs);
        break;
    case EventKind::LaterChoice:
        if (m_firstNs != 0) {
            m_itl.push_back(nsToSeconds(arrivalNs - m_lastNs));
            m_lastNs = arrivalNs;
            addChunk(arrivalNs);
        }
        break;
    case EventKind::Other:
    case EventKind::Error:
    case EventKind::Done:
        break;
    }
    return m_state.contentChunks - before;
}

bool StreamCollector::taggedAsReasoning(QStringView added)
{
    static constexpr QStringView kOpen = u"<think>";
    static constexpr QStringView kClose = u"</think>";
    // A tag may arrive cut in two: its start is held back until the next chunk completes it.
    QString joined;
    QStringView scan = added;
    if (!m_tagTail.isEmpty()) {
        joined = m_tagTail + added;
        scan = joined;
        m_tagTail.clear();
    }
    bool touched = m_inThink;
    bool answer = false;
    qsizetype i = 0;
    while (i < scan.size()) {
        const QStringView tag = m_inThink ? kClose : kOpen;
        const qsizetype at = scan.indexOf(tag, i);
        qsizetype end = at < 0 ? scan.size() : at;
        if (at < 0) {
            const qsizetype lt = scan.lastIndexOf(u'<');
            if (lt >= i && tag.startsWith(scan.mid(lt))) {
                m_tagTail = scan.mid(lt).toString();
                end = lt;
            }
        }
        if (!m_inThink && !scan.mid(i, end - i).trimmed().isEmpty())
            answer = true;
        if (at < 0)
            break;
        m_inThink = !m_inThink;
        touched = true;
        i = at + tag.size();
    }
    // A chunk with any answer in it counts as answer, as a message carrying both does.
    return touched && !answer;
}

void StreamCollector::addChunk(std::int64_t arrivalNs)
{
    std::int64_t &first = m_state.chunkIsReasoning ? m_firstReasoningNs : m_firstAnswerNs;
    if (first == 0)
        first = arrivalNs;
    if (m_state.chunkIsReasoning) {
        ++m_reasoningChunks;
        m_reasoningChunkTokens += m_state.chunkTokens;
    }
    m_chunkTextEnds.push_back(std::uint32_t(m_state.text.size()));
    m_chunkTokens.push_back(std::uint16_t(std::clamp(m_state.chunkTokens, 0, 0xffff)));
}

void StreamCollector::fillRecord(RequestRecord &record, const QString &networkError, const QByteArray &contentType,
                                 const Tokenizer *tokenizer) const
{
    record.httpStatus = m_httpStatus;
    record.contentChunks = m_state.contentChunks;
    record.generatedText = m_state.text;
    if (m_state.promptTokens) {
        record.promptTokens = *m_state.promptTokens;
        record.promptTokenSource = TokenCountSource::Server;
    }
    if (m_state.completionTokens) {
        record.outputTokens = *m_state.completionTokens;
        record.outputTokenSource = TokenCountSource::Server;
    } else if (tokenizer && !m_state.text.isEmpty()) {
        record.outputTokens = tokenizer->countTokens(m_state.text);
        record.outputTokenSource = TokenCountSource::Tokenizer;
    } else {
        record.outputTokens = m_state.contentChunks;
        record.outputTokenSource = TokenCountSource::Chunks;
    }
    if (m_firstNs != 0) {
        record.ttft = nsToSeconds(m_firstNs - m_sentNs);
        record.itl = m_itl;
        record.chunkTextEnds = m_chunkTextEnds;
        record.chunkTokens = m_chunkTokens;
        // Only a stream that told reasoning apart has the two times; others leave them unset.
        if (m_firstReasoningNs != 0) {
            record.ttfrt = nsToSeconds(m_firstReasoningNs - m_sentNs);
            if (m_firstAnswerNs != 0)
                record.ttfat = nsToSeconds(m_firstAnswerNs - m_sentNs);
        }
    }
    if (m_state.reasoningTokens)
        record.reasoningTokens = *m_state.reasoningTokens;
    else if (m_reasoningChunks > 0)
        // Without a server count (Anthropic, think tags), as output tokens are without one.
        record.reasoningTokens = m_reasoningChunkTokens > 0 ? int(std::min<qint64>(m_reasoningChunkTokens, INT_MAX))
                                                            : m_reasoningChunks;

    if (m_httpStatus != 200 && m_httpStatus != 0) {
        record.error = errorTextFromBody(m_httpStatus, m_errorBody, contentType);
    } else if (!m_state.error.isEmpty()) {
        record.error = m_state.error;
    } else if (m_stop == Stop::LongLine) {
        record.error = QCoreApplication::translate("ts::StreamCollector",
                                                   "The server sent a line longer than %1 MB without ending it; the request was stopped.")
                           .arg(kMaxPendingBytes / (1024 * 1024));
    } else if (m_stop == Stop::LongEvent) {
        record.error = QCoreApplication::translate("ts::StreamCollector",
                                                   "The server sent an event longer than %1 MB without ending it; the request was stopped.")
                           .arg(kMaxPendingBytes / (1024 * 1024));
    } else if (m_stop == Stop::LongReply) {
        record.error = QCoreApplication::translate("ts::StreamCollector",
                                                   "The reply grew past %1 million characters or %2 million chunks; the request was stopped.")
                           .arg(kMaxReplyChars / (1024 * 1024))
                           .arg(kMaxReplyChunks / (1024 * 1024));
    } else if (m_stop == Stop::InvalidUtf8) {
        record.error = QCoreApplication::translate("ts::StreamCollector",
                                                   "The server sent invalid UTF-8 at byte %1 of the stream; the request was stopped.")
                           .arg(m_invalidUtf8At);
    } else if (!networkError.isEmpty()) {
        record.error = networkError;
    } else if (m_firstNs == 0 && m_framing == Framing::WholeBody) {
        // A reply that does not stream succeeds by its one body, which the backend judges; none
        // came (the backend reports a body without a result as an error of its own).
        record.error = QCoreApplication::translate("ts::StreamCollector",
                                                   "The server answered with an empty body.");
    } else if (m_firstNs == 0) {
        record.error = QCoreApplication::translate("ts::StreamCollector",
                                                   "The server answered but generated no text.");
    }
    record.success = record.error.isEmpty();
    // A success ends with its last content (vLLM's E2EL); a failure when it ended, whatever ended
    // it, so that a stalled stream counts as in flight until its timeout.
    const std::int64_t endNs = record.success ? m_lastNs : (m_endNs ? m_endNs : m_sentNs);
    record.latency = nsToSeconds(endNs - m_sentNs);
}

} // namespace ts
