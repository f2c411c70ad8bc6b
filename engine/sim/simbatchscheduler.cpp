#include "sim/simbatchscheduler.h"

#include "core/clock.h"
#include "sim/simtokenizer.h"

#include <algorithm>
#include <cmath>

namespace ts::sim {

namespace {
// When the event loop falls this far behind the simulated clock, resynchronise instead of
// running steps back to back to catch up.
constexpr std::int64_t kResyncNs = 20'000'000;

template <typename C>
bool eraseOne(C &c, Sequence *seq)
{
    const auto it = std::find(c.begin(), c.end(), seq);
    if (it == c.end())
        return false;
    c.erase(it);
    return true;
}
} // namespace

BatchingScheduler::BatchingScheduler(const SimServerConfig &config, SequenceSink &sink, Stats &stats)
    : m_config(config)
    , m_sink(sink)
    , m_stats(stats)
{
    QObject::connect(&m_timer, &DeadlineTimer::expired, &m_timer, [this] { onStepEnd(); });
}

void BatchingScheduler::submit(Sequence *seq)
{
    seq->prefillTarget = std::max(1, seq->promptTokens);
    seq->prefilled = 0;
    seq->kvTokens = 0;
    m_waiting.push_back(seq);
    publish();
    if (!m_stepActive)
        startStep(monotonicNs());
}

void BatchingScheduler::cancel(Sequence *seq)
{
    eraseOne(m_emitters, seq);
    if (eraseOne(m_running, seq)) {
        m_kvUsed -= seq->kvTokens;
        seq->kvTokens = 0;
    } else {
        eraseOne(m_waiting, seq);
    }
    publish();
}

void BatchingScheduler::publish()
{
    m_stats.kvCacheUsage.store(std::min(1.0, double(m_kvUsed) / double(m_config.kvCacheTokens)),
                               std::memory_order_relaxed);
    m_stats.setQueue(int(m_running.size()), int(m_waiting.size()));
}

void BatchingScheduler::preemptForDecode()
{
    auto decoding = [this] {
        return qint64(std::count_if(m_running.begin(), m_running.end(),
                                    [](const Sequence *s) { return s->prefilled >= s->prefillTarget; }));
    };
    while (m_running.size() > 1 && m_kvUsed + decoding() > m_config.kvCacheTokens) {
        Sequence *victim = m_running.back();
        m_running.pop_back();
        m_kvUsed -= victim->kvTokens;
        victim->kvTokens = 0;
        // Recompute: its prompt and what it generated so far are prefilled again.
        victim->prefillTarget = std::max(1, victim->promptTokens + victim->generated);
        victim->prefilled = 0;
        m_waiting.push_front(victim);
        m_stats.preemptions.fetch_add(1, std::memory_order_relaxed);
    }
}

int BatchingScheduler::prefillChunk(Sequence *seq, int &budget)
{
    const int chunk = std::min(seq->prefillTarget - seq->prefilled, budget);
    if (chunk <= 0)
        return 0;
    seq->prefilled += chunk;
    budget -= chunk;
    if (seq->prefilled >= seq->prefillTarget)
        m_emitters.push_back(seq);
    return chunk;
}

void BatchingScheduler::startStep(std::int64_t startNs)
{
    preemptForDecode();
    m_emitters.clear();
    int budget = m_config.maxNumBatchedTokens;
    int seqsInStep = 0;
    qint64 prefillTokens = 0;

    for (Sequence *s : m_running) {
        if (s->prefilled >= s->prefillTarget) {
            m_emitters.push_back(s);
            --budget;
            ++seqsInStep;
        }
    }
    for (Sequence *s : m_running) {
        if (s->prefilled < s->prefillTarget && budget > 0) {
            prefillTokens += prefillChunk(s, budget);
            ++seqsInStep;
        }
    }
    while (!m_waiting.empty() && int(m_running.size()) < m_config.maxNumSeqs && budget > 0) {
        Sequence *s = m_waiting.front();
        // The whole prompt is reserved at admission, so a prefill is never cut off midway.
        if (m_kvUsed + s->prefillTarget > m_config.kvCacheTokens)
            break;
        m_waiting.pop_front();
        m_running.push_back(s);
        s->kvTokens = s->prefillTarget;
        m_kvUsed += s->kvTokens;
        prefillTokens += prefillChunk(s, budget);
        ++seqsInStep;
    }

    publish();
    if (seqsInStep == 0) {
        m_stepActive = false;
        m_timer.disarm();
        return;
    }

    double ms = m_config.baseStepMs + m_config.perSeqStepMs * seqsInStep
        + 1000.0 * double(prefillTokens) / m_config.prefillTokensPerSecond;
    if (m_config.jitter > 0.0) {
        const double u = unitFromHash(mix64(m_config.seed ^ 0xbb67ae8584caa73bULL ^ m_stepIndex));
        ms *= 1.0 + m_config.jitter * (2.0 * u - 1.0);
    }
    ++m_stepIndex;
    m_stepActive = true;
    m_stepEndNs = startNs + std::llround(ms * 1e6);
    m_timer.arm(m_stepEndNs);
}

void BatchingScheduler::onStepEnd()
{
    const std::int64_t deadline = m_stepEndNs;
    std::vector<Sequence *> done;
    // The sink never calls back into the scheduler while tokens are emitted.
    for (Sequence *s : m_emitters) {
        ++s->generated;
        ++s->kvTokens;
        ++m_kvUsed;
        m_sink.emitToken(*s, deadline);
        if (s->generated >= s->targetTokens)
            done.push_back(s);
    }
    m_emitters.clear();
    for (Sequence *s : done) {
        eraseOne(m_running, s);
        m_kvUsed -= s->kvTokens;
        s->kvTokens = 0;
    }
    publish();
    // Still "in a step" here, so sequences submitted from these callbacks only queue up.
    for (Sequence *s : done)
        m_sink.sequenceFinished(*s);

    const std::int64_t now = monotonicNs();
    startStep(now - deadline > kResyncNs ? now : deadline);
}

} // namespace ts::sim
