#include "pipeline/runoutcome.h"

#include "load/benchmarkrunner.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace ts {

RunOutcome outcomeOf(const RunResult &result)
{
    RunOutcome o;
    o.measured = qsizetype(result.records.size());
    o.failed = std::count_if(result.records.begin(), result.records.end(), [](const RequestRecord &r) { return !r.success; });
    const double load = clientThreadLoad(result);
    o.clientLoadPercent = int(std::lround(100.0 * load));
    if (!result.error.isEmpty()) {
        o.kind = RunOutcome::Error;
        o.message = result.error;
    } else if (result.records.empty()) {
        o.kind = RunOutcome::NothingMeasured;
    } else if (result.stopped) {
        o.kind = RunOutcome::Stopped;
    } else if (o.failed == o.measured) {
        o.kind = RunOutcome::AllFailed;
        o.message = QCoreApplication::translate("ts::RunOutcome", "Every request failed. The first error: %1")
                        .arg(result.records.front().error);
    } else if (o.failed > 0) {
        o.kind = RunOutcome::SomeFailed;
    } else if (load > kClientBusyLoad) {
        o.kind = RunOutcome::ClientBusy;
    } else {
        o.kind = RunOutcome::Finished;
    }
    return o;
}

} // namespace ts
