#include "datasets/datasetsummary.h"

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

LengthHistogram histogram(const std::vector<int> &values, int binCount)
{
    LengthHistogram h;
    if (values.empty() || binCount <= 0)
        return h;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    h.minimum = *lo;
    h.maximum = *hi;
    double sum = 0;
    for (int v : values)
        sum += v;
    h.mean = sum / double(values.size());
    // Never narrower than one token, so small ranges do not get empty fractional bins.
    const int range = h.maximum - h.minimum + 1;
    const int bins = std::min(binCount, range);
    h.binWidth = double(range) / bins;
    h.bins.assign(std::size_t(bins), 0);
    for (int v : values) {
        const int bin = std::min(bins - 1, int(std::floor((v - h.minimum) / h.binWidth)));
        ++h.bins[std::size_t(bin)];
    }
    return h;
}

} // namespace

DatasetSummary summarizePrompts(const std::vector<PromptSpec> &prompts, int binCount)
{
    DatasetSummary summary;
    summary.count = int(prompts.size());
    std::vector<int> input;
    std::vector<int> output;
    input.reserve(prompts.size());
    output.reserve(prompts.size());
    for (const PromptSpec &p : prompts) {
        input.push_back(p.promptTokens);
        output.push_back(p.expectedOutputTokens);
    }
    summary.input = histogram(input, binCount);
    summary.output = histogram(output, binCount);
    return summary;
}

} // namespace ts
