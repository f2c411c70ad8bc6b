#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace ts::test {

struct HttpRequestBytes
{
    QByteArray head;   // request line and headers, with the blank line
    QByteArray body;
};

// Takes one complete HTTP/1.1 request (head, and a body of Content-Length bytes) off the front
// of buffer; nothing, leaving buffer as it is, while the request is incomplete.
inline std::optional<HttpRequestBytes> takeRequest(QByteArray &buffer)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return std::nullopt;
    qsizetype length = 0;
    for (const QByteArray &line : buffer.left(headEnd).split('\n')) {
        if (line.trimmed().toLower().startsWith("content-length:"))
            length = line.mid(line.indexOf(':') + 1).trimmed().toLongLong();
    }
    if (buffer.size() < headEnd + 4 + length)
        return std::nullopt;
    HttpRequestBytes request { buffer.left(headEnd + 4), buffer.mid(headEnd + 4, length) };
    buffer.remove(0, headEnd + 4 + length);
    return request;
}

} // namespace ts::test
