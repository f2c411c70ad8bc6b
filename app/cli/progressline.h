#pragma once

#include "load/benchmarkrunner.h"

namespace ts::cli {

// A one-line progress bar on stderr, redrawn in place, only when stderr is a terminal.
class ProgressLine
{
public:
    explicit ProgressLine(bool enabled);
    void update(const RunProgress &progress);
    // While the dataset is read: done of total, in the dataset's units.
    void updatePreparation(qint64 done, qint64 total);
    void finish();

private:
    bool m_enabled;
    bool m_drawn = false;
};

} // namespace ts::cli
