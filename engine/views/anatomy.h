#pragma once

#include "core/requestrecord.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace ts {

// One request taken apart the way the guide teaches the metrics: its own TTFT, TPOT, ITL
// and E2EL, each with the formula filled in with this request's numbers, and how each one
// enters the summary's mean, median and percentiles. Texts are in the current language
// (context "ts::Anatomy"); build the anatomy again after a language change.
struct RequestAnatomy
{
    bool success = false;
    bool hasFirstChunk = false;         // some content arrived (TTFT is defined)
    int chunkCount = 0;
    bool chunkTexts = false;            // each chunk's text was kept (see hasChunkTexts)

    double ttftMs = 0.0;
    double e2elMs = 0.0;
    int outputTokens = 0;               // n in the TPOT formula
    TokenCountSource outputTokenSource = TokenCountSource::Chunks;
    std::optional<double> tpotMs;       // none when n <= 1, as vLLM leaves it out
    std::vector<double> itlMs;          // every gap between chunks, in arrival order
    double itlMeanMs = 0.0;

    // Reasoning models, when the stream told reasoning apart: the first reasoningChunks chunks
    // (those before the first answer chunk) are the model thinking. TTFT is then TTFRT.
    bool reasoning = false;
    double ttfrtMs = 0.0;
    std::optional<double> ttfatMs;      // none when no answer followed the reasoning
    int reasoningChunks = 0;
    int reasoningTokens = -1;           // -1 when unknown
    bool isReasoningChunk(int index) const { return reasoning && index < reasoningChunks; }

    // The formula lines, in the order a reader meets the metrics.
    QString ttftLine;
    QString ttfrtLine;                  // reasoning requests only, as are the next two
    QString ttfatLine;
    QString reasoningLine;              // how long and how many tokens the reasoning took
    QString tpotLine;
    QString tokenCountLine;             // n and where it came from
    QString itlLine;                    // the gaps, shortened past the list limit
    QString itlStatsLine;               // how many gaps and their mean
    QString e2elLine;
    QString failureLine;                // failed requests: why; empty on success
    QString measuredBeforeFailureLine;  // failed requests: what arrived before the failure
    // How each figure becomes the summary's statistics across requests.
    QStringList summaryLines;

    QStringList formulaLines() const;   // every non-empty line above, in order
};

// itlListLimit: how many gaps the ITL line writes out before "… and k more".
RequestAnatomy anatomyOf(const RequestRecord &record, int itlListLimit = 12);

// "as the server reported (usage)" and friends: where a token count came from.
QString tokenCountSourceText(TokenCountSource source);

// A duration in milliseconds as the anatomy writes it: one decimal.
QString anatomyMs(double ms);

} // namespace ts
