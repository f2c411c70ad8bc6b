#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <type_traits>
#include <utility>

namespace ts {

// One dispatched Server-Sent Event.
struct SseEvent
{
    QByteArray event;   // the "event:" field; empty when the stream gave none (a browser's "message")
    QByteArray data;    // the "data:" lines joined with '\n'
    QByteArray id;      // the last "id:" seen so far; like EventSource, it carries over to later events
};

// Incremental Server-Sent-Events parser following the WHATWG EventSource rules: lines end in LF,
// CRLF or CR; ':' starts a comment; one space after the field's colon is dropped; a blank line
// dispatches the event when it has data; unknown fields are ignored.
//
// One deviation: llama.cpp servers of 2024-2025 report a failure inside a stream as a non-standard
// "error: {...}" line. A browser would drop it silently; here it becomes an event whose `event` is
// "error" and whose data is the line's value, so the failure reaches the backend.
//
// It runs once per network read of every concurrent stream, so the work of feed() is linear in
// the bytes passed: complete lines are read straight from the caller's buffer, and only an
// incomplete trailing line is copied and kept. Buffers are reused from event to event; an event
// allocates only when the sink keeps a copy of it.
//
// The sink is any callable taking `const SseEvent &`. The reference is valid only during the
// call (copy what you keep). The sink must not call back into the same parser.
class SseParser
{
public:
    template<typename Sink>
    void feed(QByteArrayView bytes, Sink &&onEvent)
    {
        feedImpl(bytes, EventSink::wrap(onEvent));
    }

    // End of the stream: a last line without its line ending is read, and an event that lacked
    // the final blank line is dispatched (servers that end with "data: [DONE]\n"). The parser is
    // then ready for a new stream.
    template<typename Sink>
    void finish(Sink &&onEvent)
    {
        finishImpl(EventSink::wrap(onEvent));
    }

    void reset();

    // Bytes held for the event being read: the incomplete trailing line and the data collected so
    // far. A caller may cap it to guard against a server that never ends a line or an event.
    qsizetype pendingBytes() const;
    // The incomplete trailing line alone: what a server that never ends a line makes grow.
    qsizetype partialLineBytes() const { return m_partialLine.size(); }
    // Drops the incomplete trailing line, e.g. when the transfer broke off in the middle of it
    // and finish() must not read the fragment as a line.
    void discardPartialLine();

    static bool isDone(const SseEvent &event) { return event.data == QByteArrayView("[DONE]"); }

private:
    // A non-owning callable reference, so the parsing core lives in the .cpp file and no
    // std::function is built per feed.
    struct EventSink
    {
        void *context;
        void (*call)(void *context, const SseEvent &event);

        template<typename F>
        static EventSink wrap(F &f)
        {
            using Fn = std::remove_reference_t<F>;
            return {const_cast<void *>(static_cast<const void *>(&f)),
                    [](void *context, const SseEvent &event) { (*static_cast<Fn *>(context))(event); }};
        }
        void operator()(const SseEvent &event) const { call(context, event); }
    };

    void feedImpl(QByteArrayView bytes, EventSink sink);
    void finishImpl(EventSink sink);
    void processLine(QByteArrayView line, EventSink sink);
    void dispatch(EventSink sink);

    SseEvent m_current;         // fields of the event being read; its data keeps the '\n' of each line
    QByteArray m_partialLine;   // an incomplete line waiting for more bytes
    bool m_skipLeadingLf = false;   // the previous feed ended in CR: an LF opening the next one ends the same line
    int m_bomBytesSeen = 0;     // bytes of a UTF-8 byte order mark matched at the stream's start
    bool m_atStreamStart = true;
};

} // namespace ts
