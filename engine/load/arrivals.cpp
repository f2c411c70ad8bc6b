#include "load/arrivals.h"

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

bool isPositiveFinite(double value) { return std::isfinite(value) && value > 0.0; }

} // namespace

ArrivalStream::ArrivalStream(double requestRate, double burstiness, std::uint64_t seed)
    : m_rng(seed), m_infinite(!isPositiveFinite(requestRate) || !(burstiness > 0.0))
{
    if (!m_infinite)
        m_gap = std::gamma_distribution<double>(burstiness, 1.0 / (requestRate * burstiness));
}

double ArrivalStream::next()
{
    if (!m_infinite)
        m_time += m_gap(m_rng);
    return m_time;
}

std::vector<double> arrivalTimes(int count, double requestRate, double burstiness, std::uint64_t seed)
{
    std::vector<double> times(std::size_t(std::max(count, 0)), 0.0);
    ArrivalStream stream(requestRate, burstiness, seed);
    for (double &time : times)
        time = stream.next();
    return times;
}

double rampUpRate(const LoadConfig &load, int index, int count)
{
    if (!load.hasRampUp() || !load.rampUpStartRps || !load.rampUpEndRps)
        return load.requestRate;
    const double start = *load.rampUpStartRps;
    const double end = *load.rampUpEndRps;
    const double progress = double(index) / double(std::max(count - 1, 1));
    if (load.rampUpStrategy == RampUpStrategy::Exponential)
        return start * std::pow(end / start, progress);
    return start + (end - start) * progress;
}

std::vector<double> arrivalTimes(const LoadConfig &load, int count)
{
    if (!load.hasRampUp())
        return arrivalTimes(count, load.requestRate, load.burstiness, load.seed);
    std::vector<double> times(std::size_t(std::max(count, 0)), 0.0);
    if (!(load.burstiness > 0.0))
        return times;
    // One generator and one unit-scale distribution for the whole run (the distribution keeps
    // state between draws): Gamma(b, s) is s times Gamma(b, 1), so each gap takes the scale of
    // its own rate and the same seed gives the same times.
    std::mt19937_64 rng(load.seed);
    std::gamma_distribution<double> unitGap(load.burstiness, 1.0);
    double t = 0.0;
    for (int i = 0; i < count; ++i) {
        const double rate = rampUpRate(load, i, count);
        if (isPositiveFinite(rate))
            t += unitGap(rng) / (rate * load.burstiness);
        times[std::size_t(i)] = t;
    }
    return times;
}

} // namespace ts
