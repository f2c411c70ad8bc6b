#pragma once

#include "compare/comparison.h"
#include "report/reportcontent.h"
#include "sweep/sweepfiles.h"
#include "views/resultdocument.h"

#include <vector>

namespace ts::report {

// The charts of a report, as data (context "ts::Report").

// Histogram of one metric's per-request values with its CDF on the right axis (percent).
ChartSpec distributionChart(const QString &title, const QString &xLabel, const Distribution &distribution);
// TTFT of every successful request against when it was sent; failed requests on the x axis.
ChartSpec ttftOverRunChart(const std::vector<RequestRecord> &records);
// Output throughput (left axis) and p99 TTFT / TPOT (right axis) against the level, the knee marked.
ChartSpec sweepThroughputChart(const SweepResult &sweep);
ChartSpec sweepLatencyChart(const SweepResult &sweep);
// One group per headline metric, one bar per file.
ChartSpec comparisonLatencyChart(const Comparison &comparison);
ChartSpec comparisonThroughputChart(const Comparison &comparison);

} // namespace ts::report
