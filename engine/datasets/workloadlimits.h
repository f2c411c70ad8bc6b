#pragma once

#include "datasets/dataset.h"

#include <QString>

namespace ts {

// Sizes no run can use, refused before anything is built or sent: the workload would not fit
// the model or this computer, or would take longer than anyone waits.

// No model takes more tokens than this in one request (the longest contexts are a few million).
constexpr double kMaxRequestTokens = 10'000'000;
// The slowest request rate, and the longest a run may take to send its requests.
constexpr double kMinRequestRate = 0.001;
constexpr double kMaxSendSeconds = 7 * 24 * 3600;

// A quarter of this computer's physical memory (4 GB where it cannot be read).
qint64 defaultMemoryBudget();

// Why the prompts `config` asks for cannot be built, as one sentence in the user's language;
// empty when they can. Lengths above kMaxRequestTokens are refused, and so is a workload whose
// prompts, replies and records would need more than memoryBudget bytes.
QString workloadSizeError(const DatasetConfig &config, qint64 memoryBudget = defaultMemoryBudget());

// The memory one request of these lengths takes while a run holds it, in bytes.
double requestMemoryBytes(double inputTokens, double outputTokens);
// Why `requests` requests taking `bytes` in all cannot be run; empty when they fit.
QString workloadMemoryError(double requests, double bytes, qint64 memoryBudget = defaultMemoryBudget());

// Why requestsPerSecond cannot send numPrompts requests in reasonable time (below
// kMinRequestRate, or longer than kMaxSendSeconds); empty when it can. Infinity is fine.
QString requestRateError(double requestsPerSecond, int numPrompts);

} // namespace ts
