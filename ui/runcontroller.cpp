#include "runcontroller.h"

#include "backends/modellist.h"
#include "datasets/dataset.h"
#include "datasets/randomdataset.h"
#include "forms/sweepstate.h"
#include "results/journal.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "sweep/sweepprompts.h"
#include "threadpriority.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

#include <qcoro/qcorofuture.h>


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

QCoro::Task<> RunController::runTask(FormState form)
{
    QPointer<RunController> self(this);
    m_cancelled = false;
    m_lastProgress = RunProgress();
    setState(RunState::Preparing);
    BenchmarkConfig config = form.config;
    const QString tokenizerPath = form.tokenizerPath.trimmed();
    // Results name the tokenizer as the command line does: by the path it was given.
    if (!tokenizerPath.isEmpty())
        config.tokenizerId = tokenizerPath;
    QString error = prepareTarget(form, config);
    if (error.isEmpty())
        error = co_await resolveModel(config);
    if (!self)
        co_return;
    if (m_cancelled || !error.isEmpty()) {
        finishWithError(config, m_cancelled ? QString() : error, m_cancelled);
        co_return;
    }

    // Thousands of long prompts, or a large dataset file, take a noticeable time to build;
    // keep that off the GUI thread.
    const DatasetConfig dataset = datasetConfigOf(form);
    const bool multiTurn = config.multiTurn;
    const auto preparation = std::make_shared<Preparation>();
    m_preparation = preparation;
    const DatasetProgress progress = [preparation](qint64 done, qint64 total) {
        preparation->done = done;
        preparation->total = total;
        return !preparation->cancel;
    };
    if (!m_preparationTimer) {
        m_preparationTimer = new QTimer(this);
        m_preparationTimer->setInterval(100);
        connect(m_preparationTimer, &QTimer::timeout, this, [this] {
            if (m_preparation && m_preparation->total > 0)
                Q_EMIT preparationProgress(m_preparation->done, m_preparation->total);
        });
    }
    m_preparationTimer->start();
    struct Built
    {
        std::shared_ptr<const Tokenizer> tokenizer;
        std::optional<DatasetResult> result;
        std::vector<ConversationScript> conversations;   // multi-turn runs
        QString error;
    };
    const auto build = [dataset, tokenizerPath, multiTurn, progress] {
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
        if (multiTurn) {
            std::optional<std::vector<ConversationScript>> scripts = loadConversations(dataset, b.tokenizer.get(), &b.error, progress);
            if (scripts) {
                // The runner takes the conversations; the prompts only tell that there are some.
                b.result = DatasetResult();
                for (const ConversationScript &s : *scripts)
                    b.result->prompts.push_back(s.turns.front());
                b.conversations = std::move(*scripts);
            }
        } else {
            b.result = loadDataset(dataset, b.tokenizer.get(), &b.error, progress);
        }
        return b;
    };
    // A named future: GCC 12 mishandles temporaries inside a co_await expression.
    QFuture<Built> future = QtConcurrent::run(build);
    Built built = co_await future;
    if (!self)
        co_return;
    m_preparationTimer->stop();
    if (preparation->total > 0)
        Q_EMIT preparationProgress(preparation->done, preparation->total);
    m_preparation.reset();
    if (m_cancelled) {
        finishWithError(config, QString(), true);
        co_return;
    }
    if (!built.result || built.result->prompts.empty()) {
        finishWithError(config, built.result ? tr("The dataset gave no prompts.") : built.error);
        co_return;
    }
    for (const QString &warning : built.result->warnings)
        Q_EMIT notice(warning);
    std::vector<PromptSpec> prompts = std::move(built.result->prompts);
    std::vector<ConversationScript> conversations = std::move(built.conversations);
    std::shared_ptr<const Tokenizer> tokenizer = std::move(built.tokenizer);

    setState(RunState::Running);
    QMetaObject::invokeMethod(m_runnerContext, [this, config, prompts = std::move(prompts),
                                                conversations = std::move(conversations), tokenizer]() mutable {
        // In the runner thread: the runner and its timers belong to it from birth.
        auto *runner = config.multiTurn ? new BenchmarkRunner(config, std::move(conversations))
                                        : new BenchmarkRunner(config, std::move(prompts));
        runner->setTokenizer(tokenizer);
        runner->setJournalDirectory(journalDirectory());
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
            m_preparation->cancel = true;
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
        Q_EMIT connectionTested(failure(error));
        co_return;
    }
    auto *probe = new BenchmarkRunner(config, makeRandomPrompts(config.random, 1, 0), this);
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
