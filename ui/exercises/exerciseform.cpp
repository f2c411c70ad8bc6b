#include "exercises/exerciseform.h"

#include "sim/simconfig.h"
#include "sweep/sweepconfig.h"

#include <QStringList>

namespace ts {

FormState withExerciseSettings(FormState state, const ExerciseSettings &settings)
{
    state.demoServer = true;
    state.demoPreset = settings.demoPreset;
    state.scenario.clear();
    BenchmarkConfig &config = state.config;
    config.datasetName = QStringLiteral("random");
    config.multiTurn = false;
    config.random.inputLen = settings.inputLen;
    config.random.outputLen = settings.outputLen;
    config.random.rangeRatio = 0.0;
    config.random.prefixLen = 0;
    config.load.numPrompts = settings.numPrompts;
    config.load.requestRate = settings.requestRate;
    config.load.burstiness = 1.0;
    config.load.maxConcurrency = settings.maxConcurrency;
    config.load.numWarmups = 0;

    if (settings.kind == ExerciseSettings::Kind::ConcurrencySweep) {
        state.sweep.kind = RunKind::ConcurrencySweep;
        QStringList levels;
        for (double level : settings.sweepLevels)
            levels << sweepLevelText(level);
        state.sweep.concurrencyLevels = levels.join(QLatin1String(", "));
        state.sweep.concurrencyMultiplier = settings.sweepMultiplier;
        state.sweep.minPrompts = settings.sweepMinPrompts;
        // The default rules stop one level past the plateau, so the sweep can name its knee.
        state.sweep.rules = SweepStopRules();
    } else {
        state.sweep.kind = RunKind::Single;
    }
    return state;
}

std::optional<int> serverSlotsOf(const FormState &state)
{
    if (!state.demoServer)
        return std::nullopt;
    const std::optional<SimServerConfig> sim = simPresetConfig(state.demoPreset);
    if (!sim || sim->mode != SimMode::Batching)
        return std::nullopt;
    return sim->maxNumSeqs;
}

} // namespace ts
