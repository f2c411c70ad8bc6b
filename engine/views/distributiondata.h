#pragma once

#include <QList>
#include <QPointF>

#include <vector>

namespace ts {

// Equal-width bins from the smallest value up to a high percentile; the few values above it
// are counted in the last bin, so one outlier cannot squeeze every other bar into one.
struct Histogram
{
    double lower = 0.0;
    double binWidth = 0.0;
    std::vector<int> counts;
    int clipped = 0;            // values above the upper edge, included in the last bin

    double upper() const { return lower + binWidth * double(counts.size()); }
    int total() const;
    int maxCount() const;
    // The outline of the bars as a step line, for an area series.
    QList<QPointF> outline() const;
};

// O(n): uses nth_element, so it suits a live chart redrawn several times a second.
Histogram makeHistogram(std::vector<double> values, int bins = 40, double upperPercentile = 99.5);

// What a distribution chart shows for one metric.
struct Distribution
{
    Histogram histogram;
    QList<QPointF> cdf;         // (value, percent of values <= value), at most cdfPoints points
    int count = 0;
    double p50 = 0.0;
    double p99 = 0.0;
};

// O(n log n); build it off the GUI thread for large runs.
Distribution makeDistribution(std::vector<double> values, int bins = 40, int cdfPoints = 400);

} // namespace ts
