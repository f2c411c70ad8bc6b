#pragma once

#include "sim/simserver.h"

#include <array>
#include <atomic>
#include <cstdint>

namespace ts::sim {

// Write lateness as a log-linear histogram (8 sub-buckets per power of two, from 1 us) of
// atomics: recorded in the server thread, read from any thread without a lock.
class LatenessHistogram
{
public:
    void record(std::int64_t latenessNs);
    SimLateness snapshot() const;
    void reset();

private:
    static constexpr int kSubBits = 3;
    static constexpr int kMinShift = 10;   // values below 2^10 ns share bucket 0
    static constexpr int kBuckets = 1 + (63 - kMinShift) * (1 << kSubBits);

    static int bucketOf(std::uint64_t ns);
    static double bucketMidSeconds(int bucket);

    std::array<std::atomic<std::int64_t>, kBuckets> m_buckets {};
    std::atomic<std::int64_t> m_count {0};
    std::atomic<std::int64_t> m_sumNs {0};
    std::atomic<std::int64_t> m_maxNs {0};
    std::atomic<std::int64_t> m_overOneMs {0};
};

} // namespace ts::sim
