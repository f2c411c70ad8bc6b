#include "views/anatomy.h"

#include "results/chunks.h"

#include <QCoreApplication>

#include <algorithm>
#include <limits>
#include <numeric>

namespace ts {

namespace {

constexpr double MsPerS = 1000.0;

QString itlList(const std::vector<double> &gapsMs, int limit)
{
    QStringList shown;
    const std::size_t listed = std::min(gapsMs.size(), std::size_t(std::max(limit, 1)));
    for (std::size_t i = 0; i < listed; ++i)
        shown << anatomyMs(gapsMs[i]);
    if (listed < gapsMs.size())
        shown << QCoreApplication::translate("ts::Anatomy", "… and %n more", nullptr, int(gapsMs.size() - listed));
    return shown.join(QStringLiteral(", "));
}

void describeFailure(const RequestRecord &record, double lastArrivalMs, RequestAnatomy &a)
{
    const QString reason = record.error.isEmpty() ? QCoreApplication::translate("ts::Anatomy", "no reason was recorded") : record.error;
    a.failureLine = record.httpStatus > 0
        ? QCoreApplication::translate("ts::Anatomy", "Failed (HTTP %1): %2").arg(record.httpStatus).arg(reason)
        : QCoreApplication::translate("ts::Anatomy", "Failed: %1").arg(reason);
    if (!a.hasFirstChunk) {
        a.measuredBeforeFailureLine = record.latency > 0.0
            ? QCoreApplication::translate("ts::Anatomy", "Before the failure: no content arrived; the request ended after %1 ms.").arg(anatomyMs(a.e2elMs))
            : QCoreApplication::translate("ts::Anatomy", "Before the failure: no content arrived.");
    } else {
        a.measuredBeforeFailureLine
            = QCoreApplication::translate("ts::Anatomy", "Before the failure: %n chunks arrived, the first after %1 ms, the last after %2 ms; the request ended after %3 ms.", nullptr, a.chunkCount)
                  .arg(anatomyMs(a.ttftMs), anatomyMs(lastArrivalMs), anatomyMs(a.e2elMs));
    }
    a.summaryLines << QCoreApplication::translate("ts::Anatomy", "A failed request counts in none of the summary's TTFT, TPOT, ITL or E2EL statistics, only in the number of failed requests.");
}

// Within this much of the first answer's arrival a chunk is that answer: the chunk times are
// summed from gaps, so they can differ from the measured TTFAT in the last bits.
constexpr double SameArrivalS = 1e-6;

void describeReasoning(const RequestRecord &record, const std::vector<Chunk> &chunks, RequestAnatomy &a)
{
    a.reasoning = true;
    a.ttfrtMs = record.ttfrt * MsPerS;
    a.reasoningTokens = record.reasoningTokens;
    if (record.ttfat >= 0.0)
        a.ttfatMs = record.ttfat * MsPerS;
    const double answerAt = record.ttfat >= 0.0 ? record.ttfat - SameArrivalS : std::numeric_limits<double>::infinity();
    a.reasoningChunks = int(std::count_if(chunks.begin(), chunks.end(), [answerAt](const Chunk &c) { return c.arrival < answerAt; }));
    a.ttfrtLine = QCoreApplication::translate("ts::Anatomy", "TTFRT = t(first reasoning chunk) − t(sent) = %1 ms").arg(anatomyMs(a.ttfrtMs));
    if (a.ttfatMs) {
        a.ttfatLine = QCoreApplication::translate("ts::Anatomy", "TTFAT = t(first answer chunk) − t(sent) = %1 ms").arg(anatomyMs(*a.ttfatMs));
        a.reasoningLine = QCoreApplication::translate("ts::Anatomy", "Reasoning: %n chunks, TTFAT − TTFRT = %1 ms before the answer began.", nullptr, a.reasoningChunks)
                              .arg(anatomyMs(*a.ttfatMs - a.ttfrtMs));
    } else {
        a.ttfatLine = QCoreApplication::translate("ts::Anatomy", "TTFAT: the model reasoned but no answer followed.");
        a.reasoningLine = QCoreApplication::translate("ts::Anatomy", "Reasoning: %n chunks.", nullptr, a.reasoningChunks);
    }
    if (record.reasoningTokens >= 0)
        a.reasoningLine += u' ' + QCoreApplication::translate("ts::Anatomy", "%n reasoning tokens, part of the n output tokens.", nullptr, record.reasoningTokens);
}

void describeSummary(RequestAnatomy &a)
{
    a.summaryLines << QCoreApplication::translate("ts::Anatomy", "TTFT and E2EL: one value per request; the summary's mean, median and percentiles are taken across requests.");
    if (a.tpotMs)
        a.summaryLines << QCoreApplication::translate("ts::Anatomy", "TPOT: one value per request (here %1 ms); its statistics are taken across requests.").arg(anatomyMs(*a.tpotMs));
    else
        a.summaryLines << QCoreApplication::translate("ts::Anatomy", "TPOT: this request adds no value; the statistics are taken across the requests with n > 1.");
    if (a.reasoning)
        a.summaryLines << QCoreApplication::translate("ts::Anatomy", "TTFRT and TTFAT: one value per request that reasoned; TTFT counts the first chunk of either kind, as vLLM does, so here it equals TTFRT.");
    a.summaryLines << QCoreApplication::translate("ts::Anatomy", "ITL: every gap of every request goes into one pool, as vLLM does (this request adds %n gaps), so a long answer weighs more in ITL than in TPOT.",
                                                  nullptr, int(a.itlMs.size()));
    // Servers that send several tokens per chunk make a gap span several tokens: the learner
    // otherwise wonders why the mean ITL and TPOT disagree.
    if (a.tpotMs && !a.itlMs.empty() && a.outputTokens != a.chunkCount) {
        a.summaryLines << QCoreApplication::translate("ts::Anatomy", "Here %1 tokens came in %2 chunks, so a gap is not one token apart: the mean ITL (%3 ms) differs from TPOT (%4 ms).")
                              .arg(a.outputTokens)
                              .arg(a.chunkCount)
                              .arg(anatomyMs(a.itlMeanMs), anatomyMs(*a.tpotMs));
    }
}

} // namespace

QString anatomyMs(double ms)
{
    return QString::number(ms, 'f', 1);
}

QString tokenCountSourceText(TokenCountSource source)
{
    switch (source) {
    case TokenCountSource::Server:
        return QCoreApplication::translate("ts::Anatomy", "as the server reported (usage)");
    case TokenCountSource::Tokenizer:
        return QCoreApplication::translate("ts::Anatomy", "counted with a tokenizer");
    case TokenCountSource::Chunks:
        return QCoreApplication::translate("ts::Anatomy", "estimated: one per streamed chunk");
    case TokenCountSource::Dataset:
        return QCoreApplication::translate("ts::Anatomy", "as the dataset asked for");
    }
    return {};
}

QStringList RequestAnatomy::formulaLines() const
{
    QStringList lines;
    for (const QString *line : { &failureLine, &measuredBeforeFailureLine, &ttftLine, &ttfrtLine, &ttfatLine,
                                 &reasoningLine, &tpotLine, &tokenCountLine, &itlLine, &itlStatsLine, &e2elLine }) {
        if (!line->isEmpty())
            lines << *line;
    }
    return lines;
}

RequestAnatomy anatomyOf(const RequestRecord &record, int itlListLimit)
{
    RequestAnatomy a;
    const std::vector<Chunk> chunks = chunksOf(record);
    a.success = record.success;
    a.hasFirstChunk = !chunks.empty();
    a.chunkCount = int(chunks.size());
    a.chunkTexts = hasChunkTexts(record);
    a.ttftMs = record.ttft * MsPerS;
    a.e2elMs = record.latency * MsPerS;
    a.outputTokens = record.outputTokens;
    a.outputTokenSource = record.outputTokenSource;
    a.itlMs.reserve(record.itl.size());
    for (double gap : record.itl)
        a.itlMs.push_back(gap * MsPerS);
    if (!a.itlMs.empty())
        a.itlMeanMs = std::accumulate(a.itlMs.begin(), a.itlMs.end(), 0.0) / double(a.itlMs.size());

    if (a.hasFirstChunk)
        a.ttftLine = QCoreApplication::translate("ts::Anatomy", "TTFT = t(first chunk) − t(sent) = %1 ms").arg(anatomyMs(a.ttftMs));
    else
        a.ttftLine = QCoreApplication::translate("ts::Anatomy", "TTFT: no content arrived, so there is no first token.");
    if (!a.itlMs.empty()) {
        a.itlLine = QCoreApplication::translate("ts::Anatomy", "ITL = [%1] ms").arg(itlList(a.itlMs, itlListLimit));
        a.itlStatsLine = QCoreApplication::translate("ts::Anatomy", "%n gaps between chunks, mean %1 ms", nullptr, int(a.itlMs.size())).arg(anatomyMs(a.itlMeanMs));
    } else if (a.hasFirstChunk) {
        a.itlLine = QCoreApplication::translate("ts::Anatomy", "ITL: no gaps, the answer came in a single chunk.");
    }

    if (record.ttfrt >= 0.0 && a.hasFirstChunk)
        describeReasoning(record, chunks, a);

    if (!record.success) {
        describeFailure(record, chunks.empty() ? 0.0 : chunks.back().arrival * MsPerS, a);
        return a;
    }

    if (record.outputTokens > 1) {
        a.tpotMs = record.tpot() * MsPerS;
        a.tpotLine = QCoreApplication::translate("ts::Anatomy", "TPOT = (E2EL − TTFT) / (n − 1) = (%1 − %2) / (%3 − 1) = %4 ms")
                         .arg(anatomyMs(a.e2elMs), anatomyMs(a.ttftMs))
                         .arg(record.outputTokens)
                         .arg(anatomyMs(*a.tpotMs));
    } else {
        a.tpotLine = QCoreApplication::translate("ts::Anatomy", "TPOT: none, as n = %1: with fewer than two tokens there is no time per further token (vLLM leaves the request out of TPOT).")
                         .arg(record.outputTokens);
    }
    a.tokenCountLine = QCoreApplication::translate("ts::Anatomy", "n = %n output tokens, %1.", nullptr, record.outputTokens).arg(tokenCountSourceText(record.outputTokenSource));
    a.e2elLine = QCoreApplication::translate("ts::Anatomy", "E2EL = t(last chunk) − t(sent) = %1 ms").arg(anatomyMs(a.e2elMs));
    describeSummary(a);
    return a;
}

} // namespace ts
