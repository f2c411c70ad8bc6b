#pragma once

#include "views/boundedseries.h"
#include "load/benchmarkrunner.h"

#include <deque>
#include <vector>

namespace ts {

// What the live charts show, gathered from the runner's signals. Records and progress only
// update numbers here; sample() turns them into chart points at the redraw rate, so the cost
// of painting does not grow with the number of requests.
class LiveData
{
public:
    explicit LiveData(int linePoints = 600, int scatterPoints = 2000);

    // Forgets the run, its plan included.
    void clear();
    // The run's planned request rate, from its load configuration: constant at a finite rate
    // (until the last planned arrival, or the duration limit), the ramp's rate at each planned
    // arrival time, nothing for an infinite rate. Call after clear(), before the run's data.
    void setPlan(const LoadConfig &load);
    // A replayed trace's plan, known once its prompts are built: the planned send times in
    // seconds after the measured run began (the prompts' sendAtS times the time scale), as
    // requests per second over buckets of a second, wider when the trace is too long for
    // linePoints. Replaces the plan setPlan() made.
    void setPlannedSendTimes(std::vector<double> sendTimes);
    void addRecord(const RequestRecord &record);
    void addProgress(const RunProgress &progress);
    // Adds one point to each time series for the latest progress.
    void sample();

    // (time of the first token in s, TTFT in ms) of successful requests.
    const BoundedSeries &ttft() const { return m_ttft; }
    // Rolling median and P99 of the last TTFTs, over time.
    const BoundedSeries &ttftMedian() const { return m_ttftMedian; }
    const BoundedSeries &ttftP99() const { return m_ttftP99; }
    // (time of failure in s, 0).
    const BoundedSeries &failures() const { return m_failures; }
    const BoundedSeries &outputTokensPerSecond() const { return m_tokensPerS; }
    // Finished requests per second (successful and failed), over the last second or so.
    const BoundedSeries &requestsPerSecond() const { return m_requestsPerS; }
    // Requests sent per second, over the last second or so: what reached the server of what
    // the plan released; it falls behind the target when concurrency slots run out.
    const BoundedSeries &sentPerSecond() const { return m_sentPerS; }
    // (time in s, planned requests per second), at most about linePoints points.
    const QList<QPointF> &targetRate() const { return m_targetRate; }
    const BoundedSeries &inFlight() const { return m_inFlight; }
    const BoundedSeries &waiting() const { return m_waiting; }
    const std::vector<double> &tpotsMs() const { return m_tpotsMs; }

    double elapsed() const { return m_last.elapsed; }
    const RunProgress &lastProgress() const { return m_last; }
    double maxTtftMs() const { return m_maxTtftMs; }
    int failedCount() const { return m_failedCount; }

    // How many recent TTFTs the rolling median and P99 cover.
    static constexpr int rollingWindow = 100;

private:
    BoundedSeries m_ttft, m_ttftMedian, m_ttftP99, m_failures;
    BoundedSeries m_tokensPerS, m_requestsPerS, m_sentPerS, m_inFlight, m_waiting;
    QList<QPointF> m_targetRate;
    int m_linePoints;
    std::vector<double> m_tpotsMs;
    std::deque<double> m_recentTtftsMs;
    std::deque<RunProgress> m_history;
    RunProgress m_last;
    double m_maxTtftMs = 0.0;
    int m_failedCount = 0;
    bool m_newTtft = false;
};

} // namespace ts
