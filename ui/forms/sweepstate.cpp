#include "forms/sweepstate.h"

#include "forms/formstate.h"
#include "settings.h"

#include <limits>

namespace ts {

namespace {

std::optional<double> limit(double ms)
{
    return ms > 0 ? std::optional<double>(ms) : std::nullopt;
}

} // namespace

QString runKindName(RunKind kind)
{
    switch (kind) {
    case RunKind::ConcurrencySweep:
        return QStringLiteral("concurrency");
    case RunKind::RateSweep:
        return QStringLiteral("rate");
    case RunKind::Single:
        break;
    }
    return QStringLiteral("single");
}

RunKind runKindFromName(const QString &name)
{
    if (name == QLatin1String("concurrency"))
        return RunKind::ConcurrencySweep;
    if (name == QLatin1String("rate"))
        return RunKind::RateSweep;
    return RunKind::Single;
}

SweepFormState loadSweepFormState(const Settings &s)
{
    using K = Settings::Key;
    SweepFormState f;
    f.kind = runKindFromName(s.stringValue(K::SweepKind));
    f.concurrencyLevels = s.stringValue(K::SweepConcurrencyLevels);
    f.rateLevels = s.stringValue(K::SweepRateLevels);
    f.concurrencyMultiplier = s.doubleValue(K::SweepConcurrencyMultiplier);
    f.rateMultiplier = s.doubleValue(K::SweepRateMultiplier);
    f.minPrompts = s.intValue(K::SweepMinPrompts);
    f.rules.minSuccessRatePercent = s.doubleValue(K::SweepMinSuccessRate);
    f.rules.maxP99TtftMs = limit(s.doubleValue(K::SweepSloTtftMs));
    f.rules.maxP99TpotMs = limit(s.doubleValue(K::SweepSloTpotMs));
    f.rules.maxP99E2elMs = limit(s.doubleValue(K::SweepSloE2elMs));
    f.rules.minThroughputGainPercent = s.doubleValue(K::SweepMinGainPercent);
    f.rules.stopAtLimit = !s.boolValue(K::SweepRunAllLevels);
    f.resultDir = s.stringValue(K::SweepResultDir);
    return f;
}

void storeSweepFormState(Settings &s, const SweepFormState &f)
{
    using K = Settings::Key;
    s.set(K::SweepKind, runKindName(f.kind));
    s.set(K::SweepConcurrencyLevels, f.concurrencyLevels);
    s.set(K::SweepRateLevels, f.rateLevels);
    s.set(K::SweepConcurrencyMultiplier, f.concurrencyMultiplier);
    s.set(K::SweepRateMultiplier, f.rateMultiplier);
    s.set(K::SweepMinPrompts, f.minPrompts);
    s.set(K::SweepMinSuccessRate, f.rules.minSuccessRatePercent);
    s.set(K::SweepSloTtftMs, f.rules.maxP99TtftMs.value_or(0.0));
    s.set(K::SweepSloTpotMs, f.rules.maxP99TpotMs.value_or(0.0));
    s.set(K::SweepSloE2elMs, f.rules.maxP99E2elMs.value_or(0.0));
    s.set(K::SweepMinGainPercent, f.rules.minThroughputGainPercent);
    s.set(K::SweepRunAllLevels, !f.rules.stopAtLimit);
    s.set(K::SweepResultDir, f.resultDir);
}

std::optional<SweepConfig> sweepConfigFromForm(const FormState &form, QString *error)
{
    const SweepFormState &f = form.sweep;
    SweepConfig c;
    c.mode = f.mode();
    std::optional<std::vector<double>> levels = parseSweepLevels(f.levelsText(), c.mode, error);
    if (!levels)
        return std::nullopt;
    c.levels = std::move(*levels);
    c.base = form.config;
    if (c.mode == SweepMode::Concurrency)
        c.base.load.requestRate = std::numeric_limits<double>::infinity();
    c.promptsPerLevelMultiplier = f.multiplier();
    c.minPromptsPerLevel = f.minPrompts;
    c.rules = f.rules;
    c.resultDir = f.resultDir.trimmed();
    const QString problem = sweepValidationError(c);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return std::nullopt;
    }
    return c;
}

} // namespace ts
