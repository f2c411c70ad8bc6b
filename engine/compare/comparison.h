#pragma once

#include "results/resultfile.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace ts {

// Which way a metric should move to be better; views may colour differences with it.
enum class Better : quint8 { Neutral, Higher, Lower };

// One row of a comparison: a setup key or a headline metric, with a value per file.
struct ComparisonRow
{
    QString key;                                  // the result-file key, e.g. "p99_ttft_ms"
    QString label;                                // for people, translated
    QStringList texts;                            // per file, as shown; empty when the file lacks it
    std::vector<std::optional<double>> values;    // per file, metrics only
    // Per file: (value - first) / first * 100; nullopt for the first file, a missing value
    // or a first value of 0.
    std::vector<std::optional<double>> diffPercent;
    Better better = Better::Neutral;
    bool differs = false;                         // the files do not all agree on this row
};

// Two or more result files side by side: the setups and the headline metrics, each later
// file against the first. Holds the files themselves too, so a view can overlay their
// per-request distributions (ResultFile::records, when the files have them).
struct Comparison
{
    std::vector<ResultFile> files;
    QStringList names;                            // file names without folders
    std::vector<ComparisonRow> setupRows;         // date, backend, endpoint_type, label, model_id,
                                                  // tokenizer_id, num_prompts, request_rate,
                                                  // burstiness, max_concurrency, metadata keys
    std::vector<ComparisonRow> metricRows;        // counts, durations, throughputs, then mean,
                                                  // median, std and each percentile of ttft,
                                                  // tpot, itl, e2el, queue (as far as any file has them)
};

// Builds the comparison; rows no file has are left out.
Comparison compareResults(std::vector<ResultFile> files);
// Reads the files (ours or vLLM's, via readResultFile) and compares them. Needs two or more;
// otherwise, or when a file cannot be read, returns nullopt and sets *error (translated).
std::optional<Comparison> compareResultFiles(const QStringList &paths, QString *error = nullptr);

// CSV: section,key,label, one value column per file (named by file), then one
// "{name} vs {first name} (%)" column per later file. Setup rows first, then metric rows.
QByteArray comparisonCsv(const Comparison &comparison);
bool writeComparisonCsv(const QString &path, const Comparison &comparison, QString *error = nullptr);

// A plain-text table for a terminal: files as [1], [2], ... with a legend, each later file
// followed by its difference to [1].
QString formatComparison(const Comparison &comparison);

} // namespace ts
