#pragma once

#include <QByteArray>
#include <QStringBuilder>
#include <QList>
#include <QPair>

namespace ts::sim {

struct HttpRequest
{
    QByteArray method;
    QByteArray path;               // without the query
    QByteArray query;
    int minorVersion = 1;          // HTTP/1.x
    QList<QPair<QByteArray, QByteArray>> headers;   // names lower-cased, values trimmed
    QByteArray body;
    bool keepAlive = true;

    QByteArray header(const char *lowerName) const;
};

// An incremental HTTP/1.x request parser over a connection's input buffer. Supports
// Content-Length and chunked request bodies, pipelining (leaves the next request's bytes in
// the buffer) and HTTP/1.0 keep-alive rules. The head and each complete chunk are consumed
// from the buffer as soon as they are parsed, so a request never sits in memory twice.
class HttpRequestParser
{
public:
    enum class Status { NeedMore, Complete, Error };

    static constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
    static constexpr qsizetype kDefaultMaxBodyBytes = 16 * 1024 * 1024;

    // A body announced above the limit is refused (413) before any of it is read.
    void setMaxBodyBytes(qsizetype bytes) { m_maxBodyBytes = bytes; }
    qsizetype maxBodyBytes() const { return m_maxBodyBytes; }

    // Consumes one request from the front of `buffer` into `out` when it is complete.
    // Between two calls the caller may only append to `buffer`.
    Status parse(QByteArray &buffer, HttpRequest &out);

    // True from the end of a request's head until its body is complete.
    bool readingBody() const { return m_haveHead; }

    // True once per request whose head asked for "Expect: 100-continue" while its body has not
    // arrived: the caller then sends "100 Continue" (curl waits a second for it otherwise).
    bool takeExpectContinue();

    int errorStatus() const { return m_errorStatus; }
    const QByteArray &errorMessage() const { return m_errorMessage; }

private:
    Status fail(int status, const char *message);
    bool parseHead(const QByteArray &head);
    Status parseChunkedBody(QByteArray &buffer);
    Status complete(HttpRequest &out);

    qsizetype m_maxBodyBytes = kDefaultMaxBodyBytes;
    bool m_haveHead = false;
    bool m_chunked = false;
    bool m_inTrailers = false;      // chunked: after the last chunk
    bool m_expectContinue = false;
    qsizetype m_contentLength = 0;
    qsizetype m_trailerBytes = 0;
    HttpRequest m_current;
    int m_errorStatus = 0;
    QByteArray m_errorMessage;
};

const char *httpReason(int status);

// A whole response with Content-Length.
QByteArray httpResponse(int status, const QByteArray &contentType, const QByteArray &body,
                        bool keepAlive, const QByteArray &extraHeaders = {});

// An OpenAI/vLLM style error object: {"error":{"message":..,"type":..,"param":..,"code":..}}.
QByteArray jsonError(int status, const QByteArray &message, const char *type, const char *param = nullptr);

} // namespace ts::sim
