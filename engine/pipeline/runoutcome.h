#pragma once

#include <QString>

namespace ts {

struct RunResult;

// How a run ended, decided once for the window and the command line: the window words it for
// its panel, the command line turns it into an exit code. The first kind that applies wins.
struct RunOutcome
{
    enum Kind {
        Error,            // the run could not take place or go on (message says why)
        NothingMeasured,  // stopped before any request finished
        Stopped,          // stopped by the user; what finished is kept
        AllFailed,        // every request failed (message: the first one's reason)
        SomeFailed,       // finished, `failed` requests failed
        ClientBusy,       // finished, but the client's own threads were near saturation
        Finished,
    };
    Kind kind = Finished;
    qsizetype measured = 0;        // requests that finished, failed or not
    qsizetype failed = 0;
    int clientLoadPercent = 0;     // the transport threads' load; see clientThreadLoad()
    QString message;               // Error and AllFailed, translated

    // Whether the run gave results worth keeping and showing.
    bool hasResults() const { return measured > 0; }
};

RunOutcome outcomeOf(const RunResult &result);

} // namespace ts
