#pragma once
// A small, portable pseudo-random generator for corruptions: xoshiro256** seeded through
// SplitMix64, uniform doubles from the top 53 bits, and Gaussian samples by Box–Muller (Marsaglia's
// polar form).
//
// Why not <random>: the engines are portable but the distributions (uniform_real_distribution,
// normal_distribution) are implementation-defined, so libstdc++, libc++ and MSVC give different
// noise for the same seed, and a pair's recorded seed would not reproduce its image elsewhere.
// Here every step is spelled out in integer or IEEE-754 arithmetic (the library is compiled with
// -ffp-contract=off so no compiler fuses a*b+c differently); the only platform-dependent piece is
// libm's log, whose last-bit differences vanish when the sample is rounded to float (see normal()).
#include <cstdint>
#include <string>

namespace sena::image {

class SeededRandom {
public:
    explicit SeededRandom(std::uint64_t seed);

    std::uint64_t nextU64();
    // Uniform in [0, 1), 53 random bits.
    double uniform();
    // Uniform in [lo, hi).
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [lo, hi] (inclusive), unbiased (rejection sampling).
    long long uniformInt(long long lo, long long hi);
    // Standard normal N(0, 1), rounded to float. The polar method yields samples in pairs; the
    // second is kept for the next call. Rounding to float makes a one-ulp difference between two
    // libms' log change a sample only when the double lands within a few ulps of a float rounding
    // boundary (about one sample in 2^28).
    float normal();

private:
    std::uint64_t m_state[4];
    float m_spare = 0.f;
    bool m_hasSpare = false;
};

// SplitMix64's finaliser: a bijective 64-bit mix, used to derive independent sub-seeds.
std::uint64_t mixSeed(std::uint64_t value);
// A sub-seed for one consumer of a seed, e.g. (pair seed, "diffusion", 0).
std::uint64_t deriveSeed(std::uint64_t seed, const std::string& label, std::uint64_t index);

}  // namespace sena::image
