#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace ts {

// Python's `random` module (Mersenne Twister seeded as random.seed(int) does), so that a
// dataset sampled with the same --seed picks the same records as vLLM's benchmark: shuffle(),
// choice() and choices() consume the generator exactly as CPython does.
class PythonRandom
{
public:
    explicit PythonRandom(std::uint64_t seed = 0) { seed64(seed); }

    void seed64(std::uint64_t seed);
    std::uint32_t next32();
    // getrandbits(k) for k <= 32.
    std::uint32_t bits(int k) { return k <= 0 ? 0 : next32() >> (32 - k); }
    // _randbelow(n): uniform in [0, n), n > 0.
    std::uint64_t below(std::uint64_t n);
    // random(): uniform double in [0, 1) with 53 bits.
    double uniform();

    template<typename T>
    void shuffle(std::vector<T> &items)
    {
        for (std::size_t i = items.size(); i-- > 1;) {
            const std::size_t j = std::size_t(below(i + 1));
            std::swap(items[i], items[j]);
        }
    }
    // Index for choice(seq) of a sequence of n items.
    std::size_t choiceIndex(std::size_t n) { return std::size_t(below(n)); }
    // Index for one draw of choices(seq) (no weights) of n items.
    std::size_t choicesIndex(std::size_t n) { return std::size_t(uniform() * double(n)); }

private:
    std::array<std::uint32_t, 624> m_state {};
    int m_index = 624;
};

} // namespace ts
