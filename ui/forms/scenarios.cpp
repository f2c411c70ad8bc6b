#include "forms/scenarios.h"

#include <QCoreApplication>

#include <limits>

namespace ts {

namespace {

struct Numbers
{
    const char *id;
    int numPrompts;
    int inputLen;
    int outputLen;
    double rangeRatio;
    double requestRate;     // 0 = inf
    int maxConcurrency;     // 0 = no limit
};

// The guide's command lines. Its realistic scenario replays ShareGPT conversations; until
// datasets can be loaded, random prompts whose lengths vary by ±50% stand in for them.
constexpr Numbers numbers[] = {
    { "basic", 10, 100, 50, 0.0, 0.0, 0 },
    { "baseline", 1000, 512, 128, 0.0, 0.0, 0 },
    { "stress", 1000, 512, 128, 0.0, 50.0, 100 },
    { "realistic", 500, 256, 256, 0.5, 10.0, 0 },
};

} // namespace

QList<Scenario> scenarios()
{
    return {
        { QStringLiteral("basic"),
          QCoreApplication::translate("ts::Scenarios", "Basic function test"),
          QCoreApplication::translate("ts::Scenarios", "Checks that the server answers at all: 10 requests, 100 input and 50 output tokens, sent at once.") },
        { QStringLiteral("baseline"),
          QCoreApplication::translate("ts::Scenarios", "Performance baseline"),
          QCoreApplication::translate("ts::Scenarios", "Sets a reference to compare later changes with: 1000 requests, 512 input and 128 output tokens, sent at once.") },
        { QStringLiteral("stress"),
          QCoreApplication::translate("ts::Scenarios", "Concurrency stress test"),
          QCoreApplication::translate("ts::Scenarios", "Shows how the server copes with many users: 1000 requests at 50 per second, at most 100 at a time, 512 input and 128 output tokens.") },
        { QStringLiteral("realistic"),
          QCoreApplication::translate("ts::Scenarios", "Realistic scenario"),
          QCoreApplication::translate("ts::Scenarios", "Imitates everyday use: 500 requests arriving at 10 per second. With random prompts their lengths vary around 256 tokens; choose ShareGPT conversations as the dataset to replay real chats, as the guide does.") },
    };
}

bool applyScenario(const QString &id, BenchmarkConfig &config)
{
    for (const Numbers &n : numbers) {
        if (id != QLatin1String(n.id))
            continue;
        // The realistic scenario keeps a dataset file the user chose (ShareGPT, as in the guide).
        const bool keepFile = id == QLatin1String("realistic") && config.datasetName != QLatin1String("random")
            && config.datasetName != QLatin1String("prefix_repetition");
        if (!keepFile)
            config.datasetName = QStringLiteral("random");
        config.random = RandomDatasetConfig();
        config.random.inputLen = n.inputLen;
        config.random.outputLen = n.outputLen;
        config.random.rangeRatio = n.rangeRatio;
        const std::uint64_t seed = config.load.seed;
        config.load = LoadConfig();
        config.load.seed = seed;
        config.load.numPrompts = n.numPrompts;
        config.load.requestRate = n.requestRate > 0 ? n.requestRate : std::numeric_limits<double>::infinity();
        config.load.maxConcurrency = n.maxConcurrency;
        return true;
    }
    return false;
}

} // namespace ts
