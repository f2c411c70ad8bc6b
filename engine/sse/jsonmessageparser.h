#pragma once

#include "sse/sseparser.h"

#include <QByteArray>
#include <QByteArrayView>

namespace ts {

// Reads replies that are not Server-Sent Events and hands each JSON message on as an SseEvent
// (data only), so a backend reads every framing through the same handleEvent():
// - Lines: newline-delimited JSON (Ollama), one message per non-blank line;
// - Whole: one JSON document, the whole body (non-streamed APIs), delivered at the end.
class JsonMessageParser
{
public:
    enum class Mode { Lines, Whole };

    explicit JsonMessageParser(Mode mode = Mode::Lines) : m_mode(mode) { }

    template<typename Sink>
    void feed(QByteArrayView bytes, Sink &&onMessage)
    {
        if (m_mode == Mode::Whole) {
            m_pending.append(bytes);
            return;
        }
        qsizetype start = 0;
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            if (bytes[i] != '\n')
                continue;
            if (m_pending.isEmpty()) {
                deliver(bytes.sliced(start, i - start), onMessage);
            } else {
                m_pending.append(bytes.sliced(start, i - start));
                deliver(m_pending, onMessage);
                m_pending.clear();
            }
            start = i + 1;
        }
        m_pending.append(bytes.sliced(start));
    }

    // End of the body: the last line without its newline, or the whole document, is read.
    template<typename Sink>
    void finish(Sink &&onMessage)
    {
        deliver(m_pending, onMessage);
        reset();
    }

    void reset() { m_pending = QByteArray(); }
    // Bytes held for a message not yet complete.
    qsizetype pendingBytes() const { return m_pending.size(); }
    // A body cut off in the middle: what was held is not a message.
    void discardPartialLine() { m_pending.clear(); }

private:
    template<typename Sink>
    void deliver(QByteArrayView text, Sink &onMessage)
    {
        const QByteArrayView trimmed = text.trimmed();
        if (trimmed.isEmpty())
            return;
        m_event.data = trimmed.toByteArray();
        onMessage(m_event);
    }

    Mode m_mode;
    QByteArray m_pending;
    SseEvent m_event;
};

} // namespace ts
