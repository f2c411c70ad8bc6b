#include "prometheus/serversnapshot.h"

#include <QCoreApplication>

namespace ts {

namespace {

enum class Aggregate : quint8 { Sum, Max };

struct Source
{
    const char *name;        // sample name
    Aggregate aggregate;
};

// Where each snapshot field comes from on one kind of server; later names are fallbacks.
struct Mapping
{
    ServerKind kind;
    const char *marker;      // a sample name that identifies the server
    Source running[1];
    Source waiting[1];
    Source kvCache[2];
    Source promptTokens[1];
    Source generationTokens[1];
};

constexpr Source None { nullptr, Aggregate::Sum };

constexpr Mapping kMappings[] = {
    { ServerKind::Vllm, "vllm:num_requests_running",
      { { "vllm:num_requests_running", Aggregate::Sum } },
      { { "vllm:num_requests_waiting", Aggregate::Sum } },
      { { "vllm:kv_cache_usage_perc", Aggregate::Max }, { "vllm:gpu_cache_usage_perc", Aggregate::Max } },
      { { "vllm:prompt_tokens_total", Aggregate::Sum } },
      { { "vllm:generation_tokens_total", Aggregate::Sum } } },
    { ServerKind::SGLang, "sglang:num_running_reqs",
      { { "sglang:num_running_reqs", Aggregate::Sum } },
      { { "sglang:num_queue_reqs", Aggregate::Sum } },
      { { "sglang:token_usage", Aggregate::Max }, None },
      { { "sglang:prompt_tokens_total", Aggregate::Sum } },
      { { "sglang:generation_tokens_total", Aggregate::Sum } } },
    { ServerKind::Tgi, "tgi_queue_size",
      { { "tgi_batch_current_size", Aggregate::Sum } },
      { { "tgi_queue_size", Aggregate::Sum } },
      { None, None },
      { { "tgi_request_input_length_sum", Aggregate::Sum } },
      { { "tgi_request_generated_tokens_sum", Aggregate::Sum } } },
    { ServerKind::LlamaCpp, "llamacpp:requests_processing",
      { { "llamacpp:requests_processing", Aggregate::Sum } },
      { { "llamacpp:requests_deferred", Aggregate::Sum } },
      { { "llamacpp:kv_cache_usage_ratio", Aggregate::Max }, None },
      { { "llamacpp:prompt_tokens_total", Aggregate::Sum } },
      { { "llamacpp:tokens_predicted_total", Aggregate::Sum } } },
};

template<std::size_t N>
std::optional<double> read(const PrometheusScrape &scrape, const Source (&sources)[N])
{
    for (const Source &s : sources) {
        if (!s.name)
            continue;
        const QString name = QString::fromLatin1(s.name);
        const std::optional<double> v = s.aggregate == Aggregate::Sum ? scrape.sum(name) : scrape.max(name);
        if (v)
            return v;
    }
    return std::nullopt;
}

const Mapping *mappingFor(const PrometheusScrape &scrape)
{
    for (const Mapping &m : kMappings) {
        if (scrape.has(QString::fromLatin1(m.marker)))
            return &m;
    }
    // A server may publish only part of its set (e.g. an older version): any name will do.
    for (const Mapping &m : kMappings) {
        for (const Source *list : { m.running, m.waiting, m.promptTokens, m.generationTokens }) {
            if (list[0].name && scrape.has(QString::fromLatin1(list[0].name)))
                return &m;
        }
    }
    return nullptr;
}

} // namespace

QString serverKindName(ServerKind kind)
{
    switch (kind) {
    case ServerKind::Vllm:
        return QStringLiteral("vllm");
    case ServerKind::SGLang:
        return QStringLiteral("sglang");
    case ServerKind::Tgi:
        return QStringLiteral("tgi");
    case ServerKind::LlamaCpp:
        return QStringLiteral("llamacpp");
    case ServerKind::BuiltIn:
        return QStringLiteral("builtin");
    case ServerKind::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString serverKindDisplayName(ServerKind kind)
{
    switch (kind) {
    case ServerKind::Vllm:
        return QStringLiteral("vLLM");
    case ServerKind::SGLang:
        return QStringLiteral("SGLang");
    case ServerKind::Tgi:
        return QStringLiteral("TGI");
    case ServerKind::LlamaCpp:
        return QStringLiteral("llama.cpp");
    case ServerKind::BuiltIn:
        return QCoreApplication::translate("ts::ServerSnapshot", "built-in server");
    case ServerKind::Unknown:
        break;
    }
    return QCoreApplication::translate("ts::ServerSnapshot", "unknown server");
}

ServerKind detectServerKind(const PrometheusScrape &scrape)
{
    const Mapping *m = mappingFor(scrape);
    if (!m)
        return ServerKind::Unknown;
    if (m->kind == ServerKind::Vllm) {
        for (const PrometheusFamily &f : scrape.families) {
            if (f.name.startsWith(QLatin1String("tokenstorm_sim_")))
                return ServerKind::BuiltIn;
        }
    }
    return m->kind;
}

ServerSnapshot serverSnapshot(const PrometheusScrape &scrape)
{
    ServerSnapshot s;
    const Mapping *m = mappingFor(scrape);
    if (!m)
        return s;
    s.kind = detectServerKind(scrape);
    s.running = read(scrape, m->running);
    s.waiting = read(scrape, m->waiting);
    s.kvCacheUsage = read(scrape, m->kvCache);
    s.promptTokensTotal = read(scrape, m->promptTokens);
    s.generationTokensTotal = read(scrape, m->generationTokens);
    return s;
}

} // namespace ts
