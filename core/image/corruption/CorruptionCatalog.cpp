#include "image/corruption/CorruptionCatalog.h"

#include "image/corruption/DiffusionNoise.h"

#include <charconv>
#include <cmath>

namespace sena::image {

namespace {

std::vector<CorruptionType> buildCatalog() {
    using P = CorruptionParameter;
    const auto I = CorruptionSpace::Image;
    return {
        {"blur", "Gaussian blur of the model-input image (OpenCV, reflected borders)", I,
         {P{"sigma", 2, 0, 50, false, "standard deviation in pixels of the model-input image; 0 leaves it unchanged"}}},
        {"downscale",
         "Shrink the longer side to `size` pixels and scale back up to the original size (STIC's low-resolution "
         "corruption); Pillow bilinear both ways, antialiased when shrinking",
         I,
         {P{"size", 20, 1, 4096, true, "longer side of the small intermediate image, in pixels"}}},
        {"jitter",
         "Colour jitter with torchvision ColorJitter semantics: factors drawn uniformly, the four adjustments "
         "applied in a seeded random order",
         I,
         {P{"brightness", 0.5, 0, 5, false, "brightness factor drawn from [max(0, 1-b), 1+b]; 0 = off"},
          P{"contrast", 0, 0, 5, false, "contrast factor drawn from [max(0, 1-c), 1+c]; 0 = off"},
          P{"saturation", 0, 0, 5, false, "saturation factor drawn from [max(0, 1-s), 1+s]; 0 = off"},
          P{"hue", 0.3, 0, 0.5, false, "hue shift drawn from [-h, h], as a fraction of the hue circle; 0 = off"}}},
        {"crop",
         "Random crop keeping `scale` of the area (same aspect ratio, uniform position), resized back to the "
         "original size with Pillow bilinear (mDPO-style)",
         I,
         {P{"scale", 0.5, 0.01, 1, false, "fraction of the image area kept"}}},
        {"mask", "Random rectangles (aspect 1:2 .. 2:1) covering about `ratio` of the image", I,
         {P{"ratio", 0.3, 0, 0.9, false, "fraction of the pixels covered"},
          P{"fill", -1, -1, 255, true, "grey level of the rectangles; -1 = the image's mean colour"}}},
        {"jpeg", "Re-encode as JPEG (OpenCV/libjpeg, 4:2:0 chroma) and decode again", I,
         {P{"quality", 10, 1, 100, true, "JPEG quality; lower is blockier"}}},
        {"noise", "Additive Gaussian pixel noise in 0..255 space, rounded and clipped", I,
         {P{"sigma", 25, 0, 255, false, "standard deviation in 8-bit levels"}}},
        {"diffusion",
         "Forward diffusion on the normalized model input (SENA/SeVa): x_t = sqrt(abar_t) x0 + sqrt(1-abar_t) eps, "
         "T = 1000, sigmoid beta schedule from 1e-5 to 5e-3, no clamping",
         CorruptionSpace::Tensor,
         {P{"t", 600, 0, kDiffusionSteps - 1, true, "diffusion step; SENA uses 600, SeVa 500 or 800"}}},
    };
}

}  // namespace

const char* corruptionSpaceName(CorruptionSpace space) {
    return space == CorruptionSpace::Image ? "image" : "tensor";
}

int CorruptionType::parameterIndex(const std::string& key) const {
    for (std::size_t i = 0; i < parameters.size(); ++i)
        if (parameters[i].name == key)
            return static_cast<int>(i);
    return -1;
}

std::string CorruptionType::parameterSummary() const {
    std::string out;
    for (const auto& p : parameters) {
        if (!out.empty())
            out += ", ";
        out += p.name + " (" + (p.integer ? "integer " : "") + formatCorruptionValue(p.minValue) + " .. " +
               formatCorruptionValue(p.maxValue) + ")";
    }
    return out.empty() ? "none" : out;
}

const std::vector<CorruptionType>& corruptionCatalog() {
    static const std::vector<CorruptionType> catalog = buildCatalog();
    return catalog;
}

const CorruptionType* findCorruptionType(const std::string& name) {
    for (const auto& type : corruptionCatalog())
        if (type.name == name)
            return &type;
    return nullptr;
}

std::string corruptionTypeNames() {
    std::string out;
    for (const auto& type : corruptionCatalog())
        out += (out.empty() ? "" : ", ") + type.name;
    return out;
}

std::string formatCorruptionValue(double value) {
    char buf[64];
    // Integral values within 2^53 print as integers so "t=600", never "t=600.0" or "6e+02".
    if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 9007199254740992.0) {
        const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(value));
        return std::string(buf, r.ptr);
    }
    // Shortest round-trip form, locale-independent (printf's %g follows LC_NUMERIC).
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, r.ptr);
}

}  // namespace sena::image
