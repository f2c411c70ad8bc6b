#pragma once

#include "metrics/benchmarkmetrics.h"
#include "metrics/rating.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace ts {

// The verdicts on the four headline metrics; nullopt where a run has nothing to rate (no
// successful request for TTFT, no request with two tokens or more for TPOT).
struct HeadlineRatings
{
    std::optional<Rating> ttft;
    std::optional<Rating> tpot;
    std::optional<Rating> requestThroughput;
    std::optional<Rating> successRate;
};

HeadlineRatings rateHeadlineMetrics(const BenchmarkMetrics &metrics, const RatingThresholds &thresholds);

// What to look at, one hint per problem ("<b>What is wrong.</b> Why, and what to try."), in
// the current language (context "ts::RatingHints"). The results panel and the report show
// the same advice. A TPOT hint also comes when the ITL spread is wider than its mean.
QStringList ratingHints(const BenchmarkMetrics &metrics, const HeadlineRatings &ratings);
// The sentence shown instead when ratingHints() is empty.
QString ratingNoHintText(const HeadlineRatings &ratings);
// The sentence shown before there is a result.
QString ratingNoResultText();

} // namespace ts
