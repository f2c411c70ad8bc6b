#pragma once

#include "core/benchmarkconfig.h"
#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"
#include "report/reportcontent.h"

#include <QString>

#include <vector>

namespace ts::report {

// Pieces the run, sweep and comparison reports share (context "ts::Report").
QString number(double value, int decimals = 2);
QString dateText(const QDateTime &date);

// Base URL, endpoint, backend, model, tokenizer, label: never the API key or header values.
// Without a live config (a result read from a file) the address is not known.
ReportSection targetSection(const BenchmarkConfig &config, bool fromFile);
// Dataset, lengths, sampling, requests, rate, burstiness, concurrency, warm-ups, seed.
ReportSection workloadSection(const BenchmarkConfig &config, bool fromFile);
// Count, failed, then min/mean/p50/p90/p99/max of TTFT, TPOT, ITL, E2EL and the token counts,
// over the successful requests' records.
// backend: the run's API; rows of metrics its runs lack (runHasMetric()) are left out.
ReportTable requestStatisticsTable(const std::vector<RequestRecord> &records, const QString &backend = QString());
// The client's CPU time and threads, with the busy warning when it applies.
ReportSection clientOverheadSection(const RunResult &run, const BenchmarkMetrics &metrics, bool fromFile);
// The machine that wrote the report: client version, OS, CPU model, cores.
ReportSection environmentSection();

} // namespace ts::report
