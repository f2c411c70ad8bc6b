#pragma once

#include "connectionreport.h"
#include "forms/formstate.h"
#include "load/benchmarkrunner.h"
#include "pipeline/runpipeline.h"
#include "sweep/sweep.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <qcoro/qcorotask.h>

#include <atomic>
#include <functional>
#include <memory>

namespace ts {

class SimServerThread;

enum class RunState { Idle, Preparing, Running, Stopping };

// Runs what the form describes without ever blocking the GUI thread: starts the built-in
// server when asked, resolves the model, builds the prompts on a worker thread and drives a
// BenchmarkRunner in a thread of its own. Also serves the form's "fetch models" and "test connection" buttons.
class RunController : public QObject
{
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    RunState state() const { return m_state; }
    bool isTestingConnection() const { return !m_probe.isNull(); }

    // A single run, or a sweep when form.sweep says so.
    void start(const FormState &form);
    // Stops a run or sweep; what was measured is kept and reported through runFinished() or
    // sweepFinished() (a sweep keeps its finished levels).
    void stop();
    bool isSweeping() const { return m_sweeping; }
    void fetchModels(const FormState &form);
    void testConnection(const FormState &form);

    // The measured requests in flight now (the running level's, in a sweep), for a live
    // timeline: cheap enough to call a few times a second, never per event.
    std::vector<InFlightRequest> inFlightRequests() const;
    // The built-in server's address while it runs; empty otherwise.
    QUrl demoServerUrl() const;

Q_SIGNALS:
    void stateChanged(ts::RunState state);
    void progressChanged(const ts::RunProgress &progress);
    // Finished requests, delivered in batches about 10 times a second: at hundreds of
    // completions per second one queued event each would keep the GUI thread busy.
    void requestsFinished(const std::vector<ts::RequestRecord> &records);
    // Exactly once per start() of a single run. result.error is set when the run could not take place.
    void runFinished(const ts::RunResult &result);
    // A single run that replays a trace, once its prompts are built and before it starts: when
    // each request is planned to go out, in seconds after the measured run begins.
    void sendTimesPlanned(const std::vector<double> &sendTimes);
    // A sweep: sweepStarted() once it is prepared (built-in server up, model known), then per
    // level sweepLevelStarted(), progressChanged() and requestsFinished() as for a run, and
    // sweepLevelFinished(); sweepFinished() exactly once per start() of a sweep (result.error
    // set when it could not take place).
    void sweepStarted(const ts::SweepConfig &config);
    void sweepLevelStarted(int index, int levelCount, double level, int numPrompts);
    void sweepLevelFinished(const ts::SweepLevelResult &level);
    void sweepFinished(const ts::SweepResult &result);
    // models is empty when report.kind is Failed.
    void modelsFetched(const QStringList &models, const ts::ConnectionReport &report);
    void connectionTested(const ts::ConnectionReport &report);
    // While the prompts are built (reading a dataset file): how far, in the dataset's units.
    void preparationProgress(qint64 done, qint64 total);
    // Something the user should know that does not stop the run (e.g. skipped dataset lines).
    void notice(const QString &message);

private:
    QCoro::Task<> runTask(FormState form);
    QCoro::Task<> sweepTask(FormState form);
    void finishSweepWithError(const SweepConfig &config, const QString &error, bool stopped = false);
    QCoro::Task<> fetchTask(FormState form);
    QCoro::Task<> testTask(FormState form);
    // Points config at the built-in server (started as needed) or leaves it as the user set it.
    QString prepareTarget(const FormState &form, BenchmarkConfig &config);
    // Prepares a run or sweep through the engine's pipeline, reporting preparationProgress(),
    // notice() for its warnings, and stopping early on stop().
    QCoro::Task<PreparedRun> prepare(RunPlan plan);
    void setState(RunState state);
    void finishWithError(const BenchmarkConfig &config, const QString &error, bool stopped = false);
    // Called in the runner thread for a runner or sweep about to start: finished requests pile
    // up there and reach requestsFinished() about ten times a second. Returns the add and
    // flush functions; flush before the GUI hears of an end, so it gets the last batch first
    // (events from one thread arrive in the order they were posted).
    struct RecordBatches
    {
        std::function<void(const RequestRecord &)> add;
        std::function<void()> flush;
    };
    RecordBatches batchRecords(QObject *owner);
    // A run's or level's last progress can predate its last completions: closes the counters
    // with the final counts and sends them.
    void sendFinalProgress(int succeeded, int failed, double duration);

    RunState m_state = RunState::Idle;
    std::unique_ptr<SimServerThread> m_sim;
    QString m_simPreset;
    std::uint64_t m_simSeed = 0;
    int m_simReasoningTokens = 0;
    QNetworkAccessManager m_network;
    // The runner lives in a thread of its own: dispatching hundreds of requests at once,
    // handling their records and tearing the transport down all happen there, not in the
    // GUI's event loop. Only its signals arrive here (queued).
    QThread m_runnerThread;
    QObject *m_runnerContext = nullptr;     // lives in m_runnerThread
    BenchmarkRunner *m_runner = nullptr;    // lives in m_runnerThread; set and cleared here
    Sweep *m_sweep = nullptr;               // likewise, while a sweep runs
    bool m_sweeping = false;
    QPointer<BenchmarkRunner> m_probe;
    std::shared_ptr<const InFlightRegistry> m_inFlight;   // the running runner's, else the last
    RunProgress m_lastProgress;
    int m_fetchGeneration = 0;
    bool m_cancelled = false;
    // How far the preparation got (polled, so its worker never touches this object) and how
    // Stop reaches it: a 1 GB dataset takes a while to read.
    std::shared_ptr<PreparationControl> m_preparation;
    QTimer *m_preparationTimer = nullptr;
};

} // namespace ts

Q_DECLARE_METATYPE(ts::RunState)
Q_DECLARE_METATYPE(std::vector<ts::RequestRecord>)
