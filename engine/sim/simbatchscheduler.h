#pragma once

#include "sim/simconfig.h"
#include "sim/simsequence.h"
#include "sim/simtimer.h"

#include <deque>
#include <vector>

namespace ts::sim {

// A continuous-batching engine in the manner of vLLM's V1 scheduler. Each step:
//  1. if the decoding sequences would overflow the KV cache, the most recently admitted
//     ones are preempted (back to the front of the queue, to be prefilled again later);
//  2. every decoding sequence takes one token of the step's budget (maxNumBatchedTokens);
//  3. partly prefilled sequences, then newly admitted ones (FIFO, while a slot is free and
//     the KV cache holds their prompt), take prefill chunks from what is left of the budget;
//  4. the step lasts baseStepMs + perSeqStepMs * sequences + prefill tokens / prefill speed;
//  5. when it ends, every decoding sequence and every sequence whose prefill just completed
//     emits one token, and the next step starts at once.
class BatchingScheduler final : public Scheduler
{
public:
    BatchingScheduler(const SimServerConfig &config, SequenceSink &sink, Stats &stats);

    void submit(Sequence *seq) override;
    void cancel(Sequence *seq) override;

private:
    void startStep(std::int64_t startNs);
    void onStepEnd();
    void preemptForDecode();
    void publish();
    int prefillChunk(Sequence *seq, int &budget);

    SimServerConfig m_config;
    SequenceSink &m_sink;
    Stats &m_stats;
    DeadlineTimer m_timer;

    std::deque<Sequence *> m_waiting;
    std::vector<Sequence *> m_running;    // in admission order
    std::vector<Sequence *> m_emitters;   // get a token when the current step ends
    qint64 m_kvUsed = 0;
    bool m_stepActive = false;
    std::int64_t m_stepEndNs = 0;
    std::uint64_t m_stepIndex = 0;
};

} // namespace ts::sim
