#include "image/corruption/ApplyCorruption.h"

#include "image/corruption/DiffusionNoise.h"
#include "image/corruption/ImageCorruptions.h"
#include "image/corruption/SeededRandom.h"
#include "util/Error.h"

namespace sena::image {

RgbImage applyImageStep(const CorruptionStep& step, const RgbImage& image, std::uint64_t stepSeed) {
    const std::string& name = step.name();
    if (name == "blur")
        return gaussianBlur(image, step.value("sigma"));
    if (name == "downscale")
        return downscaleUpscale(image, step.intValue("size"));
    if (name == "jitter") {
        SeededRandom rng(stepSeed);
        const ColorJitterParams params{step.value("brightness"), step.value("contrast"), step.value("saturation"),
                                       step.value("hue")};
        return colorJitter(image, drawColorJitter(params, rng));
    }
    if (name == "crop")
        return randomCrop(image, step.value("scale"), stepSeed);
    if (name == "mask")
        return randomMask(image, step.value("ratio"), step.intValue("fill"), stepSeed);
    if (name == "jpeg")
        return jpegRecompress(image, step.intValue("quality"));
    if (name == "noise")
        return addPixelNoise(image, step.value("sigma"), stepSeed);
    throw InputError("corruption '" + name + "' is not an image-space corruption");
}

void applyTensorStep(const CorruptionStep& step, PixelValues& values, std::uint64_t stepSeed) {
    if (step.name() == "diffusion") {
        addDiffusionNoise(values, step.intValue("t"), stepSeed);
        return;
    }
    throw InputError("corruption '" + step.name() + "' is not a tensor-space corruption");
}

CorruptedImage applyCorruption(const CorruptionChain& chain, const RgbImage& original,
                               const ImagePreprocessor& preprocessor, std::uint64_t seed) {
    RgbImage image = preprocessor.prepareImage(original);
    const auto& steps = chain.steps();
    std::size_t i = 0;
    // The chain guarantees every image-space step precedes every tensor-space one.
    for (; i < steps.size() && steps[i].space() == CorruptionSpace::Image; ++i) {
        image = applyImageStep(steps[i], image, chain.stepSeed(seed, i));
    }
    CorruptedImage out;
    out.pixelValues = preprocessor.toPixelValues(image);
    for (; i < steps.size(); ++i)
        applyTensorStep(steps[i], out.pixelValues, chain.stepSeed(seed, i));
    out.preview = preprocessor.toPreviewImage(out.pixelValues);
    return out;
}

}  // namespace sena::image
