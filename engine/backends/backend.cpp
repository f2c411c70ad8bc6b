#include "backends/backend.h"

#include "backends/backendregistry.h"
#include "sse/errortext.h"
#include "sse/sseparser.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

namespace ts {

std::unique_ptr<Backend> Backend::create(const QString &name)
{
    const BackendInfo *info = findBackend(name);
    return info ? info->create() : nullptr;
}

void Backend::addSampling(nlohmann::json &into, const SamplingConfig &sampling)
{
    into["temperature"] = sampling.temperature.value_or(0.0);
    if (sampling.topP)
        into["top_p"] = *sampling.topP;
    if (sampling.topK)
        into["top_k"] = *sampling.topK;
    if (sampling.minP)
        into["min_p"] = *sampling.minP;
}

bool Backend::wantsExactOutputLength(const BenchmarkConfig &config)
{
    return config.sampling.ignoreEos || config.datasetName == QLatin1String("random")
        || isTraceDataset(config.datasetName);
}

bool Backend::parseMessage(const SseEvent &event, StreamState &state, nlohmann::json &message, EventKind &kind)
{
    if (SseParser::isDone(event)) {
        state.done = true;
        kind = EventKind::Done;
        return false;
    }
    message = nlohmann::json::parse(event.data.constBegin(), event.data.constEnd(), nullptr, false);
    const bool isObject = !message.is_discarded() && message.is_object();
    if (event.event == "error") {
        const std::optional<QString> text = isObject ? streamErrorMessage(nlohmann::json { { "error", message } })
                                                     : std::nullopt;
        state.error = text ? *text : QString::fromUtf8(event.data.left(300));
        kind = EventKind::Error;
        return false;
    }
    if (!isObject) {
        state.error = QCoreApplication::translate("ts::Backend", "The server sent a stream message that is not JSON: %1")
                          .arg(QString::fromUtf8(event.data.left(200)));
        kind = EventKind::Error;
        return false;
    }
    if (std::optional<QString> error = streamErrorMessage(message)) {
        state.error = *error;
        kind = EventKind::Error;
        return false;
    }
    return true;
}

} // namespace ts
