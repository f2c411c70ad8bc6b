#include "views/distributiondata.h"

#include "metrics/statistics.h"

#include <algorithm>
#include <cmath>

namespace ts {

int Histogram::total() const
{
    int sum = 0;
    for (int c : counts)
        sum += c;
    return sum;
}

int Histogram::maxCount() const
{
    return counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end());
}

QList<QPointF> Histogram::outline() const
{
    QList<QPointF> points;
    if (counts.empty())
        return points;
    points.reserve(qsizetype(counts.size()) * 2 + 2);
    points.append({ lower, 0.0 });
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const double left = lower + binWidth * double(i);
        points.append({ left, double(counts[i]) });
        points.append({ left + binWidth, double(counts[i]) });
    }
    points.append({ upper(), 0.0 });
    return points;
}

Histogram makeHistogram(std::vector<double> values, int bins, double upperPercentile)
{
    Histogram h;
    std::erase_if(values, [](double v) { return !std::isfinite(v); });
    if (values.empty() || bins < 1)
        return h;
    const double lowest = *std::min_element(values.begin(), values.end());
    const std::size_t k = std::min(values.size() - 1,
                                   std::size_t(std::ceil(upperPercentile / 100.0 * double(values.size() - 1))));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(k), values.end());
    double highest = values[k];
    // Start at zero when it costs little room: bars then read as distances from nothing.
    h.lower = lowest >= 0 && lowest < highest * 0.5 ? 0.0 : lowest;
    if (highest <= h.lower)
        highest = h.lower + std::max(1.0, std::abs(h.lower) * 0.1);
    h.binWidth = (highest - h.lower) / double(bins);
    h.counts.assign(std::size_t(bins), 0);
    for (double v : values) {
        auto bin = std::ptrdiff_t(std::floor((v - h.lower) / h.binWidth));
        if (bin >= bins) {
            if (v > highest)
                ++h.clipped;
            bin = bins - 1;
        }
        h.counts[std::size_t(std::max<std::ptrdiff_t>(0, bin))] += 1;
    }
    return h;
}

Distribution makeDistribution(std::vector<double> values, int bins, int cdfPoints)
{
    Distribution d;
    std::erase_if(values, [](double v) { return !std::isfinite(v); });
    d.count = int(values.size());
    if (values.empty())
        return d;
    std::sort(values.begin(), values.end());
    d.p50 = percentile(values, 50.0);
    d.p99 = percentile(values, 99.0);
    d.histogram = makeHistogram(values, bins);
    const double upper = d.histogram.upper();
    const std::size_t n = values.size();
    const std::size_t points = std::size_t(std::max(2, cdfPoints));
    const std::size_t step = std::max<std::size_t>(1, (n + points - 1) / points);
    for (std::size_t i = 0; i < n; i += step) {
        if (values[i] > upper)
            break;
        d.cdf.append({ values[i], 100.0 * double(i + 1) / double(n) });
    }
    const std::size_t lastShown = std::size_t(std::upper_bound(values.begin(), values.end(), upper) - values.begin());
    if (lastShown > 0)
        d.cdf.append({ values[lastShown - 1], 100.0 * double(lastShown) / double(n) });
    return d;
}

} // namespace ts
