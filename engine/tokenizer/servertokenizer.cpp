#include "tokenizer/servertokenizer.h"

#include "sse/errortext.h"
#include "transport/tlsconfig.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <qcoro/qcoronetworkreply.h>

#include <memory>

namespace ts {

namespace {
struct DeleteLater
{
    void operator()(QObject *object) const { object->deleteLater(); }
};
} // namespace

ServerTokenizer::ServerTokenizer(QNetworkAccessManager &network, TargetConfig target, std::chrono::milliseconds timeout)
    : m_network(network)
    , m_target(std::move(target))
    , m_timeout(timeout)
{
    if (const BackendInfo *row = findBackend(m_target.backend))
        m_backend = *row;
}

ServerTokenizer::ServerTokenizer(QNetworkAccessManager &network, TargetConfig target, BackendInfo backend,
                                 std::chrono::milliseconds timeout)
    : m_network(network)
    , m_target(std::move(target))
    , m_backend(std::move(backend))
    , m_timeout(timeout)
{
}

bool ServerTokenizer::hasEndpoint() const
{
    return m_backend && m_backend->tokenizeApi != BackendInfo::TokenizeApi::None && !m_backend->tokenizePath.isEmpty();
}

QString ServerTokenizer::endpointPath() const
{
    return hasEndpoint() ? m_backend->tokenizePath : QString();
}

TokenizeShape ServerTokenizer::promptShape() const
{
    return m_backend && m_backend->sendsChatMessages() ? TokenizeShape::Chat : TokenizeShape::Completion;
}

bool ServerTokenizer::countsPromptsExactly() const
{
    return hasEndpoint() && (promptShape() != TokenizeShape::Chat || countsChatTemplate(m_backend->tokenizeApi));
}

QCoro::Task<ServerTokenCount> ServerTokenizer::count(QString text, TokenizeShape shape)
{
    ServerTokenCount result;
    if (!hasEndpoint()) {
        result.error = QCoreApplication::translate("ts::ServerTokenizer", "The server's API has no tokenize endpoint.");
        co_return result;
    }
    TargetConfig target = m_target;
    target.endpoint = m_backend->tokenizePath;
    QNetworkRequest request(target.url());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (const auto [name, value] = authHeader(*m_backend, target.apiKey); !name.isEmpty())
        request.setRawHeader(name, value);
    if (m_backend->tokenizeApi == BackendInfo::TokenizeApi::AnthropicCount)
        request.setRawHeader(QByteArrayLiteral("anthropic-version"), QByteArrayLiteral("2023-06-01"));
    for (const auto &[name, value] : target.headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(int(m_timeout.count()));
    if (const std::optional<QSslConfiguration> ssl = sslConfigurationFor(target); ssl && target.url().scheme() == QLatin1String("https"))
        request.setSslConfiguration(*ssl);

    const QByteArray body = tokenizeRequestBody(m_backend->tokenizeApi, target.model, text, shape);
    std::unique_ptr<QNetworkReply, DeleteLater> reply(m_network.post(request, body));
    co_await reply.get();

    result.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray answer = reply->readAll();
    if (result.httpStatus == 0) {
        result.error = QCoreApplication::translate("ts::ServerTokenizer", "Could not reach %1: %2")
                           .arg(request.url().toString(), reply->errorString());
        co_return result;
    }
    if (result.httpStatus != 200) {
        result.error = errorTextFromBody(result.httpStatus, answer, reply->header(QNetworkRequest::ContentTypeHeader).toByteArray());
        co_return result;
    }
    result.tokens = tokenCountOfReply(m_backend->tokenizeApi, answer);
    if (!result.tokens)
        result.error = QCoreApplication::translate("ts::ServerTokenizer", "%1 answered with no token count.").arg(request.url().toString());
    co_return result;
}

} // namespace ts
