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

// Asks the server which models it serves: GET /v1/models (OpenAI-compatible servers), or
// GET /info for TGI. Uses the target's base URL, API key and extra headers.
QCoro::Task<ModelListResult> fetchModels(QNetworkAccessManager &manager, TargetConfig target,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

} // namespace ts
