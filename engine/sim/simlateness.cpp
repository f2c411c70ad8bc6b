#include "sim/simlateness.h"

#include <algorithm>
#include <bit>

namespace ts::sim {

int LatenessHistogram::bucketOf(std::uint64_t ns)
{
    if (ns < (std::uint64_t(1) << kMinShift))
        return 0;
    const int msb = 63 - std::countl_zero(ns);
    const int sub = int((ns >> (msb - kSubBits)) & ((1u << kSubBits) - 1));
    const int b = 1 + (msb - kMinShift) * (1 << kSubBits) + sub;
    return b < kBuckets ? b : kBuckets - 1;
}

double LatenessHistogram::bucketMidSeconds(int bucket)
{
    if (bucket == 0)
        return 0.5e-9 * double(1 << kMinShift);
    const int msb = (bucket - 1) / (1 << kSubBits) + kMinShift;
    const int sub = (bucket - 1) % (1 << kSubBits);
    const double width = double(std::uint64_t(1) << (msb - kSubBits));
    const double low = double(std::uint64_t(1) << msb) + sub * width;
    return (low + 0.5 * width) * 1e-9;
}

void LatenessHistogram::record(std::int64_t latenessNs)
{
    if (latenessNs < 0)
        latenessNs = 0;
    m_buckets[std::size_t(bucketOf(std::uint64_t(latenessNs)))].fetch_add(1, std::memory_order_relaxed);
    m_count.fetch_add(1, std::memory_order_relaxed);
    m_sumNs.fetch_add(latenessNs, std::memory_order_relaxed);
    if (latenessNs > 1000000)
        m_overOneMs.fetch_add(1, std::memory_order_relaxed);
    std::int64_t max = m_maxNs.load(std::memory_order_relaxed);
    while (latenessNs > max && !m_maxNs.compare_exchange_weak(max, latenessNs, std::memory_order_relaxed)) {
    }
}

SimLateness LatenessHistogram::snapshot() const
{
    SimLateness s;
    std::array<std::int64_t, kBuckets> counts {};
    std::int64_t total = 0;
    for (int i = 0; i < kBuckets; ++i) {
        counts[std::size_t(i)] = m_buckets[std::size_t(i)].load(std::memory_order_relaxed);
        total += counts[std::size_t(i)];
    }
    s.count = m_count.load(std::memory_order_relaxed);
    s.maxS = double(m_maxNs.load(std::memory_order_relaxed)) * 1e-9;
    s.meanS = s.count > 0 ? double(m_sumNs.load(std::memory_order_relaxed)) * 1e-9 / double(s.count) : 0.0;
    s.overOneMs = m_overOneMs.load(std::memory_order_relaxed);
    if (total == 0)
        return s;
    auto quantile = [&](double q) {
        const auto rank = std::int64_t(q * double(total - 1));
        std::int64_t seen = 0;
        for (int i = 0; i < kBuckets; ++i) {
            seen += counts[std::size_t(i)];
            if (seen > rank)
                return std::min(bucketMidSeconds(i), s.maxS);
        }
        return s.maxS;
    };
    s.p50S = quantile(0.5);
    s.p90S = quantile(0.9);
    s.p99S = quantile(0.99);
    s.p999S = quantile(0.999);
    return s;
}

void LatenessHistogram::reset()
{
    for (auto &b : m_buckets)
        b.store(0, std::memory_order_relaxed);
    m_count.store(0, std::memory_order_relaxed);
    m_sumNs.store(0, std::memory_order_relaxed);
    m_maxNs.store(0, std::memory_order_relaxed);
    m_overOneMs.store(0, std::memory_order_relaxed);
}

} // namespace ts::sim
