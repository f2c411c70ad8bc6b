// The dataset readers on a file the user did not write. The first line names the reader,
// the rest is the file: "sharegpt", "conversations" (ShareGPT read as multi-turn scripts),
// "custom-jsonl", "custom-csv" or "sonnet". No tokenizer: lengths are estimated, which is
// the path every file takes before a tokenizer is chosen.

#include "fuzzsupport.h"

#include "datasets/dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto [tag, body] = ts::fuzz::splitTag(ts::fuzz::bytesOf(data, size));
    ts::DatasetConfig config;
    config.numPrompts = 8;
    config.seed = 1;
    QString fileName;
    if (tag == "sharegpt" || tag == "conversations") {
        config.name = QStringLiteral("sharegpt");
        fileName = QStringLiteral("dataset.json");
    } else if (tag == "custom-jsonl") {
        config.name = QStringLiteral("custom");
        fileName = QStringLiteral("dataset.jsonl");
    } else if (tag == "custom-csv") {
        config.name = QStringLiteral("custom");
        fileName = QStringLiteral("dataset.csv");
    } else if (tag == "sonnet") {
        config.name = QStringLiteral("sonnet");
        fileName = QStringLiteral("dataset.txt");
        config.sonnetInputLen = 60;
        config.sonnetPrefixLen = 20;
        config.sonnetOutputLen = 10;
    } else {
        return -1;
    }
    config.path = ts::fuzz::writeInput(fileName, body);

    QString error;
    if (tag == "conversations") {
        const auto scripts = ts::loadConversations(config, nullptr, &error);
        ts::fuzz::check(scripts || !error.isEmpty(), "conversations refused without a reason");
        return 0;
    }
    const auto result = ts::loadDataset(config, nullptr, &error);
    if (!result) {
        ts::fuzz::check(!error.isEmpty(), "a dataset refused without a reason");
        return 0;
    }
    ts::fuzz::check(result->recordsSkipped <= result->recordsRead, "more records skipped than read");
    for (const ts::PromptSpec &prompt : result->prompts)
        ts::fuzz::check(prompt.promptTokens >= 0, "a prompt with a negative length");
    return 0;
}
