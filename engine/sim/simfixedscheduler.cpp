#include "sim/simfixedscheduler.h"

#include "core/clock.h"
#include "sim/simtokenizer.h"

#include <algorithm>
#include <cmath>

namespace ts::sim {

namespace {
// Tokens written per timer expiry before the event loop gets a turn (matters with ITL 0).
constexpr int kMaxWritesPerExpiry = 4096;

// With many streams, deadlines a few microseconds apart would each wake the event loop, and
// every wake-up polls every socket. So the timer waits a little past the earliest deadline
// and serves all that fell due meanwhile: never early, late by at most this window, which
// grows with the number of streams (0.25 us each) up to 0.5 ms.
std::int64_t coalesceWindowNs(std::size_t liveStreams)
{
    return std::min<std::int64_t>(std::int64_t(liveStreams) * 250, 500'000);
}
}

FixedLatencyScheduler::FixedLatencyScheduler(const SimServerConfig &config, SequenceSink &sink, Stats &stats)
    : m_config(config)
    , m_sink(sink)
    , m_stats(stats)
{
    QObject::connect(&m_timer, &DeadlineTimer::expired, &m_timer, [this] { onExpired(); });
}

std::int64_t FixedLatencyScheduler::scaled(double ms, const Sequence &seq, int position) const
{
    double factor = 1.0;
    if (m_config.jitter > 0.0) {
        const double u = unitFromHash(mix64(seq.seed ^ 0x6a09e667f3bcc908ULL ^ std::uint64_t(position)));
        factor += m_config.jitter * (2.0 * u - 1.0);
    }
    return std::llround(ms * factor * 1e6);
}

void FixedLatencyScheduler::submit(Sequence *seq)
{
    // From the request's arrival, not from when this thread got round to it.
    seq->startNs = seq->arrivalNs > 0 ? std::min(seq->arrivalNs, monotonicNs()) : monotonicNs();
    m_live.emplace(seq->serial, seq);
    m_heap.push({seq->startNs + scaled(m_config.ttftMs, *seq, 0), seq->serial});
    publish();
    if (!m_inExpiry)
        rearm();
}

void FixedLatencyScheduler::cancel(Sequence *seq)
{
    // Its heap entry stays and is skipped when it comes up.
    if (m_live.erase(seq->serial) > 0)
        publish();
}

void FixedLatencyScheduler::publish()
{
    m_stats.setQueue(int(m_live.size()), 0);
}

void FixedLatencyScheduler::rearm()
{
    while (!m_heap.empty() && !m_live.count(m_heap.top().serial))
        m_heap.pop();
    if (m_heap.empty())
        m_timer.disarm();
    else if (const std::int64_t at = m_heap.top().deadlineNs + coalesceWindowNs(m_live.size());
             !m_timer.isArmed() || m_timer.deadline() > at)
        m_timer.arm(at);
}

void FixedLatencyScheduler::onExpired()
{
    m_inExpiry = true;
    std::vector<Sequence *> done;
    std::int64_t now = monotonicNs();
    int writes = 0;
    while (!m_heap.empty() && m_heap.top().deadlineNs <= now && writes < kMaxWritesPerExpiry) {
        const Entry e = m_heap.top();
        m_heap.pop();
        const auto it = m_live.find(e.serial);
        if (it == m_live.end())
            continue;
        Sequence *seq = it->second;
        ++seq->generated;
        m_sink.emitToken(*seq, e.deadlineNs);
        if (seq->generated >= seq->targetTokens) {
            m_live.erase(it);
            done.push_back(seq);
        } else {
            // From the previous deadline, not from now, so lateness never accumulates.
            m_heap.push({e.deadlineNs + scaled(m_config.itlMs, *seq, seq->generated), e.serial});
        }
        if ((++writes & 63) == 0)
            now = monotonicNs();
    }
    if (!done.empty())
        publish();
    for (Sequence *seq : done)
        m_sink.sequenceFinished(*seq);
    m_inExpiry = false;
    rearm();
}

} // namespace ts::sim
