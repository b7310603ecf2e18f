#include "image/corruption/SeededRandom.h"

#include <cmath>

namespace sena::image {

namespace {

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t mixSeed(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::uint64_t deriveSeed(std::uint64_t seed, const std::string& label, std::uint64_t index) {
    // FNV-1a of the label: fixed, platform-independent (std::hash is not).
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : label) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return mixSeed(mixSeed(mixSeed(seed) ^ h) ^ index);
}

SeededRandom::SeededRandom(std::uint64_t seed) {
    // SplitMix64 expands the seed, as xoshiro's authors recommend; it never yields the all-zero
    // state, which xoshiro cannot leave.
    std::uint64_t s = seed;
    for (auto& word : m_state) {
        s += 0x9e3779b97f4a7c15ull;
        std::uint64_t z = s;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        word = z ^ (z >> 31);
    }
}

std::uint64_t SeededRandom::nextU64() {
    // xoshiro256** 1.0 (Blackman & Vigna).
    const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
    const std::uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotl(m_state[3], 45);
    return result;
}

double SeededRandom::uniform() {
    return static_cast<double>(nextU64() >> 11) * 0x1.0p-53;
}

long long SeededRandom::uniformInt(long long lo, long long hi) {
    if (hi <= lo)
        return lo;
    const std::uint64_t range = static_cast<std::uint64_t>(hi - lo) + 1;  // 0 means the full 2^64
    if (range == 0)
        return static_cast<long long>(nextU64());
    // Reject the top partial bucket so every value is equally likely.
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % range);
    std::uint64_t x = nextU64();
    while (x >= limit)
        x = nextU64();
    return lo + static_cast<long long>(x % range);
}

float SeededRandom::normal() {
    if (m_hasSpare) {
        m_hasSpare = false;
        return m_spare;
    }
    // Marsaglia's polar form of Box–Muller: a uniform point in the unit disc replaces the sin/cos
    // of the angle, so log is the only libm function involved (sqrt is exactly rounded by IEEE 754).
    double u, v, s;
    do {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double scale = std::sqrt(-2.0 * std::log(s) / s);
    m_spare = static_cast<float>(v * scale);
    m_hasSpare = true;
    return static_cast<float>(u * scale);
}

}  // namespace sena::image
