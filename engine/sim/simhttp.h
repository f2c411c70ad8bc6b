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
// the buffer) and HTTP/1.0 keep-alive rules.
class HttpRequestParser
{
public:
    enum class Status { NeedMore, Complete, Error };

    static constexpr int kMaxHeaderBytes = 64 * 1024;
    static constexpr qsizetype kMaxBodyBytes = 64 * 1024 * 1024;

    // Consumes one request from the front of `buffer` into `out` when it is complete.
    Status parse(QByteArray &buffer, HttpRequest &out);

    // True once per request whose head asked for "Expect: 100-continue" while its body has not
    // arrived: the caller then sends "100 Continue" (curl waits a second for it otherwise).
    bool takeExpectContinue();

    int errorStatus() const { return m_errorStatus; }
    const QByteArray &errorMessage() const { return m_errorMessage; }

private:
    Status fail(int status, const char *message);
    bool parseHead(const QByteArray &head);
    Status parseChunkedBody(QByteArray &buffer, HttpRequest &out);

    bool m_haveHead = false;
    qsizetype m_headEnd = 0;        // bytes of the head, CRLFCRLF included
    bool m_chunked = false;
    bool m_expectContinue = false;
    qsizetype m_contentLength = 0;
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
