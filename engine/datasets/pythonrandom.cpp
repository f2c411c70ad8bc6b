#include "datasets/pythonrandom.h"

#include <bit>

namespace ts {

namespace {
constexpr int N = 624;
constexpr int M = 397;
} // namespace

void PythonRandom::seed64(std::uint64_t seed)
{
    // random.seed(n) feeds |n| to init_by_array() as 32-bit words, least significant first.
    std::vector<std::uint32_t> key;
    for (std::uint64_t v = seed; v; v >>= 32)
        key.push_back(std::uint32_t(v));
    if (key.empty())
        key.push_back(0);

    m_state[0] = 19650218U;
    for (int i = 1; i < N; ++i)
        m_state[std::size_t(i)] = 1812433253U * (m_state[std::size_t(i - 1)] ^ (m_state[std::size_t(i - 1)] >> 30)) + std::uint32_t(i);
    int i = 1;
    std::size_t j = 0;
    for (int k = std::max<int>(N, int(key.size())); k; --k) {
        m_state[std::size_t(i)] = (m_state[std::size_t(i)] ^ ((m_state[std::size_t(i - 1)] ^ (m_state[std::size_t(i - 1)] >> 30)) * 1664525U))
            + key[j] + std::uint32_t(j);
        ++i;
        ++j;
        if (i >= N) {
            m_state[0] = m_state[N - 1];
            i = 1;
        }
        if (j >= key.size())
            j = 0;
    }
    for (int k = N - 1; k; --k) {
        m_state[std::size_t(i)] = (m_state[std::size_t(i)] ^ ((m_state[std::size_t(i - 1)] ^ (m_state[std::size_t(i - 1)] >> 30)) * 1566083941U))
            - std::uint32_t(i);
        ++i;
        if (i >= N) {
            m_state[0] = m_state[N - 1];
            i = 1;
        }
    }
    m_state[0] = 0x80000000U;
    m_index = N;
}

std::uint32_t PythonRandom::next32()
{
    if (m_index >= N) {
        auto mix = [this](int a, int b, int c) {
            const std::uint32_t y = (m_state[std::size_t(a)] & 0x80000000U) | (m_state[std::size_t(b)] & 0x7fffffffU);
            m_state[std::size_t(a)] = m_state[std::size_t(c)] ^ (y >> 1) ^ ((y & 1U) ? 0x9908b0dfU : 0U);
        };
        int k = 0;
        for (; k < N - M; ++k)
            mix(k, k + 1, k + M);
        for (; k < N - 1; ++k)
            mix(k, k + 1, k + (M - N));
        mix(N - 1, 0, M - 1);
        m_index = 0;
    }
    std::uint32_t y = m_state[std::size_t(m_index++)];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    return y;
}

std::uint64_t PythonRandom::below(std::uint64_t n)
{
    if (n == 0)
        return 0;
    const int k = int(std::bit_width(n));
    if (k <= 32) {
        std::uint32_t r = bits(k);
        while (r >= n)
            r = bits(k);
        return r;
    }
    // getrandbits(k > 32) fills 32-bit words from the least significant up; the top word is
    // shifted down to the remaining bits.
    auto draw = [&] {
        const std::uint64_t low = next32();
        const std::uint64_t high = next32() >> (64 - k);
        return (high << 32) | low;
    };
    std::uint64_t r = draw();
    while (r >= n)
        r = draw();
    return r;
}

double PythonRandom::uniform()
{
    const std::uint32_t a = next32() >> 5;
    const std::uint32_t b = next32() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

} // namespace ts
