#include "transport/streamcollector.h"

#include "core/clock.h"
#include "sse/errortext.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>

#include <algorithm>

namespace ts {

namespace {
constexpr qsizetype kMaxErrorBody = 64 * 1024;
}

StreamCollector::StreamCollector(const Backend &backend, std::int64_t sentNs)
    : m_backend(backend), m_sentNs(sentNs)
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
    int chunks = 0;
    m_parser.feed(bytes, [&](const SseEvent &event) { chunks += handle(event, arrivalNs); });
    return chunks;
}

int StreamCollector::finish(std::int64_t endNs)
{
    m_endNs = endNs;
    int chunks = 0;
    if (m_httpStatus == 200)
        m_parser.finish([&](const SseEvent &event) { chunks += handle(event, endNs); });
    return chunks;
}

int StreamCollector::handle(const SseEvent &event, std::int64_t arrivalNs)
{
    if (!m_state.error.isEmpty())
        return 0;
    const int before = m_state.contentChunks;
    switch (m_backend.handleEvent(event, m_state)) {
    case EventKind::FirstContent:
        m_firstNs = m_lastNs = arrivalNs;
        addChunk();
        break;
    case EventKind::LaterChoice:
        if (m_firstNs != 0) {
            m_itl.push_back(nsToSeconds(arrivalNs - m_lastNs));
            m_lastNs = arrivalNs;
            addChunk();
        }
        break;
    case EventKind::Other:
    case EventKind::Error:
    case EventKind::Done:
        break;
    }
    return m_state.contentChunks - before;
}

void StreamCollector::addChunk()
{
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
        record.latency = nsToSeconds(m_lastNs - m_sentNs);
        record.itl = m_itl;
        record.chunkTextEnds = m_chunkTextEnds;
        record.chunkTokens = m_chunkTokens;
    } else {
        record.latency = nsToSeconds((m_endNs ? m_endNs : m_sentNs) - m_sentNs);
    }

    if (m_httpStatus != 200 && m_httpStatus != 0) {
        record.error = errorTextFromBody(m_httpStatus, m_errorBody, contentType);
    } else if (!m_state.error.isEmpty()) {
        record.error = m_state.error;
    } else if (!networkError.isEmpty()) {
        record.error = networkError;
    } else if (m_firstNs == 0) {
        record.error = QCoreApplication::translate("ts::StreamCollector",
                                                   "The server answered but generated no text.");
    }
    record.success = record.error.isEmpty();
}

} // namespace ts
