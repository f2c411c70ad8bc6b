#pragma once

#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"

#include <nlohmann/json.hpp>

namespace ts {

// The result file of a run in vLLM's format (keys, order and value types as vLLM's serving
// benchmark writes them), plus a few keys of our own that vLLM's readers ignore:
//   tokenstorm_version    version of Tokenstorm that wrote the file
//   requested             requests the run meant to send
//   stopped               true when the user stopped the run early
//   output_tokens_source  "server" | "chunks" | "tokenizer" | "mixed" (null: no success)
//   output_tokens_estimated  true when some successful count came from counting chunks
//   goodput               the SLOs used for request_goodput, {"ttft": ms, ...}; absent without
//   mean_queue_ms, median_queue_ms, std_queue_ms, p{P}_queue_ms
//                         client queue time statistics, when "queue" is a selected metric
//   start_times           per-request send times (seconds since the run began), detailed only
//   http_statuses, output_tokens_sources, input_tokens_sources
//                         per-request, detailed only
//   chunk_text_ends, chunk_tokens
//                         per request and streamed chunk: where its text ends in
//                         generated_texts[i] (code points) and its tokens (0: unknown), detailed only
//   mean_ttfrt_ms, median_ttfrt_ms, std_ttfrt_ms, p{P}_ttfrt_ms, the same for ttfat,
//   reasoning_requests, total_reasoning_tokens
//                         reasoning models: time to first reasoning / answer token and
//                         reasoning token counts, only when some request reasoned
//   ttfrts, ttfats, reasoning_tokens
//                         per-request (null where none), detailed only, only with reasoning
// The API key is never written. Ordered json keeps vLLM's key order in the file; it converts
// implicitly to nlohmann::json where a sorted object is wanted.
// Per-request arrays are in workload order (RequestRecord::index), as vLLM keeps them.
nlohmann::ordered_json toResultJson(const RunResult &run, const BenchmarkMetrics &metrics,
                                    bool detailed);

// One request in the per-request form of a detailed result: {"index": workload position, then
// for each per-request array ("input_lens", "ttfts", "itls", ... as toResultJson writes them,
// "conversation_indices" and "turn_indices" for multi-turn records only) this request's
// element}. Collecting the elements of many requests, in index order, gives the arrays back.
nlohmann::ordered_json requestJson(const RequestRecord &record);

// Name of a TokenCountSource in result files: "dataset", "server", "chunks", "tokenizer".
QString tokenCountSourceName(TokenCountSource source);
std::optional<TokenCountSource> tokenCountSourceFromName(QStringView name);

} // namespace ts
