#pragma once

#include "views/distributiondata.h"
#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"

#include <nlohmann/json.hpp>

#include <QString>

#include <optional>

namespace ts {

// One result as the results view shows it: from a finished run or from a file (ours or
// vLLM's). Building one sorts every latency, so it is made off the GUI thread.
struct ResultDocument
{
    RunResult run;
    BenchmarkMetrics metrics;
    MetricsConfig metricsConfig;        // which statistics the summary shows
    QString filePath;                   // set when opened from a file
    std::optional<nlohmann::ordered_json> fileJson;   // the file's object, written back as is
    bool hasRecords = false;            // per-request data available (tables, distributions)
    Distribution ttftMs, tpotMs, itlMs, e2elMs;
    // Reasoning models: empty (count 0) when no request told reasoning apart from its answer.
    Distribution ttfrtMs, ttfatMs;

    bool fromFile() const { return !filePath.isEmpty(); }
    // The result JSON: the file as read, or the run in the CLI's detailed format.
    nlohmann::ordered_json toJson() const;
};

ResultDocument documentFromRun(const RunResult &run);
// nullopt with *error (translated) when the file is not a readable result.
std::optional<ResultDocument> documentFromFile(const QString &path, QString *error);

} // namespace ts
