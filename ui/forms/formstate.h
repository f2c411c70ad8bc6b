#pragma once

#include "core/benchmarkconfig.h"
#include "datasets/dataset.h"
#include "forms/sweepstate.h"

#include <QString>

#include <optional>

namespace ts {

class Settings;

// Everything the configuration form holds: the run's configuration plus the choices that
// only the desktop app has.
struct FormState
{
    BenchmarkConfig config;
    bool demoServer = true;             // send requests to the built-in simulated server
    QString demoPreset = QStringLiteral("gpu-fast");
    int demoReasoningTokens = 0;        // the demo server reasons this many tokens per reply
    QString scenario;                   // id of the last applied scenario; empty = custom
    QString headersText;                // extra headers as typed, "Name: value" per line
    QString datasetPath;                // file of the sharegpt, sonnet or custom dataset
    QString tokenizerPath;              // tokenizer.json or a model folder; empty = estimated lengths
    SweepFormState sweep;               // a single run, or a sweep over levels
    bool watchServerMetrics = true;     // chart the server's own /metrics during a run
};

// Datasets that read a file (the others are generated).
bool datasetNeedsFile(const QString &name);

// What the engine loads for the form's workload (the run and the dataset preview agree).
DatasetConfig datasetConfigOf(const FormState &state);

FormState loadFormState(const Settings &settings);
// Stores the form's values; the API key is never stored.
void storeFormState(Settings &settings, const FormState &state);

using HeaderList = QList<QPair<QByteArray, QByteArray>>;
// Parses "Name: value" lines (blank lines ignored). On a bad line returns nullopt and sets
// *error to a translated sentence naming the line.
std::optional<HeaderList> parseHeaders(const QString &text, QString *error = nullptr);

} // namespace ts
