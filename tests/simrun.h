#pragma once

#include "datasets/randomdataset.h"
#include "load/benchmarkrunner.h"
#include "sim/simconfig.h"

#include <QObject>
#include <QSignalSpy>

#include <functional>

namespace ts::test {

// The built-in server's fixed-latency preset with this first-token time and gap.
inline SimServerConfig fixedServer(double ttftMs, double itlMs)
{
    SimServerConfig sim = *simPresetConfig(QStringLiteral("fixed"));
    sim.ttftMs = ttftMs;
    sim.itlMs = itlMs;
    return sim;
}

// Runs config to its end over real sockets, with prompts from its random-dataset settings.
// An empty result when it did not finish within timeoutMs.
inline RunResult runToEnd(const BenchmarkConfig &config, int timeoutMs = 60000,
                          const std::function<void(BenchmarkRunner &)> &whileRunning = {})
{
    BenchmarkRunner runner(config, makeRandomPrompts(config.random, config.load.numPrompts, config.load.seed));
    QSignalSpy finished(&runner, &BenchmarkRunner::finished);
    if (whileRunning)
        QObject::connect(&runner, &BenchmarkRunner::requestFinished, &runner, [&] { whileRunning(runner); });
    runner.start();
    if (!finished.wait(timeoutMs))
        return {};
    return finished.constFirst().constFirst().value<RunResult>();
}

} // namespace ts::test
