#pragma once

#include "backends/backendregistry.h"
#include "core/benchmarkconfig.h"
#include "tokenizer/tokenizeformat.h"

#include <QSslConfiguration>
#include <QString>

#include <qcoro/qcorotask.h>

#include <chrono>
#include <optional>

class QNetworkAccessManager;

namespace ts {

struct ServerTokenCount
{
    std::optional<int> tokens;
    QString error;      // translated; set when tokens is not
    int httpStatus = 0; // 0: the server was not reached
};

// The target server's own tokenizer, through the tokenize endpoint of its backend's row
// (BackendInfo::tokenizeApi and tokenizePath): counts exactly what the server will count. Uses
// the target's base URL, API key, extra headers and TLS settings, as the model list does.
// Lives in, and is used from, the thread of the network manager.
class ServerTokenizer
{
public:
    ServerTokenizer(QNetworkAccessManager &network, TargetConfig target,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // With a row of its own, e.g. an API whose row another build adds.
    ServerTokenizer(QNetworkAccessManager &network, TargetConfig target, BackendInfo backend,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

    // Whether the backend's row names an endpoint at all.
    bool hasEndpoint() const;
    // The endpoint's path, as recorded in results (tokenizer_endpoint).
    QString endpointPath() const;
    // How a prompt of this backend is counted: chat-shaped backends with their template.
    TokenizeShape promptShape() const;
    // Whether counts in promptShape() equal the server's prompt_tokens: false for a chat backend
    // whose tokenize endpoint knows no chat template.
    bool countsPromptsExactly() const;

    QCoro::Task<ServerTokenCount> count(QString text, TokenizeShape shape);

private:
    struct Answer
    {
        int httpStatus = 0;
        QByteArray body;
        QString error;      // translated; set for an unreachable server or a status other than 200
    };
    QCoro::Task<Answer> post(QString path, QByteArray body) const;

    QNetworkAccessManager &m_network;
    TargetConfig m_target;
    // Made once: it reads the CA certificate files, which costs more than a count.
    std::optional<QSslConfiguration> m_ssl;
    std::optional<BackendInfo> m_backend;   // none: an unknown backend
    std::chrono::milliseconds m_timeout;
};

} // namespace ts
