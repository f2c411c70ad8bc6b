#include "load/arrivals.h"

#include <cmath>
#include <random>

namespace ts {

std::vector<double> arrivalTimes(int count, double requestRate, double burstiness, std::uint64_t seed)
{
    std::vector<double> times(std::size_t(std::max(count, 0)), 0.0);
    if (!std::isfinite(requestRate) || requestRate <= 0.0 || burstiness <= 0.0)
        return times;
    std::mt19937_64 rng(seed);
    std::gamma_distribution<double> gap(burstiness, 1.0 / (requestRate * burstiness));
    double t = 0.0;
    for (double &time : times) {
        t += gap(rng);
        time = t;
    }
    return times;
}

} // namespace ts
