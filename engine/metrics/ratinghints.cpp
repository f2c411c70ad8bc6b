#include "metrics/ratinghints.h"

#include <QCoreApplication>

namespace ts {

HeadlineRatings rateHeadlineMetrics(const BenchmarkMetrics &m, const RatingThresholds &t)
{
    HeadlineRatings r;
    if (m.completed > 0) {
        r.ttft = rateTtft(m.ttftMs.mean, t);
        if (m.tpotMs.count > 0)
            r.tpot = rateTpot(m.tpotMs.mean, t);
    }
    if (m.total() > 0) {
        r.requestThroughput = rateRequestThroughput(m.requestThroughput, t);
        r.successRate = rateSuccessRate(m.successRatePercent(), t);
    }
    return r;
}

QStringList ratingHints(const BenchmarkMetrics &m, const HeadlineRatings &r)
{
    QStringList hints;
    if (r.ttft == Rating::NeedsWork)
        hints << QCoreApplication::translate("ts::RatingHints", "<b>The first token comes late.</b> Typical causes are a model that is still loading or warming up, too little GPU memory so that requests queue for space, or a slow network path. Send a few warm-up requests, lower the concurrency to see whether the time drops, give the server more memory, and check the network between client and server.");
    const bool unsteady = m.itlMs.count > 1 && m.itlMs.mean > 0 && m.itlMs.std > m.itlMs.mean;
    if (r.tpot == Rating::NeedsWork || unsteady)
        hints << QCoreApplication::translate("ts::RatingHints", "<b>Tokens stream slowly or unevenly.</b> This usually comes from an uneven load, fragmented memory or the server's scheduling. Try a smaller batch (fewer sequences at once), restart the server, and look at the ITL distribution: a wide spread means an unsteady stream.");
    if (r.requestThroughput == Rating::NeedsWork)
        hints << QCoreApplication::translate("ts::RatingHints", "<b>Few requests finish per second.</b> The test may not push hard enough, the hardware may be the limit, or the server's settings hold it back. Raise the maximum concurrency or the request rate, then compare: if the throughput no longer grows while the latency does, the server is at its limit.");
    if (r.successRate == Rating::NeedsWork)
        hints << QCoreApplication::translate("ts::RatingHints", "<b>Requests fail.</b> Open the Requests tab and tick “Failed only” to read the errors. Timeouts mean an overloaded server or a too short timeout; HTTP 4xx errors point to a wrong model name, endpoint or key; connection errors to a wrong address or a server that went down.");
    return hints;
}

QString ratingNoHintText(const HeadlineRatings &r)
{
    for (const std::optional<Rating> &rating : { r.ttft, r.tpot, r.requestThroughput, r.successRate }) {
        if (rating == Rating::Good)
            return QCoreApplication::translate("ts::RatingHints", "No headline metric needs work. Those rated good still have room: compare runs with more or less concurrency to see what moves them.");
    }
    return QCoreApplication::translate("ts::RatingHints", "All headline metrics are excellent against the thresholds above.");
}

QString ratingNoResultText()
{
    return QCoreApplication::translate("ts::RatingHints", "Run a test or open a result file to see its rating.");
}

} // namespace ts
