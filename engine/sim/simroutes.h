#pragma once

#include "sim/simreply.h"

#include <QByteArray>

#include <vector>

namespace ts {
struct BackendInfo;
}

namespace ts::sim {

// What the simulated server does with a request to one path.
struct Route
{
    enum class Serve : std::uint8_t { Generation, ModelList, Health, Metrics, Tokenize, Detokenize };

    QByteArray path;
    const char *method = "GET";
    Serve serve = Serve::Health;
    ApiKind kind = ApiKind::Completions;   // Generation and ModelList: the wire format
    bool stream = false;                   // TGI: the path alone says whether the reply streams
};

// The wire format the simulator answers a backend of the registry with.
ApiKind apiKindOf(const BackendInfo &backend);

// The paths the simulated server answers: each registered backend's endpoint and model list,
// TGI's non-streaming /generate, /health, /metrics and vLLM's /tokenize and /detokenize. The
// first route for a path wins. "{model}" in a path (Triton's /v2/models/{model}/...) matches any
// one path segment.
const std::vector<Route> &routes();
const Route *findRoute(const QByteArray &path);

} // namespace ts::sim
