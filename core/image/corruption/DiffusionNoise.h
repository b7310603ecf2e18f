#pragma once
// SENA's rejected-side corruption: forward diffusion q(x_t | x_0) applied to the normalized
// model-input tensor (after resize / crop / normalize), exactly as the authors' code (and SeVa's)
// does it:
//
//   T = 1000, betas[i] = sigmoid(linspace(-6, 6, T))[i] * (5e-3 - 1e-5) + 1e-5,
//   ᾱ = cumprod(1 - betas),  x_t = sqrt(ᾱ_t) * x_0 + sqrt(1 - ᾱ_t) * ε,  ε ~ N(0, I),
//
// with t used directly as a 0-based index into ᾱ (t = 600 → ᾱ[600], the product of 601 terms)
// and no clamping of x_t.
//
// Precision: the schedule is computed in double. The reference computes it in float32 with
// torch.linspace / sigmoid / cumprod; a float32 emulation of that sequence and this double one
// agree to ~1e-7 on sqrt(ᾱ_t) for every t and to ~1.5e-6 on sqrt(1 - ᾱ_t) (worst at t = 0, where
// 1 - ᾱ cancels). Emulating float32 bit for bit would tie us to one cumprod accumulation order,
// which torch itself does not promise across CPU/CUDA kernels, and the difference is four orders
// of magnitude below the noise it scales. Both agree with the paper's 4-decimal values.
#include "image/ImagePreprocessor.h"

#include <cstdint>
#include <vector>

namespace sena::image {

constexpr int kDiffusionSteps = 1000;

struct DiffusionCoefficients {
    double sqrtAlphaBar = 1.0;         // sqrt(ᾱ_t): how much of the clean input survives
    double sqrtOneMinusAlphaBar = 0.0;  // sqrt(1 - ᾱ_t): the standard deviation of the added noise
};

// ᾱ for t = 0 .. T-1.
const std::vector<double>& diffusionAlphaBar();

// Throws ConfigError for t outside 0 .. T-1.
DiffusionCoefficients diffusionCoefficients(int t);

// x ← sqrt(ᾱ_t)·x + sqrt(1-ᾱ_t)·ε in place, ε drawn from SeededRandom(seed) in the tensor's
// row-major (C, H, W) order, each value computed in double and rounded to float once.
void addDiffusionNoise(PixelValues& values, int t, std::uint64_t seed);

}  // namespace sena::image
