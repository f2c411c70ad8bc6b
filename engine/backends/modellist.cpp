#include "backends/modellist.h"

#include "backends/backendregistry.h"
#include "backends/jsonfields.h"
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
    // A list of objects, each naming one model, under listKey.
    auto readList = [&](const char *listKey, const char *nameKey) {
        for (const auto &model : json[listKey]) {
            const QString name = model.is_object() ? jsonString(model, nameKey) : QString();
            // Triton's statistics list each version of a model.
            if (!name.isEmpty() && !result.models.contains(name))
                result.models.append(name);
        }
    };
    // OpenAI's list ({"data": [{"id": ...}]}), TGI's /info ({"model_id": ...}), Ollama's
    // /api/tags ({"models": [{"name": ...}]}), SGLang's /get_model_info ({"model_path": ...}),
    // Triton's /v2/models/stats ({"model_stats": [{"name": ...}]}).
    if (json.is_object() && json.contains("data") && json["data"].is_array()) {
        readList("data", "id");
    } else if (json.is_object() && json.contains("models") && json["models"].is_array()) {
        readList("models", "name");
    } else if (json.is_object() && json.contains("model_stats") && json["model_stats"].is_array()) {
        readList("model_stats", "name");
    } else if (json.is_object()) {
        for (const char *key : { "model_id", "model_path" }) {
            if (const QString name = jsonString(json, key); !name.isEmpty()) {
                result.models.append(name);
                break;
            }
        }
    }
    if (result.models.isEmpty())
        result.error = QCoreApplication::translate("ts::ModelList", "%1 lists no models.").arg(request.url().toString());
    co_return result;
}

} // namespace ts
