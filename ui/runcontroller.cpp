#include "runcontroller.h"

#include "backends/modellist.h"
#include "results/journal.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "threadpriority.h"

#include <QTimer>

#include <algorithm>


namespace ts {

namespace {

ConnectionReport failure(const QString &error)
{
    ConnectionReport r;
    r.kind = ConnectionReport::Failed;
    r.error = error;
    return r;
}

} // namespace

RunController::RunController(QObject *parent)
    : QObject(parent)
    , m_sim(std::make_unique<SimServerThread>())
{
    qRegisterMetaType<ts::RunProgress>();
    qRegisterMetaType<ts::RunResult>();
    qRegisterMetaType<ts::RequestRecord>();
    qRegisterMetaType<ts::RunState>();
    qRegisterMetaType<ts::ConnectionReport>();
    qRegisterMetaType<std::vector<ts::RequestRecord>>();
    qRegisterMetaType<ts::SweepLevelResult>();
    qRegisterMetaType<ts::SweepResult>();
    m_runnerThread.setObjectName(QStringLiteral("tokenstorm-runner"));
    m_runnerContext = new QObject;
    m_runnerContext->moveToThread(&m_runnerThread);
    connect(&m_runnerThread, &QThread::finished, m_runnerContext, &QObject::deleteLater);
    m_runnerThread.start();
    // Everything the runner starts (transport threads, Qt's HTTP threads) inherits this.
    QMetaObject::invokeMethod(m_runnerContext, &lowerCurrentThreadPriority);
}

RunController::~RunController()
{
    // The runner's transport threads must end before the server they talk to.
    if (m_runner) {
        BenchmarkRunner *runner = m_runner;
        QMetaObject::invokeMethod(m_runnerContext, [runner] { delete runner; }, Qt::BlockingQueuedConnection);
    }
    if (m_sweep) {
        Sweep *sweep = m_sweep;
        QMetaObject::invokeMethod(m_runnerContext, [sweep] { delete sweep; }, Qt::BlockingQueuedConnection);
    }
    m_runnerThread.quit();
    m_runnerThread.wait();
    delete m_probe.data();
    m_sim.reset();
}

void RunController::setState(RunState state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

QUrl RunController::demoServerUrl() const
{
    return m_sim->isRunning() ? m_sim->baseUrl() : QUrl();
}

QString RunController::prepareTarget(const FormState &form, BenchmarkConfig &config)
{
    if (!form.demoServer) {
        if (m_sim->isRunning())
            m_sim->stop();
        return {};
    }
    std::optional<SimServerConfig> sim = simPresetConfig(form.demoPreset);
    if (!sim)
        return tr("The demo server has no preset “%1”.").arg(form.demoPreset);
    sim->seed = config.load.seed;
    sim->reasoningTokens = form.demoReasoningTokens;
    // Keep a running server between runs: it restarts only for another preset, seed or
    // reasoning length.
    if (!m_sim->isRunning() || m_simPreset != form.demoPreset || m_simSeed != sim->seed
        || m_simReasoningTokens != sim->reasoningTokens) {
        const SimStartResult started = m_sim->start(*sim);
        if (!started.ok())
            return tr("The demo server did not start: %1").arg(started.error);
        m_simPreset = form.demoPreset;
        m_simSeed = sim->seed;
        m_simReasoningTokens = sim->reasoningTokens;
    }
    config.target.baseUrl = m_sim->baseUrl();
    config.target.model = sim->modelId;
    return {};
}

void RunController::start(const FormState &form)
{
    if (m_state != RunState::Idle)
        return;
    if (form.sweep.isSweep())
        sweepTask(form);
    else
        runTask(form);
}

void RunController::finishWithError(const BenchmarkConfig &config, const QString &error, bool stopped)
{
    RunResult result;
    result.config = config;
    result.date = QDateTime::currentDateTime();
    result.requested = config.load.numPrompts;
    result.stopped = stopped;
    result.error = error;
    setState(RunState::Idle);
    Q_EMIT runFinished(result);
}

QCoro::Task<PreparedRun> RunController::prepare(RunPlan plan)
{
    QPointer<RunController> self(this);
    const auto control = std::make_shared<PreparationControl>();
    m_preparation = control;
    if (!m_preparationTimer) {
        m_preparationTimer = new QTimer(this);
        m_preparationTimer->setInterval(100);
        connect(m_preparationTimer, &QTimer::timeout, this, [this] {
            if (m_preparation && m_preparation->total() > 0)
                Q_EMIT preparationProgress(m_preparation->done(), m_preparation->total());
        });
    }
    m_preparationTimer->start();
    // Reading a large dataset file takes a while: the pipeline does it off the GUI thread.
    PreparedRun prepared = co_await prepareRun(std::move(plan), m_network, control);
    if (!self)
        co_return prepared;
    m_preparationTimer->stop();
    if (control->total() > 0)
        Q_EMIT preparationProgress(control->done(), control->total());
    m_preparation.reset();
    for (const QString &warning : std::as_const(prepared.warnings))
        Q_EMIT notice(warning);
    co_return prepared;
}

QCoro::Task<> RunController::runTask(FormState form)
{
    QPointer<RunController> self(this);
    m_cancelled = false;
    m_lastProgress = RunProgress();
    setState(RunState::Preparing);
    RunPlan plan { form.config, datasetConfigOf(form), form.tokenizerPath.trimmed(), {}, journalDirectory() };
    const QString error = prepareTarget(form, plan.config);
    if (!error.isEmpty()) {
        finishWithError(plan.config, error);
        co_return;
    }
    PreparedRun prepared = co_await prepare(std::move(plan));
    if (!self)
        co_return;
    if (!prepared.ok()) {
        finishWithError(prepared.config, prepared.error, prepared.cancelled);
        co_return;
    }
    if (isTraceDataset(prepared.config.datasetName)) {
        std::vector<double> sendTimes;
        sendTimes.reserve(prepared.prompts.size());
        for (const PromptSpec &p : prepared.prompts)
            sendTimes.push_back(p.sendAtS.value_or(0.0) * prepared.config.load.traceTimeScale);
        Q_EMIT sendTimesPlanned(sendTimes);
    }

    setState(RunState::Running);
    QMetaObject::invokeMethod(m_runnerContext, [this, prepared = std::move(prepared)]() mutable {
        // In the runner thread: the runner and its timers belong to it from birth.
        BenchmarkRunner *runner = createRunner(std::move(prepared));
        QMetaObject::invokeMethod(this, [this, registry = runner->inFlightRegistry()] { m_inFlight = registry; });
        connect(runner, &BenchmarkRunner::progressChanged, this, [this](const RunProgress &p) {
            m_lastProgress = p;
            Q_EMIT progressChanged(p);
        });
        const RecordBatches batches = batchRecords(runner);
        connect(runner, &BenchmarkRunner::requestFinished, runner, batches.add);
        connect(runner, &BenchmarkRunner::finished, runner, batches.flush);
        connect(runner, &BenchmarkRunner::finished, this, [this, runner](const RunResult &result) {
            // Back in the GUI thread. The runner is deleted in its own thread, after any
            // stop() already posted to it.
            m_runner = nullptr;
            runner->deleteLater();
            // The result is in the window now; the journal only outlives a dying process.
            removeJournal(result.journal);
            const int succeeded = int(std::count_if(result.records.begin(), result.records.end(),
                                                    [](const RequestRecord &r) { return r.success; }));
            sendFinalProgress(succeeded, int(result.records.size()) - succeeded, result.duration);
            setState(RunState::Idle);
            Q_EMIT runFinished(result);
        });
        QMetaObject::invokeMethod(this, [this, runner] {
            m_runner = runner;
            if (m_cancelled)
                QMetaObject::invokeMethod(runner, [runner] { runner->stop(); });
        });
        runner->start();
    });
}

std::vector<InFlightRequest> RunController::inFlightRequests() const
{
    return m_inFlight ? m_inFlight->snapshot() : std::vector<InFlightRequest>();
}

RunController::RecordBatches RunController::batchRecords(QObject *owner)
{
    auto batch = std::make_shared<std::vector<RequestRecord>>();
    RecordBatches batches;
    batches.add = [batch](const RequestRecord &r) { batch->push_back(r); };
    batches.flush = [this, batch] {
        if (batch->empty())
            return;
        std::vector<RequestRecord> records;
        records.swap(*batch);
        QMetaObject::invokeMethod(this, [this, records = std::move(records)] { Q_EMIT requestsFinished(records); });
    };
    auto *flushTimer = new QTimer(owner);
    flushTimer->setInterval(100);
    connect(flushTimer, &QTimer::timeout, owner, batches.flush);
    flushTimer->start();
    return batches;
}

void RunController::sendFinalProgress(int succeeded, int failed, double duration)
{
    RunProgress last = m_lastProgress;
    last.inFlight = 0;
    last.waiting = 0;
    last.warmingUp = false;
    last.succeeded = succeeded;
    last.failed = failed;
    last.elapsed = std::max(last.elapsed, duration);
    if (last.total > 0 || succeeded + failed > 0)
        Q_EMIT progressChanged(last);
}

void RunController::stop()
{
    if (m_state == RunState::Preparing) {
        m_cancelled = true;
        if (m_preparation)
            m_preparation->cancel();
        setState(RunState::Stopping);
    } else if (m_state == RunState::Running) {
        // The runner may not have announced itself yet; it stops as soon as it does.
        m_cancelled = true;
        setState(RunState::Stopping);
        if (BenchmarkRunner *runner = m_runner)
            QMetaObject::invokeMethod(runner, [runner] { runner->stop(); });
        if (Sweep *sweep = m_sweep)
            QMetaObject::invokeMethod(sweep, [sweep] { sweep->stop(); });
    }
}

void RunController::fetchModels(const FormState &form)
{
    fetchTask(form);
}

QCoro::Task<> RunController::fetchTask(FormState form)
{
    QPointer<RunController> self(this);
    // Only the newest request's answer counts; an older one that arrives late is dropped.
    const int generation = ++m_fetchGeneration;
    BenchmarkConfig config = form.config;
    const QString error = prepareTarget(form, config);
    if (!error.isEmpty()) {
        Q_EMIT modelsFetched({}, failure(error));
        co_return;
    }
    const ModelListResult result = co_await ts::fetchModels(m_network, config.target);
    if (!self || generation != m_fetchGeneration)
        co_return;
    ConnectionReport report = failure(result.error);
    if (result.error.isEmpty()) {
        report.kind = ConnectionReport::ModelsListed;
        report.modelCount = int(result.models.size());
    }
    Q_EMIT modelsFetched(result.models, report);
}

void RunController::testConnection(const FormState &form)
{
    if (m_probe || m_state != RunState::Idle)
        return;
    testTask(form);
}

QCoro::Task<> RunController::testTask(FormState form)
{
    QPointer<RunController> self(this);
    BenchmarkConfig config = form.config;
    config.load = LoadConfig();
    config.load.numPrompts = 1;
    config.datasetName = QStringLiteral("random");
    config.multiTurn = false;
    config.random = RandomDatasetConfig();
    config.random.inputLen = 16;
    config.random.outputLen = 8;
    config.target.requestTimeoutS = config.target.requestTimeoutS > 0 ? std::min(config.target.requestTimeoutS, 30.0) : 30.0;
    config.metrics.goodputTtftMs.reset();
    config.metrics.goodputTpotMs.reset();
    config.metrics.goodputE2elMs.reset();

    RunPlan plan { config, {}, {}, {} };
    plan.dataset.numPrompts = 1;
    plan.dataset.random = config.random;
    QString error = prepareTarget(form, plan.config);
    if (!error.isEmpty()) {
        Q_EMIT connectionTested(failure(error));
        co_return;
    }
    PreparedRun prepared = co_await prepareRun(std::move(plan), m_network, std::make_shared<PreparationControl>());
    if (!self)
        co_return;
    if (!prepared.ok()) {
        Q_EMIT connectionTested(failure(prepared.error));
        co_return;
    }
    BenchmarkRunner *probe = createRunner(std::move(prepared), this);
    m_probe = probe;
    connect(probe, &BenchmarkRunner::finished, this, [this, probe](const RunResult &result) {
        probe->deleteLater();
        const BenchmarkConfig &c = result.config;
        if (!result.error.isEmpty()) {
            Q_EMIT connectionTested(failure(result.error));
        } else if (result.records.empty() || !result.records.front().success) {
            const QString why = result.records.empty() ? QString() : result.records.front().error;
            Q_EMIT connectionTested(failure(tr("The test request failed: %1").arg(why)));
        } else {
            const RequestRecord &r = result.records.front();
            ConnectionReport report;
            report.kind = ConnectionReport::Answered;
            report.url = c.target.url().toString();
            report.model = c.target.model;
            report.ttftMs = r.ttft * 1000.0;
            report.latencyMs = r.latency * 1000.0;
            report.outputTokens = r.outputTokens;
            Q_EMIT connectionTested(report);
        }
    });
    probe->start();
}

} // namespace ts
