#pragma once

#include "sweep/sweepconfig.h"
#include "sweep/sweeplevel.h"
#include "sweep/sweepverdict.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace ts {

// A sweep as it ended (or as far as it got).
struct SweepResult
{
    SweepConfig config;
    QDateTime date;                          // when the sweep started
    std::vector<SweepLevelResult> levels;    // in level order; a level the user stopped is partial
    SweepVerdict verdict;
    QString verdictText;                     // sweepVerdictText(), in the language at the end
    bool stopped = false;                    // the user stopped it
    QString error;                           // translated; set when the sweep could not start
    QString summaryFile;                     // written files (empty when not written)
    QString csvFile;
    QStringList fileErrors;                  // translated, one per file that could not be written
};

// File name of a level's result: defaultResultFileName() without a prefix, else
// "{prefix}-c{N}.json" (concurrency) / "{prefix}-r{RATE}.json" (rate).
QString sweepLevelFileName(const SweepConfig &config, const RunResult &run, double level);
// "{prefix}-summary" or "sweep-{concurrency|rate}-{label or backend}-{model}-{YYYYmmdd-HHMMSS}",
// without the extension.
QString sweepSummaryBaseName(const SweepConfig &config, const QDateTime &date);

// The summary JSON. Top: tokenstorm_version, sweep_mode, date, the setup keys of a run
// (backend, label, model_id, ...), levels_planned, the stop rules, then max_stable_concurrency
// (rate mode: max_stable_request_rate), peak_output_throughput, peak_at_concurrency (rate mode:
// peak_at_request_rate), stop_reason, stopped_at (the level that broke the rule; null when
// none), knee, gain_per_doubling_*_percent, saturation, limits, verdict (text).
// "levels": per level "concurrency" or "request_rate", the scalar keys of a run's result JSON
// (toResultJson without per-request arrays), and success_rate, mean_in_flight,
// mean_generating, throughput_gain_percent, gain_per_doubling_percent, broken_rules,
// partial, result_file and, when scraped, server_metrics {kind, samples, max_running, ...}.
nlohmann::ordered_json sweepSummaryJson(const SweepResult &result);

// One row per level: level, num_prompts, completed, failed, success_rate, duration,
// request_throughput, output_throughput, total_token_throughput, then mean/median/p99 of
// ttft, tpot, itl, e2el (ms), max_concurrent_requests, mean_in_flight, mean_generating,
// throughput_gain_percent, gain_per_doubling_percent, server_max_running,
// server_median_waiting, server_max_kv_cache_usage, broken_rules (";"-joined), partial,
// result_file. The first column is "concurrency" or "request_rate".
QByteArray sweepCsv(const SweepResult &result);

// Writes the summary JSON and CSV next to each other (atomically); sets the paths in result.
bool writeSweepSummary(SweepResult &result, const QString &dir, QString *error = nullptr);

// Whether an object is a sweep summary (it has "sweep_mode" and a "levels" array).
bool isSweepSummaryJson(const nlohmann::ordered_json &json);
// A summary JSON read back: the config as far as the file records it (mode, planned levels,
// requests per level, stop rules, the setup keys of the run), each level with its metrics and
// numbers (without per-request records), and the verdict computed again over those levels,
// its text in the current language. summaryFile is path. On failure nullopt and *error
// (translated, naming the file).
std::optional<SweepResult> sweepResultFromJson(const nlohmann::ordered_json &json, const QString &path,
                                               QString *error = nullptr);
// Reads a sweep summary file. *isSweep (when given) tells whether the file is one at all, so a
// caller can fall back to reading it as a single run's result (then *error is not set).
std::optional<SweepResult> readSweepSummary(const QString &path, QString *error = nullptr, bool *isSweep = nullptr);

} // namespace ts
