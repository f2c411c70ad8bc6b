#pragma once

#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <vector>

namespace ts {

// CSV exports (RFC 4180: comma separated, CRLF line ends, fields with a comma, quote or line
// break quoted with doubled quotes). UTF-8 without a byte order mark.

// One row per request, in workload order. Columns:
// index,success,error,http_status,start_time_s,queue_time_ms,ttft_ms,tpot_ms,itl_mean_ms,
// e2el_ms,input_tokens,output_tokens,output_tokens_source,input_tokens_source,content_chunks
// tpot_ms is empty for requests with <= 1 output token, itl_mean_ms when there is no gap,
// the latency columns when the request failed. A multi-turn run adds conversation,turn; a run
// where any request reasoned adds ttfrt_ms,ttfat_ms,reasoning_tokens (empty when unknown).
QByteArray requestsCsv(const std::vector<RequestRecord> &records);

// "metric,value" rows: the scalar keys of the result JSON (toResultJson without per-request
// arrays), in the same order and with the same names.
QByteArray summaryCsv(const RunResult &run, const BenchmarkMetrics &metrics);

bool writeRequestsCsv(const QString &path, const std::vector<RequestRecord> &records,
                      QString *error = nullptr);
bool writeSummaryCsv(const QString &path, const RunResult &run, const BenchmarkMetrics &metrics,
                     QString *error = nullptr);

// One field, quoted when needed.
QString csvField(QStringView text);

} // namespace ts
