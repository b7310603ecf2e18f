#pragma once
// A resampler that reproduces Pillow's Image.resize (reducing_gap=None) byte for byte on 8-bit RGB.
// Hugging Face's (slow) image processors resize through Pillow, so the vision tower only sees the
// pixels it was trained on when this matches Pillow exactly; OpenCV's and LibTorch's bicubic use
// a = -0.75 and do not antialias when shrinking.
//
// The algorithm (Pillow's libImaging/Resample.c, re-implemented here):
//  * a separable two-pass convolution: horizontal pass first, then vertical; a pass whose size
//    and source range do not change is skipped;
//  * when shrinking, the filter support is widened by the scale factor (antialiasing);
//  * every output pixel has its own window of taps, normalised to sum 1 in double precision and
//    then rounded to fixed point with 22 fractional bits (32 - 8 - 2);
//  * each pass accumulates in integers starting at 0.5 (rounding), shifts and clips to 0..255, so
//    the intermediate image is 8-bit, as in Pillow;
//  * NEAREST goes through Pillow's affine "scale" path instead (no filter at all).
#include "image/RgbImage.h"

#include <string>

namespace sena::image {

// Values are Pillow's Image.Resampling numbers, which preprocessor_config.json stores as `resample`.
enum class ResampleFilter { Nearest = 0, Lanczos = 1, Bilinear = 2, Bicubic = 3, Box = 4, Hamming = 5 };

const char* resampleFilterName(ResampleFilter filter);  // Pillow's spelling, e.g. "BICUBIC"

// Maps a Pillow resample number to a filter; throws ConfigError naming `where` and the value for
// anything else.
ResampleFilter resampleFilterFromPil(long long code, const std::string& where);

// The source region to resample, in source pixel coordinates (Pillow's `box`; floats as there).
struct ResampleBox {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// The integer arithmetic of the two passes. Both compute the same double-precision weights (torch
// evaluates the cubic's outer piece in another order, which can change a weight's last bit).
//  * Pillow: weights with 22 fractional bits (Hugging Face's PIL-based "slow" processors, and the
//    original LLaVA/CLIP training pipelines).
//  * TorchUint8: PyTorch's native uint8 antialiased resize (what torchvision's resize runs on uint8
//    tensors, hence transformers' "fast" processors, the default in transformers 5): int16 weights
//    with per-axis precision (the most bits, up to 22, that keep the largest weight below 2^15).
//    Bilinear and bicubic only. It differs from Pillow by one level on a few pixels in a thousand.
enum class ResampleArithmetic { Pillow, TorchUint8 };

// Resizes `src` to width × height as Pillow's `im.resize((width, height), filter)` does.
// Throws InputError for an empty source or a target size below 1×1.
RgbImage pilResize(const RgbImage& src, int width, int height, ResampleFilter filter);

// Same, reading only `box` of the source (Pillow's `im.resize(size, filter, box)`). The box must lie
// inside the image and have a positive width and height (InputError otherwise).
RgbImage pilResize(const RgbImage& src, int width, int height, ResampleFilter filter, const ResampleBox& box);

// Resizes as torch.nn.functional.interpolate(uint8 image, size, mode, antialias=True) on the CPU
// does (torchvision's resize of uint8 tensors). BILINEAR and BICUBIC only; InputError otherwise.
RgbImage torchResize(const RgbImage& src, int width, int height, ResampleFilter filter);

// pilResize or torchResize, chosen by `arithmetic`.
RgbImage resizeImage(const RgbImage& src, int width, int height, ResampleFilter filter,
                     ResampleArithmetic arithmetic);

}  // namespace sena::image
