#pragma once

#include "core/benchmarkconfig.h"
#include "datasets/dataset.h"

#include <QCommandLineParser>
#include <QStringList>

namespace ts::cli {

// Options that say where results go; not part of what is measured.
struct OutputOptions
{
    bool saveResult = false;
    bool saveDetailed = false;
    bool appendResult = false;
    QString resultDir;
    QString resultFilename;
    QString csvPath;
    bool progress = true;            // progress bar on stderr (when it is a terminal)
};

struct RunOptions
{
    BenchmarkConfig config;
    DatasetConfig dataset;           // what to load; its random part mirrors config.random
    QString tokenizerPath;           // --tokenizer when it names a local tokenizer.json or model folder
    OutputOptions output;
    QString builtinPreset;           // --builtin-server: run against an in-process simulator
};

// vLLM's flags (same names and defaults) and ours, for `run` and `sweep`.
void addRunOptions(QCommandLineParser &parser);

// Flags that take several values after one flag in vLLM (argparse nargs): "--goodput a b" is
// rewritten as "--goodput a --goodput b" so QCommandLineParser sees one value per flag.
QStringList expandMultiValueFlags(const QStringList &arguments);

// Reads the parsed flags; on a bad value returns false and sets *error to one sentence.
bool readRunOptions(const QCommandLineParser &parser, RunOptions &options, QString *error);

} // namespace ts::cli
