// RunController's sweep: prepared by the same pipeline as a single run, then a Sweep object
// living in the runner thread, of which only queued signals reach the GUI.

#include "runcontroller.h"

#include "forms/sweepstate.h"
#include "results/journal.h"


namespace ts {

void RunController::finishSweepWithError(const SweepConfig &config, const QString &error, bool stopped)
{
    SweepResult result;
    result.config = config;
    result.date = QDateTime::currentDateTime();
    result.stopped = stopped;
    result.error = error;
    result.verdict = computeVerdict(config, {}, stopped);
    m_sweeping = false;
    setState(RunState::Idle);
    Q_EMIT sweepFinished(result);
}

QCoro::Task<> RunController::sweepTask(FormState form)
{
    QPointer<RunController> self(this);
    m_cancelled = false;
    m_sweeping = true;
    m_lastProgress = RunProgress();
    setState(RunState::Preparing);

    QString error;
    const std::optional<SweepConfig> fromForm = sweepConfigFromForm(form, &error);
    SweepConfig config = fromForm.value_or(SweepConfig());
    if (!fromForm) {
        config.base = form.config;
        finishSweepWithError(config, error);
        co_return;
    }
    RunPlan plan { config.base, datasetConfigOf(form), form.tokenizerPath.trimmed(), config, journalDirectory() };
    error = prepareTarget(form, plan.config);
    if (!error.isEmpty()) {
        finishSweepWithError(config, error);
        co_return;
    }
    PreparedRun prepared = co_await prepare(std::move(plan));
    if (!self)
        co_return;
    if (!prepared.ok()) {
        config.base = prepared.config;
        finishSweepWithError(config, prepared.error, prepared.cancelled);
        co_return;
    }
    config = std::move(*prepared.sweep);

    Q_EMIT sweepStarted(config);
    setState(RunState::Running);
    const int levelCount = int(config.levels.size());
    QMetaObject::invokeMethod(m_runnerContext, [this, config, levelCount] {
        // In the runner thread: the sweep, its runners and their timers belong to it from birth.
        auto *sweep = new Sweep(config);
        connect(sweep, &Sweep::levelStarted, this, [this, levelCount](int index, double level, int numPrompts) {
            m_lastProgress = RunProgress();
            Q_EMIT sweepLevelStarted(index, levelCount, level, numPrompts);
        });
        connect(sweep, &Sweep::levelInFlight, sweep, [this](std::shared_ptr<const InFlightRegistry> registry) {
            QMetaObject::invokeMethod(this, [this, registry] { m_inFlight = registry; });
        }, Qt::DirectConnection);
        connect(sweep, &Sweep::levelProgress, this, [this](int, const RunProgress &p) {
            m_lastProgress = p;
            Q_EMIT progressChanged(p);
        });
        // Finished requests reach the live charts in batches, as in a single run.
        const RecordBatches batches = batchRecords(sweep);
        connect(sweep, &Sweep::levelRequestFinished, sweep, batches.add);
        connect(sweep, &Sweep::levelFinished, sweep, batches.flush);
        connect(sweep, &Sweep::levelFinished, this, [this](const SweepLevelResult &level) {
            sendFinalProgress(level.metrics.completed, int(level.run.records.size()) - level.metrics.completed,
                              level.run.duration);
            Q_EMIT sweepLevelFinished(level);
        });
        connect(sweep, &Sweep::finished, this, [this, sweep](const SweepResult &result) {
            // Back in the GUI thread; the sweep is deleted in its own thread.
            m_sweep = nullptr;
            sweep->deleteLater();
            m_sweeping = false;
            setState(RunState::Idle);
            Q_EMIT sweepFinished(result);
        });
        QMetaObject::invokeMethod(this, [this, sweep] {
            m_sweep = sweep;
            if (m_cancelled)
                QMetaObject::invokeMethod(sweep, [sweep] { sweep->stop(); });
        });
        sweep->start();
    });
}

} // namespace ts
