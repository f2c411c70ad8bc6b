#pragma once

#include "core/benchmarkconfig.h"

#include <QStringList>

#include <qcoro/qcorotask.h>

class QNetworkAccessManager;

namespace ts {

struct ModelListResult
{
    QStringList models;
    QString error;          // translated; empty on success
};

// Asks the server which models it serves, at the model list path of the target's backend
// (/v1/models for OpenAI-compatible servers, /info for TGI, /api/tags for Ollama, ...). Uses the target's base URL, API key and extra headers.
QCoro::Task<ModelListResult> fetchModels(QNetworkAccessManager &manager, TargetConfig target,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

} // namespace ts
