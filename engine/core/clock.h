#pragma once

#include <chrono>
#include <cstdint>

namespace ts {

// All timestamps in the engine come from this clock. std::chrono::steady_clock is
// CLOCK_MONOTONIC on Linux, the clock behind Python's time.monotonic()/perf_counter(),
// so our times and those of vLLM's client are taken the same way.
inline std::int64_t monotonicNs() noexcept
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr double nsToSeconds(std::int64_t ns) noexcept { return double(ns) * 1e-9; }

} // namespace ts
