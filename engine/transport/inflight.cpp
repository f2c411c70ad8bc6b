#include "transport/inflight.h"

#include "core/clock.h"

#include <algorithm>

namespace ts {

std::vector<InFlightRequest> InFlightRegistry::snapshot() const
{
    std::vector<InFlightRequest> requests;
    {
        QMutexLocker lock(&m_mutex);
        requests.reserve(m_entries.size());
        for (const InFlightEntry *entry : m_entries)
            requests.push_back(entry->read());
    }
    std::sort(requests.begin(), requests.end(),
              [](const InFlightRequest &a, const InFlightRequest &b) { return a.index < b.index; });
    return requests;
}

int InFlightRegistry::count() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_entries.size());
}

void InFlightRegistry::add(InFlightEntry *entry)
{
    QMutexLocker lock(&m_mutex);
    entry->m_slot = m_entries.size();
    m_entries.push_back(entry);
}

void InFlightRegistry::remove(InFlightEntry *entry)
{
    QMutexLocker lock(&m_mutex);
    // The last entry takes the leaving one's place: O(1), and the order does not matter here.
    InFlightEntry *last = m_entries.back();
    m_entries[entry->m_slot] = last;
    last->m_slot = entry->m_slot;
    m_entries.pop_back();
}

InFlightEntry::InFlightEntry(InFlightRegistry *registry, int index, std::int64_t sentNs, double startTime,
                             double queueTime)
    : m_registry(registry), m_index(index), m_sentNs(sentNs), m_startTime(startTime), m_queueTime(queueTime)
{
    if (m_registry)
        m_registry->add(this);
}

InFlightEntry::~InFlightEntry()
{
    if (m_registry)
        m_registry->remove(this);
}

InFlightRequest InFlightEntry::read() const
{
    InFlightRequest r;
    r.index = m_index;
    r.startTime = m_startTime;
    r.queueTime = m_queueTime;
    const std::int64_t first = m_firstContentNs.load(std::memory_order_relaxed);
    if (first != 0)
        r.ttft = nsToSeconds(first - m_sentNs);
    r.contentChunks = m_contentChunks.load(std::memory_order_relaxed);
    return r;
}

} // namespace ts
