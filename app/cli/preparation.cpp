#include "preparation.h"

#include "commands.h"
#include "progressline.h"
#include "runoptions.h"

#include "sim/fdlimit.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QTimer>

#include <qcoro/qcorotask.h>

namespace ts::cli {

std::optional<int> prepare(const RunOptions &options, RunPlan plan, SimServerThread &builtin, PreparedRun &prepared)
{
    raiseFileDescriptorLimit();
    if (!options.builtinPreset.isEmpty()) {
        std::optional<SimServerConfig> sim = simPresetConfig(options.builtinPreset);
        if (!sim) {
            printError(QCoreApplication::translate("ts::cli::Preparation", "Unknown preset “%1”. Choose one of: %2.").arg(options.builtinPreset, simPresetNames().join(QLatin1String(", "))));
            return 2;
        }
        sim->seed = plan.config.load.seed;
        const SimStartResult started = builtin.start(*sim);
        if (!started.ok()) {
            printError(started.error);
            return 1;
        }
        plan.config.target.baseUrl = builtin.baseUrl();
        printOut(QCoreApplication::translate("ts::cli::Preparation", "Built-in server (%1) at %2\n").arg(options.builtinPreset, builtin.baseUrl().toString()));
    }

    auto control = std::make_shared<PreparationControl>();
    ProgressLine progress(options.output.progress);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &poll, [&] {
        if (interruptRequested())
            control->cancel();
        if (control->total() > 0)
            progress.updatePreparation(control->done(), control->total());
    });
    poll.start(100);
    QNetworkAccessManager network;
    prepared = QCoro::waitFor(prepareRun(std::move(plan), network, control));
    poll.stop();
    progress.finish();

    if (prepared.cancelled)
        return 0;   // stopped by a signal: main() turns it into 130 or 143
    if (!prepared.error.isEmpty()) {
        printError(prepared.error);
        return prepared.serverError ? 1 : 2;
    }
    for (const QString &warning : std::as_const(prepared.warnings))
        printError(warning);
    return std::nullopt;
}

} // namespace ts::cli
