#pragma once

#include <QString>

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace ts {

// Summary of one metric over a run, computed the way vLLM's serving benchmark does it with
// numpy: pairwise-summed mean, median, population standard deviation and percentiles with
// linear interpolation. An empty list reports 0 everywhere (vLLM's `np.mean(x or 0)`).
struct MetricSummary
{
    double mean = 0.0;
    double median = 0.0;
    double std = 0.0;
    std::vector<std::pair<double, double>> percentiles;   // (p in 0..100, value)
    int count = 0;

    // The value stored for percentile p, if it was computed.
    std::optional<double> valueAt(double p) const;
    // Every value multiplied by factor (e.g. seconds -> milliseconds).
    MetricSummary scaled(double factor) const;
};

MetricSummary summarize(std::vector<double> values, const std::vector<double> &percentiles);

// numpy.percentile(sorted, p) with the default "linear" method: index = p/100 * (n-1).
// sorted must be in ascending order; an empty list gives 0.
double percentile(const std::vector<double> &sorted, double p);

// numpy's sum of float64 (pairwise summation), so means agree with vLLM's to the last bit.
double pairwiseSum(const double *values, std::size_t n);

// Python's str() of a float: shortest round-trip digits, "4.0" for integral values,
// "inf", "1e-05" / "1e+16" outside [1e-4, 1e16).
QString pythonFloatRepr(double value);

// How vLLM names a percentile in keys and labels: 99 -> "99", 99.9 -> "99.9", 50 -> "50".
QString percentileName(double p);

} // namespace ts
