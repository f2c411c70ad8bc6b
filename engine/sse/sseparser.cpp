#include "sse/sseparser.h"

#include <cstring>

namespace ts {

namespace {

constexpr char kByteOrderMark[] = "\xEF\xBB\xBF";
constexpr int kByteOrderMarkSize = 3;

// Buffers grown past this by one huge line or event are given back on reset(), so a parser
// reused for many requests does not keep its largest allocation forever.
constexpr qsizetype kKeptCapacity = 64 * 1024;

// Empties a buffer but keeps its allocation for the next event, unless a sink still shares it
// (then detaching would allocate for nothing).
void clearKeepingCapacity(QByteArray &buffer)
{
    if (buffer.isDetached())
        buffer.resize(0);
    else
        buffer = QByteArray();
}

void releaseIfLarge(QByteArray &buffer)
{
    if (buffer.capacity() > kKeptCapacity)
        buffer = QByteArray();
    else
        clearKeepingCapacity(buffer);
}

} // namespace

void SseParser::feedImpl(QByteArrayView bytes, EventSink sink)
{
    const char *const p = bytes.data();
    const qsizetype n = bytes.size();
    qsizetype pos = 0;

    if (m_atStreamStart) {
        // EventSource drops a UTF-8 byte order mark at the start of the stream; it may arrive split.
        while (pos < n && m_bomBytesSeen < kByteOrderMarkSize && p[pos] == kByteOrderMark[m_bomBytesSeen]) {
            ++pos;
            ++m_bomBytesSeen;
        }
        if (m_bomBytesSeen == kByteOrderMarkSize) {
            m_atStreamStart = false;
        } else if (pos == n) {
            return;  // everything so far could still be a mark
        } else {
            m_partialLine.append(kByteOrderMark, m_bomBytesSeen);  // it was content after all
            m_atStreamStart = false;
        }
    }

    if (m_skipLeadingLf && pos < n) {
        if (p[pos] == '\n')
            ++pos;
        m_skipLeadingLf = false;
    }

    // Positions of the next LF and the next CR at or after `pos` (n when there is none). Each is
    // searched again only once `pos` has passed it, so a feed is scanned once whatever its line
    // endings.
    qsizetype nextLf = -1;
    qsizetype nextCr = -1;
    auto nextOf = [p, n](char c, qsizetype from) -> qsizetype {
        const void *hit = std::memchr(p + from, c, size_t(n - from));
        return hit ? static_cast<const char *>(hit) - p : n;
    };

    while (pos < n) {
        if (nextLf < pos)
            nextLf = nextOf('\n', pos);
        if (nextCr < pos)
            nextCr = nextOf('\r', pos);
        const qsizetype eol = nextLf < nextCr ? nextLf : nextCr;
        if (eol == n) {
            m_partialLine.append(p + pos, n - pos);
            break;
        }
        if (m_partialLine.isEmpty()) {
            processLine(QByteArrayView(p + pos, eol - pos), sink);
        } else {
            m_partialLine.append(p + pos, eol - pos);
            processLine(m_partialLine, sink);
            m_partialLine.resize(0);
        }
        pos = eol + 1;
        if (p[eol] == '\r') {
            if (pos < n) {
                if (p[pos] == '\n')
                    ++pos;
            } else {
                m_skipLeadingLf = true;
            }
        }
    }
}

void SseParser::finishImpl(EventSink sink)
{
    if (m_atStreamStart && m_bomBytesSeen > 0)
        m_partialLine.append(kByteOrderMark, m_bomBytesSeen);
    if (!m_partialLine.isEmpty())
        processLine(m_partialLine, sink);
    dispatch(sink);
    reset();
}

void SseParser::processLine(QByteArrayView line, EventSink sink)
{
    if (line.isEmpty()) {
        dispatch(sink);
        return;
    }
    if (line.front() == ':')
        return;  // comment, e.g. a keep-alive ": ping"

    QByteArrayView field = line;
    QByteArrayView value;
    if (const qsizetype colon = line.indexOf(':'); colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }

    if (field == QByteArrayView("data")) {
        m_current.data.append(value).append('\n');
    } else if (field == QByteArrayView("event")) {
        clearKeepingCapacity(m_current.event);
        m_current.event.append(value);
    } else if (field == QByteArrayView("id")) {
        if (!value.contains('\0')) {
            clearKeepingCapacity(m_current.id);
            m_current.id.append(value);
        }
    } else if (field == QByteArrayView("error")) {
        clearKeepingCapacity(m_current.event);
        m_current.event.append("error");
        m_current.data.append(value).append('\n');
    }
}

void SseParser::dispatch(EventSink sink)
{
    if (m_current.data.isEmpty()) {
        clearKeepingCapacity(m_current.event);  // an event without data is dropped, its type with it
        return;
    }
    m_current.data.chop(1);
    sink(m_current);
    clearKeepingCapacity(m_current.data);
    clearKeepingCapacity(m_current.event);
}

void SseParser::reset()
{
    releaseIfLarge(m_current.data);
    releaseIfLarge(m_current.event);
    releaseIfLarge(m_current.id);
    releaseIfLarge(m_partialLine);
    m_skipLeadingLf = false;
    m_bomBytesSeen = 0;
    m_atStreamStart = true;
}

void SseParser::discardPartialLine()
{
    releaseIfLarge(m_partialLine);
    if (m_atStreamStart)
        m_bomBytesSeen = 0;
}

qsizetype SseParser::pendingBytes() const
{
    return m_partialLine.size() + m_current.data.size() + (m_atStreamStart ? m_bomBytesSeen : 0);
}

} // namespace ts
