#pragma once

#include "pipeline/runpipeline.h"

#include <optional>

namespace ts {
class SimServerThread;
}

namespace ts::cli {

struct RunOptions;

// `run` and `sweep` before their first request: starts the built-in server when --builtin-server
// asks for it (in builtin, which must outlive the run), then prepares the run through the
// engine's pipeline with the dataset's progress on stderr; Ctrl+C stops it. Prints what went
// wrong and returns the exit code then (1: the server, 2: the input, 0: interrupted, which
// main() turns into 130 or 143);
// nothing when prepared is ready.
std::optional<int> prepare(const RunOptions &options, RunPlan plan, SimServerThread &builtin, PreparedRun &prepared);

} // namespace ts::cli
