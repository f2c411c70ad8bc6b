#pragma once

#include <QByteArray>
#include <QStringBuilder>

namespace ts::sim {

struct Stats;

// The /metrics page in Prometheus text format 0.0.4, with vLLM's metric names and a
// model_name label, plus tokenstorm_sim_* metrics for the simulator's own timing.
QByteArray prometheusMetrics(const QByteArray &modelName, const Stats &stats);

} // namespace ts::sim
