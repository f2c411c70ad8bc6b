#include "load/benchmarkrunner.h"

#include "backends/backend.h"
#include "core/clock.h"
#include "load/arrivals.h"
#include "results/journal.h"
#include "transport/inflight.h"
#include "transport/transport.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <deque>
#include <optional>

namespace ts {

namespace {
// CPU time of the whole process (all threads): the client's own cost, to publish next to
// what it measured.
double processCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}
} // namespace

class BenchmarkRunnerPrivate
{
public:
    enum class Phase { Idle, Probe, Warmup, Measure, Finished };

    BenchmarkRunnerPrivate(BenchmarkRunner *q, BenchmarkConfig config, std::vector<PromptSpec> prompts)
        : q(q), config(std::move(config)), prompts(std::move(prompts))
    {
    }

    void start();
    void stop();
    void startWarmup();
    void startMeasure();
    void releaseDue();
    // A run limited by --duration: releases what is due, or closes sending once time is up.
    void releaseTimed(double now);
    void releaseNextCycled();
    void closeSending();
    double elapsed() const;
    bool timed() const { return config.load.hasDurationLimit(); }
    bool replaysTrace() const { return conversations.empty() && !prompts.empty() && prompts.front().sendAtS.has_value(); }
    void release(int index, const PromptSpec &prompt);
    void pump();
    void send(RequestJob job);
    // Multi-turn: fills in the record's conversation and turn; true when another turn follows.
    bool placeTurn(RequestRecord &record) const;
    // The number of arrivals, and of requests they lead to.
    int arrivalCount() const;
    int requestCount() const;
    void onRecord(RequestRecord record);
    void maybeFinish();
    void finish(const QString &error = {});
    RunProgress snapshot() const;

    BenchmarkRunner *q;
    BenchmarkConfig config;
    std::vector<PromptSpec> prompts;      // multi-turn: the first turns (probe, warm-ups)
    std::vector<ConversationScript> conversations;   // empty unless multi-turn
    std::vector<int> firstRequest;        // request index of each conversation's first turn
    int totalTurns = 0;
    std::shared_ptr<const Tokenizer> tokenizer;
    std::shared_ptr<RunContext> context;
    const std::shared_ptr<InFlightRegistry> inFlightRegistry = std::make_shared<InFlightRegistry>();
    std::unique_ptr<Transport> transport;
    QString journalDirectory;
    std::unique_ptr<RunJournal> journal;

    Phase phase = Phase::Idle;
    bool stopping = false;
    std::vector<double> arrivals;
    int nextArrival = 0;
    // A timed run draws its arrivals as it goes (none at an infinite rate: each free slot
    // takes the next prompt at once), and stops sending at its limit.
    std::optional<ArrivalStream> arrivalStream;
    double nextStreamArrival = 0.0;
    bool sendingClosed = false;
    bool cutAtDeadline = false;     // requests in flight at the limit were aborted
    std::deque<RequestJob> waiting;
    int inFlight = 0;
    // Concurrency slots taken: a request, or in a multi-turn run a conversation between its
    // first turn's dispatch and its last turn's end.
    int busySlots = 0;
    int sent = 0;
    int succeeded = 0;
    int failed = 0;
    int warmupsLeft = 0;
    std::int64_t lastCompletionNs = 0;
    double measureStartCpu = 0.0;
    double measureStartTransportCpu = -1.0;

    QTimer arrivalTimer;
    QTimer deadlineTimer;
    QTimer progressTimer;
    RunResult result;
};

void BenchmarkRunnerPrivate::start()
{
    if (phase != Phase::Idle)
        return;
    result.config = config;
    result.date = QDateTime::currentDateTime();
    result.requested = config.load.hasDurationLimit() ? 0 : requestCount();

    QString error = validationError(config);
    std::shared_ptr<const Backend> backend = Backend::create(config.target.backend);
    if (error.isEmpty() && prompts.empty())
        error = QCoreApplication::translate("ts::BenchmarkRunner", "The workload has no prompts.");
    if (!error.isEmpty()) {
        // Report asynchronously, so a caller connecting after start() still hears of it.
        phase = Phase::Finished;
        QTimer::singleShot(0, q, [this, error] {
            result.error = error;
            Q_EMIT q->finished(result);
        });
        return;
    }

    context = std::make_shared<RunContext>();
    context->config = config;
    context->backend = std::move(backend);
    context->tokenizer = tokenizer;
    context->inFlight = inFlightRegistry;
    transport = std::make_unique<Transport>(context, config.load.clientThreads);
    result.clientThreads = transport->workerCount();

    arrivalTimer.setSingleShot(true);
    arrivalTimer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&arrivalTimer, &QTimer::timeout, q, [this] { releaseDue(); });
    deadlineTimer.setSingleShot(true);
    deadlineTimer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&deadlineTimer, &QTimer::timeout, q, [this] { closeSending(); });
    progressTimer.setInterval(100);
    QObject::connect(&progressTimer, &QTimer::timeout, q, [this] { Q_EMIT q->progressChanged(snapshot()); });
    progressTimer.start();

    // One request first, as vLLM's client does: a wrong URL, model or key is reported at once
    // instead of as a thousand failed requests.
    phase = Phase::Probe;
    context->runStartNs = monotonicNs();
    release(-1, prompts.front());
}

void BenchmarkRunnerPrivate::startWarmup()
{
    phase = Phase::Warmup;
    warmupsLeft = config.load.numWarmups;
    if (warmupsLeft <= 0) {
        startMeasure();
        return;
    }
    for (int i = 0; i < warmupsLeft; ++i)
        release(-1, prompts[std::size_t(i) % prompts.size()]);
}

void BenchmarkRunnerPrivate::startMeasure()
{
    phase = Phase::Measure;
    if (timed()) {
        if (config.load.hasFiniteRate()) {
            arrivalStream.emplace(config.load.requestRate, config.load.burstiness, config.load.seed);
            nextStreamArrival = arrivalStream->next();
        }
    } else if (replaysTrace()) {
        // Released at their timestamps; one waiting for a concurrency slot then counts the
        // wait as its queue time.
        arrivals.clear();
        for (const PromptSpec &prompt : prompts)
            arrivals.push_back(*prompt.sendAtS * config.load.traceTimeScale);
    } else {
        arrivals = arrivalTimes(config.load, arrivalCount());
    }
    context->runStartNs = monotonicNs();
    result.measureStart = QDateTime::currentDateTime();
    if (timed())
        deadlineTimer.start(std::chrono::milliseconds(qint64(std::ceil(config.load.durationS * 1000.0))));
    measureStartCpu = processCpuSeconds();
    measureStartTransportCpu = transport->cpuSeconds();
    if (!journalDirectory.isEmpty()) {
        journal = RunJournal::create(journalDirectory, result, &result.journalError);
        if (journal)
            result.journal = journal->path();
    }
    Q_EMIT q->progressChanged(snapshot());
    releaseDue();
}

void BenchmarkRunnerPrivate::releaseDue()
{
    if (stopping || sendingClosed || phase != Phase::Measure)
        return;
    const double now = elapsed();
    if (timed()) {
        releaseTimed(now);
        return;
    }
    const int count = int(arrivals.size());
    while (nextArrival < count && arrivals[std::size_t(nextArrival)] <= now) {
        if (conversations.empty())
            release(nextArrival, prompts[std::size_t(nextArrival) % prompts.size()]);
        else
            release(firstRequest[std::size_t(nextArrival)], prompts[std::size_t(nextArrival)]);
        ++nextArrival;
    }
    pump();
    if (nextArrival < count) {
        const double wait = arrivals[std::size_t(nextArrival)] - now;
        arrivalTimer.start(std::chrono::milliseconds(qint64(std::ceil(wait * 1000.0))));
    }
    maybeFinish();
}

void BenchmarkRunnerPrivate::releaseTimed(double now)
{
    if (now >= config.load.durationS) {
        closeSending();
        return;
    }
    if (arrivalStream) {
        while (nextStreamArrival <= now) {
            releaseNextCycled();
            nextStreamArrival = arrivalStream->next();
        }
        // Past the limit the deadline timer ends sending.
        if (nextStreamArrival < config.load.durationS)
            arrivalTimer.start(std::chrono::milliseconds(qint64(std::ceil((nextStreamArrival - now) * 1000.0))));
    }
    pump();
}

void BenchmarkRunnerPrivate::releaseNextCycled()
{
    release(nextArrival, prompts[std::size_t(nextArrival) % prompts.size()]);
    ++nextArrival;
}

void BenchmarkRunnerPrivate::closeSending()
{
    if (phase != Phase::Measure || stopping || sendingClosed)
        return;
    sendingClosed = true;
    arrivalTimer.stop();
    deadlineTimer.stop();
    // Released but not yet sent: they would start after the limit.
    waiting.clear();
    if (config.load.durationCancel && inFlight > 0) {
        cutAtDeadline = true;
        transport->abortAll();
    }
    maybeFinish();
}

double BenchmarkRunnerPrivate::elapsed() const
{
    return nsToSeconds(monotonicNs() - context->runStartNs);
}

void BenchmarkRunnerPrivate::release(int index, const PromptSpec &prompt)
{
    waiting.push_back({ index, prompt, monotonicNs() });
    // The measured phase pumps once per batch of arrivals; the others pump here.
    if (phase != Phase::Measure)
        pump();
}

void BenchmarkRunnerPrivate::pump()
{
    const int limit = config.load.maxConcurrency;
    if (timed() && phase == Phase::Measure && !sendingClosed && !stopping) {
        // The deadline timer may fire late; no request may start after the limit.
        if (elapsed() >= config.load.durationS) {
            closeSending();
            return;
        }
        // At an infinite rate a timed run keeps every slot busy (validation asks for a limit).
        if (!arrivalStream) {
            while (limit > 0 && busySlots + int(waiting.size()) < limit)
                releaseNextCycled();
        }
    }
    while (!waiting.empty() && (limit <= 0 || busySlots < limit)) {
        RequestJob job = std::move(waiting.front());
        waiting.pop_front();
        ++busySlots;
        send(std::move(job));
    }
}

void BenchmarkRunnerPrivate::send(RequestJob job)
{
    ++inFlight;
    if (job.index >= 0)
        ++sent;
    QPointer<BenchmarkRunner> guard(q);
    transport->send(std::move(job), [guard, this](RequestRecord record) {
        // Called on a transport thread: hand the record to the runner's thread.
        QMetaObject::invokeMethod(
            guard.data(), [this, record = std::move(record)]() mutable { onRecord(std::move(record)); },
            Qt::QueuedConnection);
    });
}

bool BenchmarkRunnerPrivate::placeTurn(RequestRecord &record) const
{
    if (conversations.empty() || record.index < 0)
        return false;
    const auto after = std::upper_bound(firstRequest.begin(), firstRequest.end(), record.index);
    const auto conversation = std::size_t(after - firstRequest.begin() - 1);
    record.conversation = int(conversation);
    record.turn = record.index - firstRequest[conversation];
    return std::size_t(record.turn) + 1 < conversations[conversation].turns.size();
}

int BenchmarkRunnerPrivate::arrivalCount() const
{
    return conversations.empty() ? config.load.numPrompts : int(conversations.size());
}

int BenchmarkRunnerPrivate::requestCount() const
{
    return conversations.empty() ? config.load.numPrompts : totalTurns;
}

void BenchmarkRunnerPrivate::onRecord(RequestRecord record)
{
    --inFlight;
    const bool turnFollows = phase == Phase::Measure && placeTurn(record) && !stopping;
    if (!turnFollows)
        --busySlots;
    switch (phase) {
    case Phase::Probe:
        if (stopping) {
            finish();
        } else if (!record.success) {
            finish(QCoreApplication::translate("ts::BenchmarkRunner",
                                               "The first test request failed, so the run did not start: %1")
                       .arg(record.error));
        } else {
            startWarmup();
        }
        return;
    case Phase::Warmup:
        --warmupsLeft;
        if (stopping) {
            if (inFlight == 0)
                finish();
        } else if (warmupsLeft <= 0) {
            startMeasure();
        }
        return;
    case Phase::Measure:
        lastCompletionNs = monotonicNs();
        // A reply the deadline cut says so; one that failed on its own (an HTTP error) keeps
        // its reason.
        if (cutAtDeadline && !record.success && (record.httpStatus == 0 || record.httpStatus == 200))
            record.error = QCoreApplication::translate("ts::BenchmarkRunner", "Stopped at the end of --duration.");
        (record.success ? succeeded : failed) += 1;
        result.records.push_back(record);
        if (journal)
            journal->append(record);
        Q_EMIT q->requestFinished(result.records.back());
        if (turnFollows) {
            // The next turn goes out at once, in the slot its conversation holds.
            const ConversationScript &script = conversations[std::size_t(record.conversation)];
            send({ record.index + 1, script.turns[std::size_t(record.turn) + 1], monotonicNs() });
        }
        pump();
        maybeFinish();
        return;
    case Phase::Idle:
    case Phase::Finished:
        return;
    }
}

void BenchmarkRunnerPrivate::maybeFinish()
{
    if (phase != Phase::Measure || inFlight > 0)
        return;
    if (stopping || sendingClosed || (!timed() && nextArrival >= int(arrivals.size()) && waiting.empty()))
        finish();
}

void BenchmarkRunnerPrivate::stop()
{
    if (phase == Phase::Idle || phase == Phase::Finished || stopping)
        return;
    stopping = true;
    arrivalTimer.stop();
    deadlineTimer.stop();
    waiting.clear();
    if (inFlight == 0)
        finish();
    else
        transport->abortAll();
}

void BenchmarkRunnerPrivate::finish(const QString &error)
{
    if (phase == Phase::Finished)
        return;
    const bool measured = phase == Phase::Measure;
    phase = Phase::Finished;
    arrivalTimer.stop();
    deadlineTimer.stop();
    progressTimer.stop();
    if (journal)
        journal->close();
    if (measured && lastCompletionNs > 0)
        result.duration = nsToSeconds(lastCompletionNs - context->runStartNs);
    if (measured) {
        result.clientCpuSeconds = processCpuSeconds() - measureStartCpu;
        const double transportCpu = transport->cpuSeconds();
        if (measureStartTransportCpu >= 0.0 && transportCpu >= 0.0)
            result.transportCpuSeconds = transportCpu - measureStartTransportCpu;
    }
    result.stopped = stopping;
    if (timed())
        result.requested = sent;
    result.error = error;
    Q_EMIT q->progressChanged(snapshot());
    Q_EMIT q->finished(result);
}

RunProgress BenchmarkRunnerPrivate::snapshot() const
{
    RunProgress p;
    p.total = timed() ? nextArrival : requestCount();
    p.sent = sent;
    p.inFlight = phase == Phase::Measure ? inFlight : 0;
    p.waiting = int(waiting.size());
    p.succeeded = succeeded;
    p.failed = failed;
    p.warmingUp = phase == Phase::Probe || phase == Phase::Warmup;
    if (context && phase != Phase::Probe && phase != Phase::Warmup) {
        p.outputChunks = context->contentChunks.load(std::memory_order_relaxed);
        const std::int64_t end = phase == Phase::Finished && lastCompletionNs ? lastCompletionNs : monotonicNs();
        p.elapsed = nsToSeconds(end - context->runStartNs);
    }
    return p;
}

BenchmarkRunner::BenchmarkRunner(BenchmarkConfig config, std::vector<PromptSpec> prompts, QObject *parent)
    : QObject(parent), d(std::make_unique<BenchmarkRunnerPrivate>(this, std::move(config), std::move(prompts)))
{
    // Results say multi-turn only when the turns were sent as such (the other constructor).
    d->config.multiTurn = false;
    if (d->replaysTrace()) {
        // The first numPrompts records, each sent once, in the order of their send times.
        std::vector<PromptSpec> &trace = d->prompts;
        if (d->config.load.numPrompts > 0 && std::size_t(d->config.load.numPrompts) < trace.size())
            trace.resize(std::size_t(d->config.load.numPrompts));
        for (PromptSpec &prompt : trace)
            prompt.sendAtS = prompt.sendAtS.value_or(0.0);
        std::stable_sort(trace.begin(), trace.end(),
                         [](const PromptSpec &a, const PromptSpec &b) { return *a.sendAtS < *b.sendAtS; });
        d->config.load.numPrompts = int(trace.size());
    }
    qRegisterMetaType<ts::RunProgress>();
    qRegisterMetaType<ts::RunResult>();
    qRegisterMetaType<ts::RequestRecord>();
}

BenchmarkRunner::BenchmarkRunner(BenchmarkConfig config, std::vector<ConversationScript> conversations, QObject *parent)
    : BenchmarkRunner(std::move(config), std::vector<PromptSpec>(), parent)
{
    d->config.multiTurn = true;
    const std::size_t limit = std::size_t(std::max(0, d->config.load.numPrompts));
    for (ConversationScript &script : conversations) {
        if (d->conversations.size() >= limit)
            break;
        if (script.turns.empty())
            continue;
        d->firstRequest.push_back(d->totalTurns);
        d->totalTurns += int(script.turns.size());
        d->prompts.push_back(script.turns.front());
        d->conversations.push_back(std::move(script));
    }
}

BenchmarkRunner::~BenchmarkRunner()
{
    // Join the transport threads before the state their callbacks refer to goes away.
    d->transport.reset();
}

void BenchmarkRunner::setTokenizer(std::shared_ptr<const Tokenizer> tokenizer) { d->tokenizer = std::move(tokenizer); }
void BenchmarkRunner::setJournalDirectory(const QString &dir) { d->journalDirectory = dir; }
void BenchmarkRunner::start() { d->start(); }
void BenchmarkRunner::stop() { d->stop(); }
bool BenchmarkRunner::isRunning() const
{
    return d->phase != BenchmarkRunnerPrivate::Phase::Idle && d->phase != BenchmarkRunnerPrivate::Phase::Finished;
}
RunProgress BenchmarkRunner::progress() const { return d->snapshot(); }
std::shared_ptr<const InFlightRegistry> BenchmarkRunner::inFlightRegistry() const { return d->inFlightRegistry; }
const BenchmarkConfig &BenchmarkRunner::config() const { return d->config; }

double clientThreadLoad(const RunResult &run)
{
    if (run.duration <= 0.0 || run.clientThreads <= 0 || run.transportCpuSeconds < 0.0)
        return 0.0;
    return run.transportCpuSeconds / (run.duration * run.clientThreads);
}

} // namespace ts
