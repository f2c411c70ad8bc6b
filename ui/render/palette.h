#pragma once

#include <QColor>

namespace ts {

// The colours every view of a request uses (timeline, anatomy, report), so that "waiting for
// the first token" or "a slow gap" looks the same wherever a learner meets it.
namespace palette {
QColor queueWait();      // waiting for a concurrency slot
QColor firstTokenWait(); // sent, waiting for the first token (TTFT)
QColor decode();         // generating, between chunks
QColor itlFast();        // a gap below the first ITL threshold
QColor itlMedium();      // between the two thresholds
QColor itlSlow();        // at or above the second threshold
QColor failed();
QColor inFlight();
QColor highlight();      // requests picked out by a metric, a selection
QColor reasoning();      // a reasoning model thinking, before its first answer chunk
// The colour of one inter-token gap against the two thresholds (vLLM's timeline: 25 and 50 ms).
QColor itlColor(double gapMs, double mediumFromMs, double slowFromMs);
} // namespace palette

} // namespace ts
