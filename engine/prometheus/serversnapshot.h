#pragma once

#include "prometheus/prometheustext.h"

#include <QString>

#include <optional>

namespace ts {

// Which server's metric names a /metrics page uses.
enum class ServerKind : quint8 {
    Unknown,
    Vllm,        // vllm:num_requests_running, ...
    SGLang,      // sglang:num_running_reqs, ...
    Tgi,         // tgi_queue_size, tgi_batch_current_size, ...
    LlamaCpp,    // llamacpp:requests_processing, ... (llama-server started with --metrics)
    BuiltIn,     // Tokenstorm's simulated server: vLLM's names plus tokenstorm_sim_*
};

QString serverKindName(ServerKind kind);          // stable key: "vllm", "sglang", "tgi", "llamacpp", "builtin", "unknown"
QString serverKindDisplayName(ServerKind kind);   // for people: "vLLM", ..., translated "built-in server"

// What the server says about itself at one moment, in one vocabulary for every server.
// A field is empty when the server does not publish it.
struct ServerSnapshot
{
    ServerKind kind = ServerKind::Unknown;
    std::optional<double> running;                // requests being processed (in the batch)
    std::optional<double> waiting;                // requests queued inside the server
    std::optional<double> kvCacheUsage;           // 0..1; with several engines, the fullest one
    std::optional<double> promptTokensTotal;      // counter: prompt tokens processed so far
    std::optional<double> generationTokensTotal;  // counter: tokens generated so far

    bool hasAny() const
    {
        return running || waiting || kvCacheUsage || promptTokensTotal || generationTokensTotal;
    }
};

// Looks at the metric names: vLLM (and the built-in server, which also has tokenstorm_sim_*),
// SGLang, TGI or llama.cpp.
ServerKind detectServerKind(const PrometheusScrape &scrape);

// Maps a scrape onto a snapshot. Counts and token counters are summed over all series (engines,
// data-parallel ranks, models); cache usage takes the highest.
//   vLLM:      vllm:num_requests_running, vllm:num_requests_waiting,
//              vllm:kv_cache_usage_perc (or the older vllm:gpu_cache_usage_perc; both 0..1),
//              vllm:prompt_tokens_total, vllm:generation_tokens_total
//   SGLang:    sglang:num_running_reqs, sglang:num_queue_reqs, sglang:token_usage,
//              sglang:prompt_tokens_total, sglang:generation_tokens_total
//   TGI:       tgi_batch_current_size, tgi_queue_size, no cache usage,
//              tgi_request_input_length_sum, tgi_request_generated_tokens_sum (histogram sums:
//              they grow when a request is admitted / finished, so their rates are coarse)
//   llama.cpp: llamacpp:requests_processing, llamacpp:requests_deferred,
//              llamacpp:kv_cache_usage_ratio (older builds only),
//              llamacpp:prompt_tokens_total, llamacpp:tokens_predicted_total
ServerSnapshot serverSnapshot(const PrometheusScrape &scrape);

} // namespace ts
