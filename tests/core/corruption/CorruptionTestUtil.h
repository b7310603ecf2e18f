#pragma once
// Deterministic test images and simple image statistics for the corruption tests.
#include "image/ImagePreprocessor.h"
#include "image/RgbImage.h"
#include "util/Json.h"

#include <cmath>
#include <cstdint>

namespace corrupttest {

using sena::image::RgbImage;

// Uniform noise bytes in [lo, hi] from a fixed LCG (no <random> distributions).
inline RgbImage noiseImage(int w, int h, std::uint32_t seed, int lo = 0, int hi = 255) {
    RgbImage img(w, h);
    std::uint32_t s = seed * 2654435761u + 1;
    for (auto& p : img.pixels) {
        s = s * 1664525u + 1013904223u;
        p = static_cast<std::uint8_t>(lo + (s >> 24) % static_cast<std::uint32_t>(hi - lo + 1));
    }
    return img;
}

// A smooth colourful gradient with some texture: a stand-in for a photograph.
inline RgbImage photoLike(int w, int h) {
    RgbImage img(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            img.at(x, y, 0) = static_cast<std::uint8_t>(40 + 170 * x / w + ((x / 7 + y / 5) % 2) * 30);
            img.at(x, y, 1) = static_cast<std::uint8_t>(30 + 180 * y / h);
            img.at(x, y, 2) = static_cast<std::uint8_t>(200 - 150 * (x + y) / (w + h) + ((x * y) % 13));
        }
    return img;
}

// Mean squared difference between horizontally and vertically adjacent bytes: high-frequency energy.
inline double highFrequencyEnergy(const RgbImage& img) {
    double sum = 0;
    long long n = 0;
    for (int y = 0; y + 1 < img.height; ++y)
        for (int x = 0; x + 1 < img.width; ++x)
            for (int c = 0; c < 3; ++c) {
                const double v = img.at(x, y, c);
                const double dx = v - img.at(x + 1, y, c), dy = v - img.at(x, y + 1, c);
                sum += dx * dx + dy * dy;
                n += 2;
            }
    return n ? sum / static_cast<double>(n) : 0.0;
}

inline double meanAbsDifference(const RgbImage& a, const RgbImage& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i)
        sum += std::abs(static_cast<int>(a.pixels[i]) - static_cast<int>(b.pixels[i]));
    return a.pixels.empty() ? 0.0 : sum / static_cast<double>(a.pixels.size());
}

// CLIP ViT-L/14-336 as LLaVA-1.5 ships it (shortest edge 336, centre crop 336, bicubic, CLIP stats).
inline sena::image::ImagePreprocessor clip336() {
    const auto json = sena::util::Json::parse(R"({"image_processor_type": "CLIPImageProcessor",
        "size": {"shortest_edge": 336}, "crop_size": {"height": 336, "width": 336}, "resample": 3,
        "do_center_crop": true, "image_mean": [0.48145466, 0.4578275, 0.40821073],
        "image_std": [0.26862954, 0.26130258, 0.27577711]})");
    return sena::image::ImagePreprocessor(sena::image::ImagePreprocessor::parseConfig(json, "clip336"));
}

}  // namespace corrupttest
