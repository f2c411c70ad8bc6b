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
        { "llama.cpp", ApiKind::LlamaCpp },
        { "ollama", ApiKind::Ollama },
        { "ollama-chat", ApiKind::OllamaChat },
        { "sglang", ApiKind::Sglang },
        { "tensorrt-llm", ApiKind::Triton },
        { "openai-embeddings", ApiKind::Embeddings },
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
        // Only TGI's path says whether its reply streams; the others' bodies do.
        add({ backend.defaultEndpoint.toUtf8(), "POST", Route::Serve::Generation, kind,
              kind == ApiKind::Tgi && backend.streams });
        add({ backend.modelListPath.toUtf8(), "GET", Route::Serve::ModelList, kind, false });
    }
    // TGI's non-streaming sibling of /generate_stream, which no backend sends to but clients use.
    // SGLang's /generate comes first and hands TGI's bodies on (parseGenerationRequest).
    add({ QByteArrayLiteral("/generate"), "POST", Route::Serve::Generation, ApiKind::Tgi, false });
    add({ QByteArrayLiteral("/health"), "GET", Route::Serve::Health, ApiKind::Completions, false });
    add({ QByteArrayLiteral("/metrics"), "GET", Route::Serve::Metrics, ApiKind::Completions, false });
    // vLLM's shape, so clients without a tokenizer.json can make prompts of exact lengths.
    add({ QByteArrayLiteral("/tokenize"), "POST", Route::Serve::Tokenize, ApiKind::Completions, false });
    add({ QByteArrayLiteral("/detokenize"), "POST", Route::Serve::Detokenize, ApiKind::Completions, false });
    return table;
}

} // namespace

const std::vector<Route> &routes()
{
    static const std::vector<Route> table = makeRoutes();
    return table;
}

namespace {

// Whether path matches a route's path in which "{model}" stands for one path segment.
bool matchesWithModel(const QByteArray &routePath, const QByteArray &path)
{
    static const QByteArray placeholder = QByteArrayLiteral("{model}");
    const qsizetype at = routePath.indexOf(placeholder);
    if (at < 0)
        return false;
    const QByteArrayView before = QByteArrayView(routePath).first(at);
    const QByteArrayView after = QByteArrayView(routePath).sliced(at + placeholder.size());
    if (path.size() <= before.size() + after.size() || !path.startsWith(before) || !path.endsWith(after))
        return false;
    const QByteArrayView model = QByteArrayView(path).sliced(before.size(), path.size() - before.size() - after.size());
    return !model.contains('/');
}

} // namespace

const Route *findRoute(const QByteArray &path)
{
    for (const Route &route : routes()) {
        if (route.path == path || matchesWithModel(route.path, path))
            return &route;
    }
    return nullptr;
}

} // namespace ts::sim
