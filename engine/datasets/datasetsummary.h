#pragma once

#include "core/benchmarkconfig.h"

#include <vector>

namespace ts {

// What a dataset preview shows: how many prompts, and how their input and output lengths are
// spread (equal-width histograms).
struct LengthHistogram
{
    int minimum = 0;
    int maximum = 0;
    double mean = 0;
    double binWidth = 0;            // bins[i] counts lengths in [minimum + i*w, minimum + (i+1)*w)
    std::vector<int> bins;
};

struct DatasetSummary
{
    int count = 0;
    LengthHistogram input;
    LengthHistogram output;
};

DatasetSummary summarizePrompts(const std::vector<PromptSpec> &prompts, int binCount = 20);

} // namespace ts
