#pragma once
// Runs a corruption chain on an image as the model would receive it:
//
//   original ──prepareImage──► 8-bit model-sized image ──image-space steps──► toPixelValues
//            ──tensor-space steps──► pixel values (what the model gets) ──toPreviewImage──► preview
//
// Step i draws from SeededRandom(chain.stepSeed(seed, i)), so (chain, image, seed) always gives
// bit-identical output and a step's noise does not move when a step of another kind is added.
#include "image/ImagePreprocessor.h"
#include "image/RgbImage.h"
#include "image/corruption/CorruptionChain.h"

#include <cstdint>

namespace sena::image {

struct CorruptedImage {
    PixelValues pixelValues;  // the model input
    RgbImage preview;         // what the model sees, 8-bit: toPreviewImage(pixelValues)
};

// An empty chain returns the clean pixel values (and their preview).
CorruptedImage applyCorruption(const CorruptionChain& chain, const RgbImage& original,
                               const ImagePreprocessor& preprocessor, std::uint64_t seed);

// One image-space step on an 8-bit image (same size out); `stepSeed` from CorruptionChain::stepSeed.
// Throws InputError for a tensor-space step.
RgbImage applyImageStep(const CorruptionStep& step, const RgbImage& image, std::uint64_t stepSeed);

// One tensor-space step, in place. Throws InputError for an image-space step.
void applyTensorStep(const CorruptionStep& step, PixelValues& values, std::uint64_t stepSeed);

}  // namespace sena::image
