#pragma once

#include "load/benchmarkrunner.h"
#include "metrics/benchmarkmetrics.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace ts {

// The setup part of a result file.
struct ResultSetup
{
    QString date;                       // as written, "YYYYmmdd-HHMMSS"
    QDateTime dateTime;                 // parsed (local time); invalid if unparsable
    QString endpointType;               // newer vLLM; empty when absent
    QString backend;
    QString label;
    QString modelId;
    QString tokenizerId;
    QString tokenizerSource;            // ours: "local", "server" or "estimate"; empty when absent
    QString tokenizerEndpoint;          // ours: with "server", the tokenize endpoint's path
    int numPrompts = 0;
    std::optional<double> requestRate;  // nullopt: "inf"
    double burstiness = 1.0;
    std::optional<int> maxConcurrency;  // nullopt: null / absent
    QString datasetName;                // a replayed trace ("mooncake"); empty otherwise
    std::optional<double> traceTimeScale;   // a replayed trace: its time scale
    QList<QPair<QString, QString>> metadata;   // top-level keys the reader does not know
};

// A result file as read back: ours or vLLM's.
struct ResultFile
{
    QString path;
    ResultSetup setup;
    BenchmarkMetrics metrics;           // the headline numbers as the file has them
    // Keys of newer vLLM versions that older files lack.
    bool hasFailed = false;
    bool hasMaxOutputTokensPerS = false;
    bool hasMaxConcurrentRequests = false;
    // Which statistics exist: metrics among ttft,tpot,itl,e2el,queue with a mean_{m}_ms key,
    // and the percentiles P with a p{P}_{m}_ms key for at least one of them (ascending).
    QStringList percentileMetrics;
    std::vector<double> percentiles;
    // Goodput SLOs if the file records them (our files only).
    MetricsConfig metricsConfig;
    // Per-request records rebuilt from the arrays (input_lens, output_lens, ttfts, itls,
    // latencies, start_times, errors, generated_texts); empty when the file has none.
    // Without start_times (vLLM files) every startTime is 0, so numbers that depend on when
    // requests ran (peaks, time series) cannot be recomputed from the records; neither can
    // goodput from vLLM files, which do not record their SLOs.
    std::vector<RequestRecord> records;
    bool hasRequestRecords = false;
    bool hasStartTimes = false;
    // Our own keys; empty / default for vLLM files.
    QString tokenstormVersion;
    int requested = 0;
    double clientCpuSeconds = 0.0;
    bool stopped = false;
    QString outputTokensSource;
    nlohmann::ordered_json json;        // the whole object as read

    // A RunResult carrying what the file knows, e.g. to feed formatSummary().
    RunResult toRunResult() const;
};

// Reads one result file. A file written with --append-result (one JSON object per line)
// gives its last object. On failure returns nullopt and sets *error to a translated sentence
// naming the file.
std::optional<ResultFile> readResultFile(const QString &path, QString *error = nullptr);
// Every object of a file, in file order (one for a plain result file).
std::optional<std::vector<ResultFile>> readResultFiles(const QString &path, QString *error = nullptr);
// Interprets an already parsed object; nullopt (and *error) when it is not a result.
std::optional<ResultFile> resultFromJson(const nlohmann::ordered_json &json, const QString &path,
                                         QString *error = nullptr);

// Writes json compactly (UTF-8, non-ASCII kept as is) through saveFile() (core/savefile.h), so
// a failed write never leaves a half file; a missing folder is created. *error gets a
// translated sentence naming the file and its folder.
bool writeJsonFile(const QString &path, const nlohmann::ordered_json &json, QString *error = nullptr);
bool writeJsonFile(const QString &path, const nlohmann::json &json, QString *error = nullptr);

// vLLM's --append-result: when the file exists and is not empty, a newline and then the object
// are added after its content (JSON Lines); otherwise the object alone is written. The whole
// file is rewritten atomically.
bool appendResult(const QString &path, const nlohmann::ordered_json &json, QString *error = nullptr);

// "{label}-{rate}qps[-concurrency{N}]-{model basename}-{YYYYmmdd-HHMMSS}.json", as vLLM names
// it: label defaults to the backend, rate is "inf" or Python's str of the float ("4.0").
QString defaultResultFileName(const RunResult &run);

} // namespace ts
