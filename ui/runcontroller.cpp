#include "runcontroller.h"

#include "backends/modellist.h"
#include "datasets/randomdataset.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"

#include <QtConcurrent/QtConcurrentRun>

#include <qcoro/qcorofuture.h>

#include <cmath>

namespace ts {

RunController::RunController(QObject *parent)
    : QObject(parent)
    , m_sim(std::make_unique<SimServerThread>())
{
    qRegisterMetaType<ts::RunProgress>();
    qRegisterMetaType<ts::RunResult>();
    qRegisterMetaType<ts::RequestRecord>();
    qRegisterMetaType<ts::RunState>();
}

RunController::~RunController()
{
    // The runner's transport threads must end before the server they talk to.
    m_runner.reset();
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
    // Keep a running server between runs: it restarts only for another preset or seed.
    if (!m_sim->isRunning() || m_simPreset != form.demoPreset || m_simSeed != sim->seed) {
        const SimStartResult started = m_sim->start(*sim);
        if (!started.ok())
            return tr("The demo server did not start: %1").arg(started.error);
        m_simPreset = form.demoPreset;
        m_simSeed = sim->seed;
    }
    config.target.baseUrl = m_sim->baseUrl();
    config.target.model = sim->modelId;
    return {};
}

QCoro::Task<QString> RunController::resolveModel(BenchmarkConfig &config)
{
    if (config.target.model.isEmpty()) {
        const ModelListResult models = co_await ts::fetchModels(m_network, config.target);
        if (!models.error.isEmpty())
            co_return tr("No model was given, and the server's model list is not available: %1").arg(models.error);
        if (models.models.isEmpty())
            co_return tr("No model was given, and the server lists none. Enter the model name.");
        config.target.model = models.models.constFirst();
    }
    if (config.tokenizerId.isEmpty())
        config.tokenizerId = config.target.model;
    co_return QString();
}

void RunController::start(const FormState &form)
{
    if (m_state != RunState::Idle)
        return;
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

QCoro::Task<> RunController::runTask(FormState form)
{
    QPointer<RunController> self(this);
    m_cancelled = false;
    setState(RunState::Preparing);
    BenchmarkConfig config = form.config;
    QString error = prepareTarget(form, config);
    if (error.isEmpty())
        error = co_await resolveModel(config);
    if (!self)
        co_return;
    if (m_cancelled || !error.isEmpty()) {
        finishWithError(config, m_cancelled ? QString() : error, m_cancelled);
        co_return;
    }

    // Thousands of long prompts take a noticeable time to build; keep that off the GUI thread.
    const RandomDatasetConfig random = config.random;
    const int count = config.load.numPrompts;
    const std::uint64_t seed = config.load.seed;
    std::vector<PromptSpec> prompts = co_await QtConcurrent::run([random, count, seed] {
        return makeRandomPrompts(random, count, seed);
    });
    if (!self)
        co_return;
    if (m_cancelled) {
        finishWithError(config, QString(), true);
        co_return;
    }

    m_runner = std::make_unique<BenchmarkRunner>(config, std::move(prompts));
    connect(m_runner.get(), &BenchmarkRunner::progressChanged, this, &RunController::progressChanged);
    connect(m_runner.get(), &BenchmarkRunner::requestFinished, this, &RunController::requestFinished);
    connect(m_runner.get(), &BenchmarkRunner::finished, this, [this](const RunResult &result) {
        // The runner is still inside its own signal: delete it once control is back here.
        BenchmarkRunner *finished = m_runner.release();
        finished->deleteLater();
        setState(RunState::Idle);
        Q_EMIT runFinished(result);
    });
    setState(RunState::Running);
    m_runner->start();
}

void RunController::stop()
{
    if (m_state == RunState::Preparing) {
        m_cancelled = true;
        setState(RunState::Stopping);
    } else if (m_state == RunState::Running && m_runner) {
        setState(RunState::Stopping);
        m_runner->stop();
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
        Q_EMIT modelsFetched({}, error);
        co_return;
    }
    const ModelListResult result = co_await ts::fetchModels(m_network, config.target);
    if (!self || generation != m_fetchGeneration)
        co_return;
    Q_EMIT modelsFetched(result.models, result.error);
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
    config.random = RandomDatasetConfig();
    config.random.inputLen = 16;
    config.random.outputLen = 8;
    config.target.requestTimeoutS = config.target.requestTimeoutS > 0 ? std::min(config.target.requestTimeoutS, 30.0) : 30.0;
    config.metrics.goodputTtftMs.reset();
    config.metrics.goodputTpotMs.reset();
    config.metrics.goodputE2elMs.reset();

    QString error = prepareTarget(form, config);
    if (error.isEmpty())
        error = co_await resolveModel(config);
    if (!self)
        co_return;
    if (!error.isEmpty()) {
        Q_EMIT connectionTested(false, error);
        co_return;
    }
    auto *probe = new BenchmarkRunner(config, makeRandomPrompts(config.random, 1, 0), this);
    m_probe = probe;
    connect(probe, &BenchmarkRunner::finished, this, [this, probe](const RunResult &result) {
        probe->deleteLater();
        const BenchmarkConfig &c = result.config;
        if (!result.error.isEmpty()) {
            Q_EMIT connectionTested(false, result.error);
        } else if (result.records.empty() || !result.records.front().success) {
            const QString why = result.records.empty() ? QString() : result.records.front().error;
            Q_EMIT connectionTested(false, tr("The test request failed: %1").arg(why));
        } else {
            const RequestRecord &r = result.records.front();
            Q_EMIT connectionTested(true, tr("%1 answers with model “%2”: first token after %3 ms, the whole answer (%4 tokens) after %5 ms.")
                                              .arg(c.target.url().toString(), c.target.model)
                                              .arg(std::round(r.ttft * 1000.0))
                                              .arg(r.outputTokens)
                                              .arg(std::round(r.latency * 1000.0)));
        }
    });
    probe->start();
}

} // namespace ts
