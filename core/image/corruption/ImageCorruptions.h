#pragma once
// The image-space corruptions, each a pure function of (image, parameters, seed). They act on the
// 8-bit image the model sees (ImagePreprocessor::prepareImage's output) and keep its size.
// Randomness comes only from SeededRandom, so a (image, parameters, seed) triple always gives the
// same bytes; OpenCV is used where its result is bit-exact across CPUs (GaussianBlur's 8-bit
// fixed-point path, libjpeg), and the project's Pillow-exact resampler for resizing.
#include "image/RgbImage.h"

#include <array>
#include <cstdint>

namespace sena::image {

class SeededRandom;

// OpenCV GaussianBlur (its 8-bit fixed-point path), kernel size from sigma by OpenCV's rule for
// 8-bit images (round(6σ + 1), made odd), BORDER_REFLECT_101. sigma <= 0 returns the image unchanged.
RgbImage gaussianBlur(const RgbImage& image, double sigma);

// Shrinks so the longer side is `size` pixels (the shorter one in proportion, at least 1) and
// scales back to the original size, both with Pillow's bilinear filter, which antialiases when
// shrinking (a triangle filter widened by the scale — close to area averaging) — the low-resolution
// corruption of STIC, whose code resizes with PIL. No-op when `size` >= the longer side.
RgbImage downscaleUpscale(const RgbImage& image, int size);

// torchvision ColorJitter: the maximum deviations.
struct ColorJitterParams {
    double brightness = 0;
    double contrast = 0;
    double saturation = 0;
    double hue = 0;
};

// One draw of ColorJitter.get_params: the order of the four adjustments (0 brightness, 1 contrast,
// 2 saturation, 3 hue; a seeded Fisher–Yates shuffle, as torchvision's randperm(4)) and a factor for
// each. Every factor is drawn even when its deviation is 0 (it is then the identity), so enabling
// one adjustment never changes the others' draws for a seed.
struct ColorJitterDraw {
    std::array<int, 4> order{0, 1, 2, 3};
    double brightness = 1;  // from [max(0, 1-b), 1+b]
    double contrast = 1;    // from [max(0, 1-c), 1+c]
    double saturation = 1;  // from [max(0, 1-s), 1+s]
    double hue = 0;         // from [-h, h], fraction of the hue circle
};

ColorJitterDraw drawColorJitter(const ColorJitterParams& params, SeededRandom& rng);

// Applies the draw with torchvision's tensor formulas (adjust_brightness/contrast/saturation/hue:
// blends with black, the mean grey level, the per-pixel grey level — grey = 0.2989 R + 0.587 G +
// 0.114 B — and an HSV hue rotation), each clamped to [0, 1]. Values stay in float between the
// adjustments and are rounded to 8 bits once at the end (torchvision on uint8 tensors truncates
// after each one; this keeps a brightness-only jitter an exact rounded scaling).
RgbImage colorJitter(const RgbImage& image, const ColorJitterDraw& draw);

// Keeps a window of `scale` of the area with the image's aspect ratio (sides × sqrt(scale),
// rounded, at least 1 px) at a uniformly random position and resizes it back to the original size
// with Pillow bilinear. mDPO crops a random 0–20 % of the image; pick `scale` accordingly.
RgbImage randomCrop(const RgbImage& image, double scale, std::uint64_t seed);

// Paints random rectangles (area up to 15 % of the image each, aspect 1:2 .. 2:1, uniform
// positions) until about `ratio` of the pixels are covered (within ~0.2 % of the image, or after
// 512 rectangles). `fill` is a grey level 0..255, or -1 for the image's per-channel mean colour
// (rounded), which removes content without adding a contrast edge as black would.
RgbImage randomMask(const RgbImage& image, double ratio, int fill, std::uint64_t seed);

// Encodes to JPEG at `quality` (1..100) with OpenCV and decodes it again.
RgbImage jpegRecompress(const RgbImage& image, int quality);

// Adds N(0, sigma²) to every channel of every pixel in 0..255 space, rounds and clips.
RgbImage addPixelNoise(const RgbImage& image, double sigma, std::uint64_t seed);

}  // namespace sena::image
