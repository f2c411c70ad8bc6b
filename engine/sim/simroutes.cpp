#include "sim/simroutes.h"

#include "backends/backendregistry.h"

#include <algorithm>
#include <utility>

namespace ts::sim {

ApiKind apiKindOf(const BackendInfo &backend)
{
    // One line per wire format the simulator writes.
    static const std::pair<const char *, ApiKind> kinds[] = {
        { "openai", ApiKind::Completions },
        { "openai-chat", ApiKind::Chat },
        { "tgi", ApiKind::Tgi },
        { "openai-responses", ApiKind::Responses },
        { "anthropic", ApiKind::Anthropic },
    };
    for (const auto &[name, kind] : kinds) {
        if (backend.name == QLatin1String(name))
            return kind;
    }
    return ApiKind::Unsupported;
}

namespace {

std::vector<Route> makeRoutes()
{
    std::vector<Route> table;
    auto add = [&table](Route route) {
        const bool known = std::any_of(table.cbegin(), table.cend(),
                                       [&](const Route &r) { return r.path == route.path; });
        if (!known && !route.path.isEmpty())
            table.push_back(std::move(route));
    };
    for (const BackendInfo &backend : backends()) {
        const ApiKind kind = apiKindOf(backend);
        if (kind == ApiKind::Unsupported)
            continue;
        add({ backend.defaultEndpoint.toUtf8(), "POST", Route::Serve::Generation, kind, backend.streams });
        add({ backend.modelListPath.toUtf8(), "GET", Route::Serve::ModelList, kind, false });
    }
    // TGI's non-streaming sibling of /generate_stream, which no backend sends to but clients use.
    add({ QByteArrayLiteral("/generate"), "POST", Route::Serve::Generation, ApiKind::Tgi, false });
    add({ QByteArrayLiteral("/health"), "GET", Route::Serve::Health, ApiKind::Completions, false });
    add({ QByteArrayLiteral("/metrics"), "GET", Route::Serve::Metrics, ApiKind::Completions, false });
    return table;
}

} // namespace

const std::vector<Route> &routes()
{
    static const std::vector<Route> table = makeRoutes();
    return table;
}

const Route *findRoute(const QByteArray &path)
{
    for (const Route &route : routes()) {
        if (route.path == path)
            return &route;
    }
    return nullptr;
}

} // namespace ts::sim
