#include "sweep/sweep.h"

#include "core/clock.h"
#include "datasets/randomdataset.h"
#include "results/journal.h"
#include "results/resultfile.h"
#include "results/resultjson.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>
#include <QDir>
#include <QTimer>

namespace ts {

class SweepPrivate
{
public:
    SweepPrivate(Sweep *q, SweepConfig config) : q(q), config(std::move(config)) {}

    void startLevel(int index);
    void onRunFinished(const RunResult &run);
    void saveLevel(SweepLevelResult &level);
    void finish(const QString &error = {});

    Sweep *q;
    SweepConfig config;
    std::vector<SweepLevelResult> levels;
    std::unique_ptr<BenchmarkRunner> runner;
    // The runner of the level that just ended: it cannot be deleted inside its own signal.
    std::unique_ptr<BenchmarkRunner> finishedRunner;
    std::unique_ptr<MetricsScraper> scraper;
    QDateTime date;
    QStringList fileErrors;
    int current = -1;
    std::int64_t levelStartNs = 0;
    bool started = false;
    bool running = false;
    bool stopRequested = false;
};

void SweepPrivate::startLevel(int index)
{
    finishedRunner.reset();
    if (stopRequested) {
        finish();
        return;
    }
    current = index;
    const BenchmarkConfig levelConfig = config.levelConfig(index);
    const int count = levelConfig.load.numPrompts;
    QString error;
    std::vector<PromptSpec> prompts;
    if (config.promptSource)
        prompts = config.promptSource(index, count, levelConfig.load.seed, &error);
    else if (config.tokenizer)
        prompts = makeRandomPrompts(levelConfig.random, count, levelConfig.load.seed, *config.tokenizer);
    else
        prompts = makeRandomPrompts(levelConfig.random, count, levelConfig.load.seed);
    levelStartNs = monotonicNs();
    Q_EMIT q->levelStarted(index, config.levels[std::size_t(index)], count);
    if (prompts.empty()) {
        // Reported as a level that could not run, after this call returns (as a runner would).
        RunResult failed;
        failed.config = levelConfig;
        failed.date = QDateTime::currentDateTime();
        failed.requested = count;
        failed.error = error.isEmpty() ? QCoreApplication::translate("ts::Sweep", "The dataset gave no prompts.") : error;
        QTimer::singleShot(0, q, [this, failed] { onRunFinished(failed); });
        return;
    }
    runner = std::make_unique<BenchmarkRunner>(levelConfig, std::move(prompts));
    if (config.tokenizer)
        runner->setTokenizer(config.tokenizer);
    runner->setJournalDirectory(config.journalDirectory);
    Q_EMIT q->levelInFlight(runner->inFlightRegistry());
    QObject::connect(runner.get(), &BenchmarkRunner::progressChanged, q,
                     [this, index](const RunProgress &p) { Q_EMIT q->levelProgress(index, p); });
    QObject::connect(runner.get(), &BenchmarkRunner::requestFinished, q, &Sweep::levelRequestFinished);
    QObject::connect(runner.get(), &BenchmarkRunner::finished, q,
                     [this](const RunResult &run) { onRunFinished(run); });
    runner->start();
}

void SweepPrivate::saveLevel(SweepLevelResult &level)
{
    if (config.resultDir.isEmpty() || level.run.records.empty())
        return;
    QDir().mkpath(config.resultDir);
    const QString path = QDir(config.resultDir).filePath(sweepLevelFileName(config, level.run, level.level));
    QString error;
    if (writeJsonFile(path, toResultJson(level.run, level.metrics, config.saveDetailed), &error)) {
        level.resultFile = path;
    } else {
        level.saveError = error;
        fileErrors << error;
    }
}

void SweepPrivate::onRunFinished(const RunResult &run)
{
    const std::int64_t endNs = monotonicNs();
    finishedRunner = std::move(runner);
    SweepLevelResult level = analyzeLevel(current, config.levels[std::size_t(current)], run);
    if (scraper)
        level.server = serverLevelStats(scraper->samples(), levelStartNs, endNs);
    evaluateLevel(level, levels, config.rules);
    saveLevel(level);
    if (level.saveError.isEmpty())
        removeJournal(run.journal);
    levels.push_back(std::move(level));
    const SweepLevelResult &done = levels.back();
    Q_EMIT q->levelFinished(done);

    const bool lastLevel = current + 1 >= int(config.levels.size());
    if (stopRequested || done.partial || !done.run.error.isEmpty() || lastLevel
        || (config.rules.stopAtLimit && !done.brokenRules.isEmpty())) {
        QTimer::singleShot(0, q, [this] {
            finishedRunner.reset();
            finish();
        });
        return;
    }
    const int next = current + 1;
    QTimer::singleShot(0, q, [this, next] { startLevel(next); });
}

void SweepPrivate::finish(const QString &error)
{
    if (!running)
        return;
    running = false;
    if (scraper)
        scraper->stop();

    SweepResult result;
    result.config = config;
    result.date = date;
    result.levels = levels;
    result.stopped = stopRequested;
    result.error = error;
    result.verdict = computeVerdict(config, levels, stopRequested);
    result.verdictText = sweepVerdictText(config, levels, result.verdict);
    result.fileErrors = fileErrors;
    if (error.isEmpty() && !config.resultDir.isEmpty() && !levels.empty()) {
        QDir().mkpath(config.resultDir);
        writeSweepSummary(result, config.resultDir);
    }
    Q_EMIT q->finished(result);
}

Sweep::Sweep(SweepConfig config, QObject *parent)
    : QObject(parent), d(std::make_unique<SweepPrivate>(this, std::move(config)))
{
    qRegisterMetaType<ts::SweepLevelResult>();
    qRegisterMetaType<ts::SweepResult>();
}

Sweep::~Sweep()
{
    // Runners join their network threads while the state they report into still exists.
    d->runner.reset();
    d->finishedRunner.reset();
}

void Sweep::start()
{
    if (d->started)
        return;
    d->started = true;
    d->running = true;
    d->date = QDateTime::currentDateTime();
    const QString problem = sweepValidationError(d->config);
    if (!problem.isEmpty()) {
        QTimer::singleShot(0, this, [this, problem] { d->finish(problem); });
        return;
    }
    d->levels.reserve(d->config.levels.size());
    if (d->config.scrapeServerMetrics) {
        d->scraper = std::make_unique<MetricsScraper>();
        d->scraper->setTarget(d->config.base.target);
        if (!d->config.metricsUrl.isEmpty())
            d->scraper->setUrl(d->config.metricsUrl);
        d->scraper->setInterval(d->config.scrapeInterval);
        connect(d->scraper.get(), &MetricsScraper::sampled, this, &Sweep::serverSampled);
        connect(d->scraper.get(), &MetricsScraper::unavailable, this, &Sweep::serverMetricsUnavailable);
        d->scraper->start();
    }
    d->startLevel(0);
}

void Sweep::stop()
{
    if (!d->running)
        return;
    d->stopRequested = true;
    if (d->runner && d->runner->isRunning())
        d->runner->stop();
}


bool Sweep::isRunning() const { return d->running; }
const SweepConfig &Sweep::config() const { return d->config; }
const std::vector<SweepLevelResult> &Sweep::levels() const { return d->levels; }

SweepVerdict Sweep::currentVerdict() const
{
    return computeVerdict(d->config, d->levels, d->stopRequested);
}

MetricsScraper *Sweep::serverMetrics() const { return d->scraper.get(); }

} // namespace ts
