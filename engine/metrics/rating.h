#pragma once

#include <QString>

namespace ts {

// A coarse verdict against the reference values of the user guide (性能评估标准).
enum class Rating { Excellent, Good, NeedsWork };

// Editable limits. For "lower is better" metrics a value strictly below the excellent limit is
// Excellent, strictly below the good limit Good, anything else NeedsWork (the guide's grey zone
// between "good" and "needs work" counts as NeedsWork). For "higher is better" metrics a value
// strictly above the excellent limit is Excellent, strictly above the good limit Good.
struct RatingThresholds
{
    double ttftExcellentMs = 100.0;
    double ttftGoodMs = 200.0;
    double tpotExcellentMs = 50.0;
    double tpotGoodMs = 100.0;
    double throughputExcellent = 20.0;  // req/s
    double throughputGood = 10.0;
    double successExcellentPercent = 99.0;
    double successGoodPercent = 95.0;
};

Rating rateTtft(double ms, const RatingThresholds &t = {});
Rating rateTpot(double ms, const RatingThresholds &t = {});
Rating rateRequestThroughput(double requestsPerS, const RatingThresholds &t = {});
Rating rateSuccessRate(double percent, const RatingThresholds &t = {});

// Translated name of a rating, for display.
QString ratingName(Rating rating);

} // namespace ts
