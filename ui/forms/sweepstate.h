#pragma once

#include "sweep/sweepconfig.h"

#include <QString>

#include <optional>

namespace ts {

class Settings;
struct FormState;

// What Start runs: one run with the Load group's numbers, or a sweep over levels.
enum class RunKind : quint8 {
    Single,
    ConcurrencySweep,   // the guide's method 1: rising --max-concurrency, requests released at once
    RateSweep,          // the guide's method 2: rising --request-rate under the Load group's concurrency cap
};

// The sweep part of the configuration form, as typed: the level lists stay text so that a list
// being edited survives a restart, and each mode keeps its own list and multiplier.
struct SweepFormState
{
    RunKind kind = RunKind::Single;
    QString concurrencyLevels = QStringLiteral("1, 5, 10, 20, 50, 100, 200, 500");   // the guide's loop
    QString rateLevels = QStringLiteral("1, 2, 5, 10, 20, 50");
    double concurrencyMultiplier = 5.0;     // requests per level = multiplier x level ...
    double rateMultiplier = 30.0;
    int minPrompts = 50;                    // ... but at least this many
    SweepStopRules rules;
    QString resultDir;                      // empty: the sweep writes no files

    bool isSweep() const { return kind != RunKind::Single; }
    SweepMode mode() const { return kind == RunKind::RateSweep ? SweepMode::RequestRate : SweepMode::Concurrency; }
    const QString &levelsText() const { return kind == RunKind::RateSweep ? rateLevels : concurrencyLevels; }
    double multiplier() const { return kind == RunKind::RateSweep ? rateMultiplier : concurrencyMultiplier; }
};

SweepFormState loadSweepFormState(const Settings &settings);
void storeSweepFormState(Settings &settings, const SweepFormState &state);

// The sweep the form describes (without a prompt source: the caller builds that from the
// dataset). A concurrency sweep releases each level's requests at once, as the guide's loop
// does; a rate sweep keeps the Load group's concurrency cap. nullopt and *error (translated)
// when it cannot run.
std::optional<SweepConfig> sweepConfigFromForm(const FormState &form, QString *error = nullptr);

// "single" / "concurrency" / "rate", as stored in the settings.
QString runKindName(RunKind kind);
RunKind runKindFromName(const QString &name);

} // namespace ts
