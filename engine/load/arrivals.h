#pragma once

#include <cstdint>
#include <vector>

namespace ts {

// When each request is released, in seconds from the start of the measured run.
// Infinite rate: all at 0. Finite rate r with burstiness b: every gap, the first included, is
// drawn from Gamma(shape = b, scale = 1 / (r * b)), so the mean rate is r for any b; b = 1 is a
// Poisson process, b < 1 is burstier, b > 1 more regular. Same seed, same times.
std::vector<double> arrivalTimes(int count, double requestRate, double burstiness, std::uint64_t seed);

} // namespace ts
