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
    , m_ssl(sslConfigurationFor(m_target))
    , m_timeout(timeout)
{
    if (const BackendInfo *row = findBackend(m_target.backend))
        m_backend = *row;
}

ServerTokenizer::ServerTokenizer(QNetworkAccessManager &network, TargetConfig target, BackendInfo backend,
                                 std::chrono::milliseconds timeout)
    : m_network(network)
    , m_target(std::move(target))
    , m_ssl(sslConfigurationFor(m_target))
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

QCoro::Task<ServerTokenizer::Answer> ServerTokenizer::post(QString path, QByteArray body) const
{
    TargetConfig target = m_target;
    target.endpoint = path;
    QNetworkRequest request(target.url());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (const auto [name, value] = authHeader(*m_backend, target.apiKey); !name.isEmpty())
        request.setRawHeader(name, value);
    for (const auto &[name, value] : m_backend->fixedHeaders)
        request.setRawHeader(name, value);
    for (const auto &[name, value] : target.headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(int(m_timeout.count()));
    if (m_ssl && target.url().scheme() == QLatin1String("https"))
        request.setSslConfiguration(*m_ssl);

    std::unique_ptr<QNetworkReply, DeleteLater> reply(m_network.post(request, body));
    co_await reply.get();

    Answer answer;
    answer.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    if (answer.httpStatus == 0) {
        answer.error = QCoreApplication::translate("ts::ServerTokenizer", "Could not reach %1: %2")
                           .arg(request.url().toString(), reply->errorString());
    } else if (answer.httpStatus != 200) {
        answer.error = errorTextFromBody(answer.httpStatus, answer.body,
                                         reply->header(QNetworkRequest::ContentTypeHeader).toByteArray());
    }
    co_return answer;
}

QCoro::Task<ServerTokenCount> ServerTokenizer::count(QString text, TokenizeShape shape)
{
    ServerTokenCount result;
    if (!hasEndpoint()) {
        result.error = QCoreApplication::translate("ts::ServerTokenizer", "The server's API has no tokenize endpoint.");
        co_return result;
    }
    using Api = BackendInfo::TokenizeApi;
    const Api api = m_backend->tokenizeApi;
    Answer answer = co_await post(m_backend->tokenizePath, tokenizeRequestBody(api, m_target.model, text, shape));
    result.httpStatus = answer.httpStatus;
    if (!answer.error.isEmpty()) {
        result.error = answer.error;
        co_return result;
    }
    result.tokens = tokenCountOfReply(api, answer.body);

    if (shape == TokenizeShape::Chat && api == Api::Vllm && result.tokens.value_or(0) == 0) {
        // llama.cpp behind a vLLM-shaped row: count its templated prompt instead.
        const Answer templated = co_await post(kLlamaCppApplyTemplatePath, applyTemplateRequestBody(text));
        if (const std::optional<QString> prompt = templated.error.isEmpty() ? templatedPromptOfReply(templated.body)
                                                                               : std::nullopt) {
            answer = co_await post(m_backend->tokenizePath,
                                   tokenizeRequestBody(Api::LlamaCpp, m_target.model, *prompt, TokenizeShape::Completion));
            if (answer.error.isEmpty())
                result.tokens = tokenCountOfReply(Api::LlamaCpp, answer.body);
        }
    }
    if (!result.tokens) {
        TargetConfig target = m_target;
        target.endpoint = m_backend->tokenizePath;
        result.error = QCoreApplication::translate("ts::ServerTokenizer", "%1 answered with no token count.")
                           .arg(target.url().toString());
    }
    co_return result;
}

} // namespace ts
