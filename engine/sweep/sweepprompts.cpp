#include "sweep/sweepprompts.h"

#include "tokenizer/tokenizer.h"

#include <QCoreApplication>

namespace ts {

int plannedPrompts(const SweepConfig &config)
{
    qint64 total = 0;
    for (double level : config.levels)
        total += config.promptsForLevel(level);
    return int(std::min<qint64>(total, 100000000));
}

SweepPromptSource promptsFromPool(std::vector<PromptSpec> pool)
{
    // Shared, so copies of the config (in SweepResult) do not copy the pool; the offset moves
    // on with every level.
    struct Pool
    {
        std::vector<PromptSpec> prompts;
        std::size_t next = 0;
    };
    auto shared = std::make_shared<Pool>(Pool { std::move(pool), 0 });
    return [shared](int, int numPrompts, std::uint64_t, QString *error) {
        std::vector<PromptSpec> out;
        if (shared->prompts.empty()) {
            if (error)
                *error = QCoreApplication::translate("ts::Sweep", "The dataset gave no prompts.");
            return out;
        }
        out.reserve(std::size_t(std::max(numPrompts, 0)));
        for (int i = 0; i < numPrompts; ++i) {
            out.push_back(shared->prompts[shared->next]);
            shared->next = (shared->next + 1) % shared->prompts.size();
        }
        return out;
    };
}

SweepPromptSource promptsFromDataset(DatasetConfig dataset, std::shared_ptr<const Tokenizer> tokenizer)
{
    return [dataset, tokenizer](int, int numPrompts, std::uint64_t seed, QString *error) {
        DatasetConfig d = dataset;
        d.numPrompts = numPrompts;
        d.seed = seed;
        QString problem;
        std::optional<DatasetResult> result = loadDataset(d, tokenizer.get(), &problem);
        if (!result || result->prompts.empty()) {
            if (error)
                *error = problem.isEmpty() ? QCoreApplication::translate("ts::Sweep", "The dataset gave no prompts.") : problem;
            return std::vector<PromptSpec>();
        }
        return std::move(result->prompts);
    };
}

bool isFileDataset(const QString &name)
{
    return name == QLatin1String("sharegpt") || name == QLatin1String("sonnet") || name == QLatin1String("custom");
}

} // namespace ts
