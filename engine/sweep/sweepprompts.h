#pragma once

#include "datasets/dataset.h"
#include "sweep/sweepconfig.h"

#include <memory>
#include <vector>

namespace ts {

class Tokenizer;

// The requests all levels of a sweep send together (sum of promptsForLevel over the levels).
int plannedPrompts(const SweepConfig &config);

// Each level takes the next numPrompts prompts of the pool, from the start again when it runs
// out; so, while the pool lasts, no level repeats a prompt of an earlier one and a server's
// prefix cache cannot serve it. For file datasets (sharegpt, sonnet, custom) loaded once with
// loadDataset() and plannedPrompts() prompts.
SweepPromptSource promptsFromPool(std::vector<PromptSpec> pool);

// Builds each level's prompts with loadDataset(), with the level's count and seed: for the
// synthetic datasets (random, prefix_repetition).
SweepPromptSource promptsFromDataset(DatasetConfig dataset, std::shared_ptr<const Tokenizer> tokenizer);

// Whether a dataset is read from a file (and so better loaded once for the whole sweep).
bool isFileDataset(const QString &name);

} // namespace ts
