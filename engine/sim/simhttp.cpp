#include "sim/simhttp.h"

#include "sim/simtokenizer.h"

#include <cstring>

namespace ts::sim {

QByteArray HttpRequest::header(const char *lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

HttpRequestParser::Status HttpRequestParser::fail(int status, const char *message)
{
    m_errorStatus = status;
    m_errorMessage = QByteArray(message);
    return Status::Error;
}

bool HttpRequestParser::parseHead(const QByteArray &head)
{
    m_current = HttpRequest {};
    const QList<QByteArray> lines = head.split('\n');
    if (lines.isEmpty())
        return false;
    const QByteArray requestLine = lines.first().trimmed();
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || parts[0].isEmpty() || !parts[1].startsWith('/'))
        return false;
    const QByteArray &version = parts[2];
    if (version == "HTTP/1.1")
        m_current.minorVersion = 1;
    else if (version == "HTTP/1.0")
        m_current.minorVersion = 0;
    else
        return false;
    m_current.method = parts[0];
    const qsizetype q = parts[1].indexOf('?');
    m_current.path = q < 0 ? parts[1] : parts[1].left(q);
    m_current.query = q < 0 ? QByteArray() : parts[1].mid(q + 1);

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        m_current.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }

    const QByteArray connection = m_current.header("connection").toLower();
    if (m_current.minorVersion == 0)
        m_current.keepAlive = connection.contains("keep-alive");
    else
        m_current.keepAlive = !connection.contains("close");

    m_expectContinue = m_current.minorVersion == 1
        && m_current.header("expect").toLower() == "100-continue";
    m_chunked = m_current.header("transfer-encoding").toLower().contains("chunked");
    m_contentLength = 0;
    const QByteArray length = m_current.header("content-length");
    if (!m_chunked && !length.isEmpty()) {
        bool ok = false;
        m_contentLength = length.toLongLong(&ok);
        if (!ok || m_contentLength < 0)
            return false;
    }
    return true;
}

HttpRequestParser::Status HttpRequestParser::parse(QByteArray &buffer, HttpRequest &out)
{
    if (!m_haveHead) {
        // Stray line breaks between pipelined requests are allowed (RFC 9112, 2.2).
        qsizetype skip = 0;
        while (skip < buffer.size() && (buffer[skip] == '\r' || buffer[skip] == '\n'))
            ++skip;
        if (skip > 0)
            buffer.remove(0, skip);
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (buffer.size() > kMaxHeaderBytes)
                return fail(431, "Request header fields too large.");
            return Status::NeedMore;
        }
        if (end > kMaxHeaderBytes)
            return fail(431, "Request header fields too large.");
        if (!parseHead(buffer.left(end)))
            return fail(400, "Malformed HTTP request.");
        if (m_contentLength > m_maxBodyBytes)
            return fail(413, "Request body too large.");
        buffer.remove(0, end + 4);
        m_haveHead = true;
        m_inTrailers = false;
        m_trailerBytes = 0;
    }

    if (m_chunked) {
        const Status status = parseChunkedBody(buffer);
        return status == Status::Complete ? complete(out) : status;
    }

    if (buffer.size() < m_contentLength)
        return Status::NeedMore;
    if (buffer.size() == m_contentLength) {
        m_current.body = std::move(buffer);
        buffer = QByteArray();
    } else {
        m_current.body = buffer.left(m_contentLength);
        buffer.remove(0, m_contentLength);
    }
    return complete(out);
}

HttpRequestParser::Status HttpRequestParser::complete(HttpRequest &out)
{
    out = std::move(m_current);
    m_current = HttpRequest {};
    m_haveHead = false;
    return Status::Complete;
}

HttpRequestParser::Status HttpRequestParser::parseChunkedBody(QByteArray &buffer)
{
    // Each complete chunk moves from the buffer to the body, so a body sent in many small
    // reads is walked once.
    while (!m_inTrailers) {
        const qsizetype lineEnd = buffer.indexOf("\r\n");
        if (lineEnd < 0)
            return buffer.size() > 1024 ? fail(400, "Malformed chunked body.") : Status::NeedMore;
        QByteArray sizeText = buffer.left(lineEnd);
        const qsizetype semi = sizeText.indexOf(';');
        if (semi >= 0)
            sizeText.truncate(semi);
        bool ok = false;
        const qlonglong size = sizeText.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            return fail(400, "Malformed chunked body.");
        if (size > m_maxBodyBytes - m_current.body.size())
            return fail(413, "Request body too large.");
        if (size == 0) {
            buffer.remove(0, lineEnd + 2);
            m_inTrailers = true;
            break;
        }
        const qsizetype dataStart = lineEnd + 2;
        if (buffer.size() < dataStart + size + 2)
            return Status::NeedMore;
        if (buffer.mid(dataStart + size, 2) != "\r\n")
            return fail(400, "Malformed chunked body.");
        m_current.body.append(buffer.constData() + dataStart, size);
        buffer.remove(0, dataStart + size + 2);
    }
    // Trailers (ignored) end with an empty line; they count as header bytes.
    for (;;) {
        const qsizetype trailerEnd = buffer.indexOf("\r\n");
        if (trailerEnd < 0) {
            if (m_trailerBytes + buffer.size() > kMaxHeaderBytes)
                return fail(431, "Request header fields too large.");
            return Status::NeedMore;
        }
        m_trailerBytes += trailerEnd + 2;
        if (m_trailerBytes > kMaxHeaderBytes)
            return fail(431, "Request header fields too large.");
        buffer.remove(0, trailerEnd + 2);
        if (trailerEnd == 0)
            return Status::Complete;
    }
}

bool HttpRequestParser::takeExpectContinue()
{
    const bool expect = m_haveHead && m_expectContinue;
    m_expectContinue = false;
    return expect;
}

const char *httpReason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

QByteArray httpResponse(int status, const QByteArray &contentType, const QByteArray &body,
                        bool keepAlive, const QByteArray &extraHeaders)
{
    QByteArray r;
    r.reserve(160 + body.size() + extraHeaders.size());
    r += "HTTP/1.1 ";
    r += QByteArray::number(status);
    r += ' ';
    r += httpReason(status);
    r += "\r\nserver: tokenstorm-sim\r\n";
    if (!contentType.isEmpty()) {
        r += "content-type: ";
        r += contentType;
        r += "\r\n";
    }
    r += "content-length: ";
    r += QByteArray::number(body.size());
    r += keepAlive ? "\r\n" : "\r\nconnection: close\r\n";
    r += extraHeaders;
    r += "\r\n";
    r += body;
    return r;
}

QByteArray jsonError(int status, const QByteArray &message, const char *type, const char *param)
{
    QByteArray j = "{\"error\":{\"message\":\"";
    appendJsonEscaped(j, message);
    j += "\",\"type\":\"";
    j += type;
    j += "\",\"param\":";
    if (param) {
        j += '"';
        j += param;
        j += '"';
    } else {
        j += "null";
    }
    j += ",\"code\":";
    j += QByteArray::number(status);
    j += "}}";
    return j;
}

} // namespace ts::sim
