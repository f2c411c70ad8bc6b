#pragma once

#include "core/benchmarkconfig.h"

#include <QList>
#include <QString>

namespace ts {

// The four test scenarios of the user guide (测试场景设计), as starting points for the form.
struct Scenario
{
    QString id;             // stable: "basic", "baseline", "stress", "realistic"
    QString name;           // translated
    QString description;    // translated: what the scenario is for and what it sets
};

QList<Scenario> scenarios();
// Sets the workload and load fields of config to the scenario's numbers; the target is kept.
// Returns false for an unknown id.
bool applyScenario(const QString &id, BenchmarkConfig &config);

} // namespace ts
