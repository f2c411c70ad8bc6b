#pragma once

#include <QNetworkProxyFactory>

namespace ts {

// Makes a network manager read its plain-http replies through buffered sockets.
//
// Qt 6.4 opens a plain-http connection without a proxy as an unbuffered QTcpSocket, and its
// HTTP reader then asks that socket for a reply's header block, and for each chunk-size line
// of a streamed body, one byte at a time: a system call per byte, about 17 per streamed token
// (perf stat, docs/performance.md). With any other proxy on the connection Qt takes its
// buffered path instead: one read per arrival of data, the rest parsed in memory.
//
// This factory keeps every proxy the application configured. Where the answer is "no proxy",
// it answers with a proxy of type DefaultProxy: a direct connection too (the socket asks the
// application's proxy settings again, which say "none"), but not the NoProxy that Qt 6.4
// reserves its unbuffered path for. The request line stays in origin form, and the connection
// goes to the server itself.
class BufferedSocketProxy final : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override;
};

} // namespace ts
