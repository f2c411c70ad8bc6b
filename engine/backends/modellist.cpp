#include "backends/modellist.h"

#include "backends/backendregistry.h"
#include "sse/errortext.h"
#include "transport/tlsconfig.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <nlohmann/json.hpp>
#include <qcoro/qcoronetworkreply.h>

namespace ts {

namespace {
struct DeleteLater
{
    void operator()(QObject *object) const { object->deleteLater(); }
};
} // namespace

QCoro::Task<ModelListResult> fetchModels(QNetworkAccessManager &manager, TargetConfig target,
                                         std::chrono::milliseconds timeout)
{
    // An unknown name asks as the first API does: most servers answer its model list.
    const BackendInfo *found = findBackend(target.backend);
    const BackendInfo &backend = found ? *found : backends().front();
    target.endpoint = backend.modelListPath;
    QNetworkRequest request(target.url());
    if (const auto [name, value] = authHeader(backend, target.apiKey); !name.isEmpty())
        request.setRawHeader(name, value);
    for (const auto &[name, value] : backend.fixedHeaders)
        request.setRawHeader(name, value);
    for (const auto &[name, value] : target.headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(int(timeout.count()));
    // The same TLS settings as the run's requests (--insecure, --ca-cert).
    if (const std::optional<QSslConfiguration> ssl = sslConfigurationFor(target); ssl && target.url().scheme() == QLatin1String("https"))
        request.setSslConfiguration(*ssl);

    std::unique_ptr<QNetworkReply, DeleteLater> reply(manager.get(request));
    co_await reply.get();

    ModelListResult result;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (status == 0) {
        result.error = QCoreApplication::translate("ts::ModelList", "Could not reach %1: %2")
                           .arg(request.url().toString(), reply->errorString());
        co_return result;
    }
    if (status != 200) {
        result.error = errorTextFromBody(status, body, reply->header(QNetworkRequest::ContentTypeHeader).toByteArray());
        co_return result;
    }
    const auto json = nlohmann::json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    // OpenAI's list ({"data": [{"id": ...}]}) or TGI's /info ({"model_id": ...}).
    if (json.is_object() && json.contains("data") && json["data"].is_array()) {
        for (const auto &model : json["data"]) {
            if (model.is_object() && model.contains("id") && model["id"].is_string())
                result.models.append(QString::fromStdString(model["id"].get<std::string>()));
        }
    } else if (json.is_object() && json.contains("model_id") && json["model_id"].is_string()) {
        result.models.append(QString::fromStdString(json["model_id"].get<std::string>()));
    }
    if (result.models.isEmpty())
        result.error = QCoreApplication::translate("ts::ModelList", "%1 lists no models.").arg(request.url().toString());
    co_return result;
}

} // namespace ts
