// RunController's sweep: prepared as a single run is (built-in server, model, tokenizer and a
// file dataset off the GUI thread), then a Sweep object living in the runner thread, of which
// only queued signals reach the GUI.

#include "runcontroller.h"

#include "datasets/dataset.h"
#include "forms/sweepstate.h"
#include "sweep/sweepprompts.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>
#include <QtConcurrent/QtConcurrentRun>

#include <qcoro/qcorofuture.h>


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
    const QString tokenizerPath = form.tokenizerPath.trimmed();
    if (!tokenizerPath.isEmpty())
        config.base.tokenizerId = tokenizerPath;
    error = prepareTarget(form, config.base);
    if (error.isEmpty())
        error = co_await resolveModel(config.base);
    if (!self)
        co_return;
    if (m_cancelled || !error.isEmpty()) {
        finishSweepWithError(config, m_cancelled ? QString() : error, m_cancelled);
        co_return;
    }

    DatasetConfig dataset;
    dataset.name = config.base.datasetName;
    dataset.path = form.datasetPath;
    dataset.seed = config.base.load.seed;
    dataset.random = config.base.random;
    dataset.chatBackend = config.base.target.backend == QLatin1String("openai-chat");
    // A file dataset is read once for the whole sweep (each level takes its own slice of it);
    // generated prompts are built per level, in the runner thread.
    const bool fromFile = isFileDataset(dataset.name);
    dataset.numPrompts = fromFile ? plannedPrompts(config) : 0;
    struct Built
    {
        std::shared_ptr<const Tokenizer> tokenizer;
        std::optional<DatasetResult> result;
        QString error;
    };
    const auto build = [dataset, tokenizerPath, fromFile] {
        Built b;
        if (!tokenizerPath.isEmpty()) {
            QString why;
            b.tokenizer = Tokenizer::load(tokenizerPath, &why);
            if (!b.tokenizer) {
                b.error = QCoreApplication::translate("ts::RunController", "The tokenizer “%1” cannot be used: %2")
                              .arg(tokenizerPath, why);
                return b;
            }
        }
        if (fromFile)
            b.result = loadDataset(dataset, b.tokenizer.get(), &b.error);
        return b;
    };
    // A named future: GCC 12 mishandles temporaries inside a co_await expression.
    QFuture<Built> future = QtConcurrent::run(build);
    Built built = co_await future;
    if (!self)
        co_return;
    if (m_cancelled) {
        finishSweepWithError(config, QString(), true);
        co_return;
    }
    if (!built.error.isEmpty() || (fromFile && (!built.result || built.result->prompts.empty()))) {
        finishSweepWithError(config, built.error.isEmpty() ? tr("The dataset gave no prompts.") : built.error);
        co_return;
    }
    config.tokenizer = built.tokenizer;
    if (fromFile) {
        for (const QString &warning : std::as_const(built.result->warnings))
            Q_EMIT notice(warning);
        config.promptSource = promptsFromPool(std::move(built.result->prompts));
    } else {
        config.promptSource = promptsFromDataset(dataset, config.tokenizer);
    }

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
