#pragma once

#include "core/benchmarkconfig.h"
#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"

#include <QString>

namespace ts {

// The console summary in vLLM's layout ("{:<40} {:<10}" rows, 50-column section titles),
// English like vLLM's so that scripts grepping vLLM's output work on ours. Sections for the
// selected metrics of cfg.percentileMetrics (ttft, tpot, itl, e2el, and our "queue"), with
// Mean, Median and each of cfg.percentiles. Lines of our own, which may be translated, follow
// the "Total token throughput" line: a note when output token counts are estimates and when
// the run was stopped. An embeddings run gets vLLM's pooling layout: no generated tokens, no
// output or peak rows, an input throughput row. Every line ends with '\n'.
QString formatSummary(const RunResult &run, const BenchmarkMetrics &metrics, const MetricsConfig &cfg);

// Whether the statistics of a metric ("ttft", ..., "queue") appear in the summary and the
// result file: those of cfg.percentileMetrics; for an embeddings run (producesEmbeddings())
// E2EL always, the queue time when selected, and no streaming metric, as vLLM's pooling runs.
bool reportsMetric(const QString &metric, const MetricsConfig &cfg, bool embeddings);

// One row: label left-aligned in 40 columns, a space, value left-aligned in 10.
QString summaryRow(const QString &label, const QString &value);
// A title centred in 50 columns with fill, as Python's "{:{c}^50}".
QString summaryTitle(const QString &title, QChar fill);

} // namespace ts
