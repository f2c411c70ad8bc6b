#pragma once

#include "sim/simconfig.h"
#include "sim/simsequence.h"
#include "sim/simtimer.h"

#include <queue>
#include <unordered_map>
#include <vector>

namespace ts::sim {

// Exact timing: token k of a sequence is due at start + ttft + k * itl (each gap optionally
// jittered). All sequences share one deadline heap and one timer.
class FixedLatencyScheduler final : public Scheduler
{
public:
    FixedLatencyScheduler(const SimServerConfig &config, SequenceSink &sink, Stats &stats);

    void submit(Sequence *seq) override;
    void cancel(Sequence *seq) override;

private:
    struct Entry
    {
        std::int64_t deadlineNs;
        std::uint64_t serial;
        bool operator>(const Entry &o) const
        {
            return deadlineNs != o.deadlineNs ? deadlineNs > o.deadlineNs : serial > o.serial;
        }
    };

    void onExpired();
    void rearm();
    void publish();
    std::int64_t scaled(double ms, const Sequence &seq, int position) const;

    SimServerConfig m_config;
    SequenceSink &m_sink;
    Stats &m_stats;
    DeadlineTimer m_timer;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> m_heap;
    std::unordered_map<std::uint64_t, Sequence *> m_live;
    bool m_inExpiry = false;
};

} // namespace ts::sim
