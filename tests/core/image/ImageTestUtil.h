#pragma once
// Small helpers shared by the image tests: deterministic test images and a byte hash.
#include "image/RgbImage.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imagetest {

using sena::image::RgbImage;

// (x²·3 + 17y + 85c + 5xy + 31·seed) mod 256: the same pattern the Pillow goldens were made from.
inline RgbImage patternImage(int w, int h, int seed) {
    RgbImage img(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                img.at(x, y, c) = static_cast<std::uint8_t>((x * x * 3 + y * 17 + c * 85 + x * y * 5 + seed * 31) % 256);
    return img;
}

// Uniform noise from a fixed-seed LCG (no <random> distribution, whose output varies by library).
inline RgbImage noiseImage(int w, int h, std::uint32_t seed) {
    RgbImage img(w, h);
    std::uint32_t s = seed * 2654435761u + 1;
    for (auto& p : img.pixels) {
        s = s * 1664525u + 1013904223u;
        p = static_cast<std::uint8_t>(s >> 24);
    }
    return img;
}

// FNV-1a 64 of the pixel bytes (row-major RGB), matching the Python that made the goldens.
inline std::uint64_t fnv1a(const std::vector<std::uint8_t>& bytes) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::uint8_t b : bytes) {
        h ^= b;
        h *= 0x100000001b3ull;
    }
    return h;
}

inline std::string fixture(const std::string& relative) {
    return std::string(SENA_FIXTURES_DIR) + "/" + relative;
}

}  // namespace imagetest
