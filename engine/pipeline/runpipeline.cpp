#include "pipeline/runpipeline.h"

#include "backends/modellist.h"
#include "datasets/workloadlimits.h"
#include "load/benchmarkrunner.h"
#include "sweep/sweepprompts.h"
#include "tokenizer/serverprompts.h"
#include "tokenizer/servertokenizer.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>
#include <QFuture>
#include <QPromise>
#include <QThreadPool>

#include <qcoro/qcorofuture.h>

namespace ts {

namespace {

// What the worker thread builds; the caller moves it out once the worker is done.
struct Workload
{
    std::shared_ptr<const Tokenizer> tokenizer;
    std::vector<PromptSpec> prompts;
    std::vector<ConversationScript> conversations;
    QStringList warnings;
    QString error;
};

void buildWorkload(const RunPlan &plan, PreparationControl &control, Workload &out)
{
    if (!plan.tokenizerPath.isEmpty()) {
        QString why;
        out.tokenizer = Tokenizer::load(plan.tokenizerPath, &why);
        if (!out.tokenizer) {
            out.error = QCoreApplication::translate("ts::RunPipeline", "The tokenizer “%1” cannot be used: %2").arg(plan.tokenizerPath, why);
            return;
        }
    }
    if (control.isCancelled())
        return;
    const DatasetProgress progress = [&control](qint64 done, qint64 total) {
        control.report(done, total);
        return !control.isCancelled();
    };
    DatasetConfig dataset = plan.dataset;
    if (plan.sweep) {
        // Generated prompts are built per level, with the level's count; a file is read once
        // for the whole sweep, and each level takes its own slice.
        if (!isFileDataset(dataset.name))
            return;
        dataset.numPrompts = plannedPrompts(*plan.sweep);
    }
    if (plan.config.multiTurn && !plan.sweep) {
        std::optional<std::vector<ConversationScript>> scripts = loadConversations(dataset, out.tokenizer.get(), &out.error, progress);
        if (!scripts) {
            if (out.error.isEmpty() && !control.isCancelled())
                out.error = QCoreApplication::translate("ts::RunPipeline", "The dataset could not be read.");
            return;
        }
        out.conversations = std::move(*scripts);
        if (out.conversations.empty())
            out.error = QCoreApplication::translate("ts::RunPipeline", "The dataset gave no prompts.");
        return;
    }
    std::optional<DatasetResult> result = loadDataset(dataset, out.tokenizer.get(), &out.error, progress);
    if (!result) {
        if (out.error.isEmpty() && !control.isCancelled())
            out.error = QCoreApplication::translate("ts::RunPipeline", "The dataset could not be read.");
        return;
    }
    out.warnings = std::move(result->warnings);
    out.prompts = std::move(result->prompts);
    if (out.prompts.empty())
        out.error = QCoreApplication::translate("ts::RunPipeline", "The dataset gave no prompts.");
}

// A rate so low that the run would never end is refused before anything is sent.
QString rateError(const RunPlan &plan)
{
    if (!plan.sweep)
        return requestRateError(plan.config.load.requestRate, plan.config.load.numPrompts);
    if (plan.sweep->mode != SweepMode::RequestRate)
        return {};
    for (double rate : plan.sweep->levels) {
        const QString error = requestRateError(rate, plan.sweep->promptsForLevel(rate));
        if (!error.isEmpty())
            return error;
    }
    return {};
}

// Runs the work in Qt's global thread pool; the future ends when it is done. The result stays
// in *out, so a large workload is moved, never copied.
QFuture<void> inWorkerThread(std::function<void()> work)
{
    auto promise = std::make_shared<QPromise<void>>();
    QFuture<void> future = promise->future();
    promise->start();
    QThreadPool::globalInstance()->start([promise, work = std::move(work)] {
        work();
        promise->finish();
    });
    return future;
}

// Without a tokenizer.json, the random dataset's lengths come from the server's own tokenize
// endpoint where it has one; the other datasets (and sweeps, which build prompts per level)
// keep the estimate.
bool countsOnServer(const RunPlan &plan)
{
    return plan.tokenizerPath.isEmpty() && plan.dataset.name == QLatin1String("random") && !plan.sweep
        && !plan.config.multiTurn;
}

// Replaces prompts by ones the server counts exactly and records the endpoint in config; on
// failure leaves both as they are and returns why, as a warning.
QCoro::Task<QString> countOnServer(const RunPlan &plan, BenchmarkConfig &config, QNetworkAccessManager &network,
                                   std::shared_ptr<PreparationControl> control, std::vector<PromptSpec> &prompts)
{
    ServerTokenizer tokenizer(network, config.target);
    const QString estimated = QCoreApplication::translate("ts::RunPipeline", "Prompt lengths are estimates; give a tokenizer for exact ones.");
    if (!tokenizer.hasEndpoint())
        co_return QCoreApplication::translate("ts::RunPipeline", "The server's API has no tokenize endpoint. %1").arg(estimated);
    if (!tokenizer.countsPromptsExactly())
        co_return QCoreApplication::translate("ts::RunPipeline", "The server's tokenize endpoint %1 does not apply the chat template. %2")
            .arg(tokenizer.endpointPath(), estimated);
    ServerTokenCount probe = co_await tokenizer.count(QStringLiteral("Hello"), tokenizer.promptShape());
    // A server that ignores the request's fields answers with no tokens at all.
    if (probe.tokens == 0)
        probe.error = QCoreApplication::translate("ts::RunPipeline", "it counted no tokens in a word");
    if (!probe.tokens || probe.tokens == 0)
        co_return QCoreApplication::translate("ts::RunPipeline", "The server's tokenize endpoint %1 is not available (%2). %3")
            .arg(tokenizer.endpointPath(), probe.error, estimated);

    const DatasetProgress progress = [control](qint64 done, qint64 total) {
        control->report(done, total);
        return !control->isCancelled();
    };
    ServerPrompts made = co_await makeRandomPromptsOnServer(tokenizer, plan.dataset.random, plan.dataset.numPrompts,
                                                             plan.dataset.seed, progress);
    if (made.cancelled)
        co_return QString();
    if (!made.error.isEmpty())
        co_return QCoreApplication::translate("ts::RunPipeline", "The server's tokenize endpoint %1 failed (%2). %3")
            .arg(tokenizer.endpointPath(), made.error, estimated);
    prompts = std::move(made.prompts);
    config.tokenizerSource = QStringLiteral("server");
    config.tokenizerEndpoint = tokenizer.endpointPath();
    if (made.mismatchedPrompts > 0)
        co_return QCoreApplication::translate("ts::RunPipeline", "%n prompt(s) missed their length by %1 tokens in all, as the server counts them.", nullptr, made.mismatchedPrompts)
            .arg(made.mismatchedTokens);
    co_return QString();
}

} // namespace

QCoro::Task<PreparedRun> prepareRun(RunPlan plan, QNetworkAccessManager &network, std::shared_ptr<PreparationControl> control)
{
    PreparedRun prepared;
    BenchmarkConfig &config = plan.config;
    prepared.config = config;
    prepared.journalDirectory = plan.journalDirectory;
    prepared.error = rateError(plan);
    if (!prepared.error.isEmpty())
        co_return prepared;
    // Results name the tokenizer by the path it was given, as vLLM's do.
    if (!plan.tokenizerPath.isEmpty())
        config.tokenizerId = plan.tokenizerPath;
    if (config.target.model.isEmpty()) {
        const ModelListResult models = co_await fetchModels(network, config.target);
        if (!models.error.isEmpty())
            prepared.error = QCoreApplication::translate("ts::RunPipeline", "No model was given, and the server's model list is not available: %1").arg(models.error);
        else if (models.models.isEmpty())
            prepared.error = QCoreApplication::translate("ts::RunPipeline", "No model was given, and the server lists none. Name the model to test.");
        else
            config.target.model = models.models.constFirst();
        prepared.serverError = !prepared.error.isEmpty();
    }
    if (config.tokenizerId.isEmpty())
        config.tokenizerId = config.target.model;
    // The server's endpoint, when it counts below, replaces the estimate.
    config.tokenizerSource = plan.tokenizerPath.isEmpty() ? QStringLiteral("estimate") : QStringLiteral("local");
    prepared.config = config;
    prepared.cancelled = control->isCancelled();
    if (!prepared.ok())
        co_return prepared;

    if (plan.sweep)
        plan.sweep->base = config;
    auto workload = std::make_shared<Workload>();
    // A named future: GCC 12 mishandles temporaries inside a co_await expression.
    QFuture<void> done = inWorkerThread([plan, control, workload] { buildWorkload(plan, *control, *workload); });
    co_await done;

    prepared.cancelled = control->isCancelled();
    prepared.error = prepared.cancelled ? QString() : workload->error;
    if (!prepared.ok())
        co_return prepared;
    prepared.tokenizer = workload->tokenizer;
    prepared.warnings = std::move(workload->warnings);
    if (!prepared.tokenizer && countsOnServer(plan)) {
        const QString why = co_await countOnServer(plan, config, network, control, workload->prompts);
        prepared.cancelled = control->isCancelled();
        if (prepared.cancelled)
            co_return prepared;
        if (!why.isEmpty())
            prepared.warnings.append(why);
    }
    prepared.config = config;
    if (plan.sweep) {
        SweepConfig sweep = std::move(*plan.sweep);
        sweep.tokenizer = prepared.tokenizer;
        sweep.journalDirectory = plan.journalDirectory;
        sweep.promptSource = isFileDataset(plan.dataset.name) ? promptsFromPool(std::move(workload->prompts))
                                                               : promptsFromDataset(plan.dataset, prepared.tokenizer);
        prepared.sweep = std::move(sweep);
    } else {
        prepared.prompts = std::move(workload->prompts);
        prepared.conversations = std::move(workload->conversations);
    }
    co_return prepared;
}

BenchmarkRunner *createRunner(PreparedRun &&prepared, QObject *parent)
{
    auto *runner = prepared.config.multiTurn
        ? new BenchmarkRunner(prepared.config, std::move(prepared.conversations), parent)
        : new BenchmarkRunner(prepared.config, std::move(prepared.prompts), parent);
    runner->setTokenizer(std::move(prepared.tokenizer));
    if (!prepared.journalDirectory.isEmpty())
        runner->setJournalDirectory(prepared.journalDirectory);
    return runner;
}

} // namespace ts
