#pragma once

#include "core/benchmarkconfig.h"

#include <cstdint>
#include <random>
#include <vector>

namespace ts {

// When each request is released, in seconds from the start of the measured run.
// Infinite rate: all at 0. Finite rate r with burstiness b: every gap, the first included, is
// drawn from Gamma(shape = b, scale = 1 / (r * b)), so the mean rate is r for any b; b = 1 is a
// Poisson process, b < 1 is burstier, b > 1 more regular. Same seed, same times.
std::vector<double> arrivalTimes(int count, double requestRate, double burstiness, std::uint64_t seed);

// The rate at which request index of count is released under a ramp-up, as vLLM computes it:
// progress p = index / max(count - 1, 1); linear: start + (end - start) * p; exponential:
// start * (end / start)^p. The plain request rate when load has no ramp-up.
double rampUpRate(const LoadConfig &load, int index, int count);

// The arrival times of a run with count requests under load: its ramp-up if it has one (each
// gap drawn from the gamma distribution with the rate of the request it leads to), else the
// constant rate.
std::vector<double> arrivalTimes(const LoadConfig &load, int count);

// An endless arrival process at a constant rate, for runs limited by time: the first n times
// it gives equal arrivalTimes(n, rate, burstiness, seed).
class ArrivalStream
{
public:
    ArrivalStream(double requestRate, double burstiness, std::uint64_t seed);
    double next();

private:
    std::mt19937_64 m_rng;
    std::gamma_distribution<double> m_gap;
    bool m_infinite = false;
    double m_time = 0.0;
};

} // namespace ts
