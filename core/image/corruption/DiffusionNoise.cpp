#include "image/corruption/DiffusionNoise.h"

#include "image/corruption/SeededRandom.h"
#include "util/Error.h"

#include <cmath>
#include <string>

namespace sena::image {

namespace {

std::vector<double> computeAlphaBar() {
    constexpr double kBetaStart = 1e-5;
    constexpr double kBetaEnd = 5e-3;
    std::vector<double> alphaBar(kDiffusionSteps);
    double product = 1.0;
    for (int i = 0; i < kDiffusionSteps; ++i) {
        const double x = -6.0 + 12.0 * i / (kDiffusionSteps - 1);  // linspace(-6, 6, T)
        const double sigmoid = 1.0 / (1.0 + std::exp(-x));
        const double beta = sigmoid * (kBetaEnd - kBetaStart) + kBetaStart;
        product *= 1.0 - beta;
        alphaBar[i] = product;
    }
    return alphaBar;
}

}  // namespace

const std::vector<double>& diffusionAlphaBar() {
    static const std::vector<double> alphaBar = computeAlphaBar();
    return alphaBar;
}

DiffusionCoefficients diffusionCoefficients(int t) {
    if (t < 0 || t >= kDiffusionSteps)
        throw ConfigError("diffusion: t = " + std::to_string(t) + " is outside the schedule; use 0 .. " +
                          std::to_string(kDiffusionSteps - 1) + " (SENA uses 600)");
    const double alphaBar = diffusionAlphaBar()[static_cast<std::size_t>(t)];
    return {std::sqrt(alphaBar), std::sqrt(1.0 - alphaBar)};
}

void addDiffusionNoise(PixelValues& values, int t, std::uint64_t seed) {
    const DiffusionCoefficients k = diffusionCoefficients(t);
    SeededRandom rng(seed);
    for (float& v : values.data) {
        const double eps = rng.normal();
        v = static_cast<float>(k.sqrtAlphaBar * v + k.sqrtOneMinusAlphaBar * eps);
    }
}

}  // namespace sena::image
