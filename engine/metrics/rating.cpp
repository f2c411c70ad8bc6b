#include "metrics/rating.h"

#include <QCoreApplication>

namespace ts {

namespace {

Rating lowerIsBetter(double value, double excellent, double good)
{
    if (value < excellent)
        return Rating::Excellent;
    if (value < good)
        return Rating::Good;
    return Rating::NeedsWork;
}

Rating higherIsBetter(double value, double excellent, double good)
{
    if (value > excellent)
        return Rating::Excellent;
    if (value > good)
        return Rating::Good;
    return Rating::NeedsWork;
}

} // namespace

Rating rateTtft(double ms, const RatingThresholds &t)
{
    return lowerIsBetter(ms, t.ttftExcellentMs, t.ttftGoodMs);
}

Rating rateTpot(double ms, const RatingThresholds &t)
{
    return lowerIsBetter(ms, t.tpotExcellentMs, t.tpotGoodMs);
}

Rating rateRequestThroughput(double requestsPerS, const RatingThresholds &t)
{
    return higherIsBetter(requestsPerS, t.throughputExcellent, t.throughputGood);
}

Rating rateSuccessRate(double percent, const RatingThresholds &t)
{
    return higherIsBetter(percent, t.successExcellentPercent, t.successGoodPercent);
}

QString ratingName(Rating rating)
{
    switch (rating) {
    case Rating::Excellent:
        return QCoreApplication::translate("ts::Rating", "Excellent");
    case Rating::Good:
        return QCoreApplication::translate("ts::Rating", "Good");
    case Rating::NeedsWork:
        return QCoreApplication::translate("ts::Rating", "Needs work");
    }
    return {};
}

} // namespace ts
