#pragma once

#include "core/requestrecord.h"
#include "views/glossary.h"

#include <QString>

#include <vector>

namespace ts {

// Whether a run against this API (a backend name or alias) has the metric: the one rule every
// view and report follows. An API that answers with embeddings (producesEmbeddings()) sends one
// vector per request and generates no tokens, so its TTFT is its whole latency and TPOT, ITL and
// the output-token metrics are zeros: such a run has E2EL, request and input (total token)
// throughput and the counts, as vLLM's pooling benchmark reports them.
bool runHasMetric(const QString &backend, MetricId metric);

// The requests behind one number of the summary, so a view can highlight them. Returns indices
// into records, ascending. The values are taken from the same requests as computeMetrics()
// takes them (successful ones; for TPOT only those with more than one output token) and
// percentiles come from statistics.h, so the cut is exactly the summary's number.
//
// TTFT, TPOT, E2EL, client queue time, TTFRT, TTFAT (only requests that reasoned):
//   Percentile P  the requests whose value is at or above the P-th percentile: the slowest
//                 (100 − P) %.
//   Median        the requests whose value is one of the one or two values the median lies
//                 between (ties included).
//   Mean, Std, None   every request that contributes a value.
// ITL (the gaps of all requests pooled):
//   Percentile P  the requests with at least one gap at or above the P-th percentile gap.
//   Median        the requests with a gap equal to one the median lies between.
//   Mean, Std, None   every request with at least one gap.
// Failed requests: the failed ones. Success rate, throughputs, goodput, tokens, duration:
// every successful request (goodput's SLOs are not known here). Peak concurrent requests: those
// in flight at the first moment the peak is reached. Peak output token throughput: the
// requests with a chunk in the fullest 1-second bucket. Maximum concurrency and request rate
// (settings): every request. Reasoning tokens: the successful requests that reasoned.
// percentile is used only with Statistic::Percentile.
std::vector<int> requestsBehind(const std::vector<RequestRecord> &records, MetricId metric, Statistic statistic,
                                double percentile);

} // namespace ts
