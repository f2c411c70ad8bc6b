#pragma once

#include <QMutex>

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

namespace ts {

// A request the network has right now, as a live timeline draws it.
struct InFlightRequest
{
    int index = -1;                 // position in the workload (RequestRecord::index)
    double startTime = 0.0;         // sent, seconds since the measured part began
    double queueTime = 0.0;         // waited for a concurrency slot and the transport's turn
    std::optional<double> ttft;     // first content, seconds since sent; none before it came
    int contentChunks = 0;          // content chunks received so far
};

class InFlightEntry;

// The measured requests in flight, for polling from any thread (a few times a second, not per
// chunk). Transport threads take the lock once when a request goes out and once when it ends;
// per chunk they only store two counters, so a poll never slows the reading of a stream.
class InFlightRegistry
{
public:
    InFlightRegistry() = default;
    InFlightRegistry(const InFlightRegistry &) = delete;
    InFlightRegistry &operator=(const InFlightRegistry &) = delete;

    // The requests in flight now, by index. Any thread.
    std::vector<InFlightRequest> snapshot() const;
    int count() const;

private:
    friend class InFlightEntry;
    void add(InFlightEntry *entry);
    void remove(InFlightEntry *entry);

    mutable QMutex m_mutex;
    std::vector<InFlightEntry *> m_entries;   // guarded by m_mutex
};

// One request's live state: created by its transport thread when the request has gone out,
// listed in registry (when there is one) until destroyed.
class InFlightEntry
{
public:
    InFlightEntry(InFlightRegistry *registry, int index, std::int64_t sentNs, double startTime, double queueTime);
    ~InFlightEntry();
    InFlightEntry(const InFlightEntry &) = delete;
    InFlightEntry &operator=(const InFlightEntry &) = delete;

    // After each read of the reply: cheap, no lock.
    void update(std::int64_t firstContentNs, int contentChunks)
    {
        m_firstContentNs.store(firstContentNs, std::memory_order_relaxed);
        m_contentChunks.store(contentChunks, std::memory_order_relaxed);
    }

private:
    friend class InFlightRegistry;
    InFlightRequest read() const;

    InFlightRegistry *m_registry;
    const int m_index;
    const std::int64_t m_sentNs;
    const double m_startTime;
    const double m_queueTime;
    std::atomic<std::int64_t> m_firstContentNs { 0 };
    std::atomic<int> m_contentChunks { 0 };
    std::size_t m_slot = 0;   // position in the registry's list, guarded by its mutex
};

} // namespace ts
