#pragma once
// Hugging Face image preprocessing (the "slow", PIL-based processors), torch-free:
//
//   CLIPImageProcessor / LlavaImageProcessor:
//     [pad to square with int(mean*255)] → resize shortest edge (aspect kept, HF's truncation)
//     → centre crop → rescale → normalize → CHW float32
//   SiglipImageProcessor:
//     resize to size.height × size.width → rescale → normalize (mean = std = 0.5 by default)
//
// Each step honours its do_* flag from preprocessor_config.json; absent keys take the processor
// class's defaults.
//
// HF has two implementations of each processor, which differ by one 8-bit level on a few pixels
// in a thousand (see ResampleArithmetic) and in float rounding; both are reproduced here:
//  * Pil: the PIL/numpy "slow" processors, which transformers 4.x used for these class names and
//    which the original LLaVA and CLIP pipelines trained with;
//  * Torchvision: the "fast" processors (names ending in "Fast"), which transformers 5 uses even
//    for the plain names (the hf fixtures were made this way; they match it bit for bit).
#include "image/PilResample.h"
#include "image/RgbImage.h"
#include "util/Json.h"

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sena::image {

enum class ImageProcessorKind { Clip, Llava, Siglip };

enum class ProcessorBackend {
    Pil,          // Pillow resize; rescale in float64 then (x - mean) / std in float32
    Torchvision,  // torch uint8 resize; (x - mean/rescale) / (std/rescale) in float32
};

// The processor's settings after defaults are filled in.
struct PreprocessorConfig {
    std::string processorType;  // as the file names it, e.g. "CLIPImageProcessor"
    ImageProcessorKind kind = ImageProcessorKind::Clip;
    ProcessorBackend backend = ProcessorBackend::Pil;
    bool doConvertRgb = true;   // always satisfied: RgbImage is RGB by construction
    bool doPad = false;         // pad to square with the mean colour (LLaVA's expand2square)
    bool doResize = true;
    int shortestEdge = 0;       // > 0: resize the shortest edge to this, keeping the aspect ratio
    int resizeHeight = 0;       // used when shortestEdge == 0
    int resizeWidth = 0;
    ResampleFilter resample = ResampleFilter::Bicubic;
    bool doCenterCrop = false;
    int cropHeight = 0;
    int cropWidth = 0;
    bool doRescale = true;
    double rescaleFactor = 1.0 / 255.0;
    bool doNormalize = true;
    std::array<double, 3> imageMean{0.5, 0.5, 0.5};
    std::array<double, 3> imageStd{0.5, 0.5, 0.5};
};

struct PreprocessOptions {
    // Overrides do_pad. LLaVA-1.5 was trained on padded images (its original code always padded);
    // HF's LlavaImageProcessor defaults to not padding, and CLIPImageProcessor cannot pad at all.
    std::optional<bool> padToSquare;
    // Overrides the backend, which is otherwise Torchvision for "...Fast" processor names and Pil
    // for the rest. Torchvision supports BILINEAR and BICUBIC resampling only (ConfigError otherwise).
    std::optional<ProcessorBackend> backend;
};

// The model input for one image: [channels, height, width] float32, row-major.
struct PixelValues {
    int channels = 0;
    int height = 0;
    int width = 0;
    std::vector<float> data;

    float at(int c, int y, int x) const {
        return data[(static_cast<std::size_t>(c) * height + y) * width + x];
    }
};

struct PreprocessedImage {
    RgbImage image;  // 8-bit RGB after pad / resize / crop: what the model sees, for previews
    PixelValues pixelValues;
};

class ImagePreprocessor {
public:
    explicit ImagePreprocessor(PreprocessorConfig config);

    // Reads <folder>/preprocessor_config.json. Throws ConfigError when it is missing, names an
    // unsupported image_processor_type, or holds a value of the wrong type or range.
    static ImagePreprocessor fromModelFolder(const std::string& folder, const PreprocessOptions& options = {});
    static ImagePreprocessor fromConfigFile(const std::string& path, const PreprocessOptions& options = {});
    // `where` names the source in error messages.
    static PreprocessorConfig parseConfig(const util::Json& json, const std::string& where,
                                          const PreprocessOptions& options = {});

    const PreprocessorConfig& config() const { return m_config; }

    // Pad, resize and crop: the 8-bit image the model will see.
    RgbImage prepareImage(const RgbImage& image) const;
    // Rescale, normalize and reorder HWC → CHW, rounding as the chosen backend does.
    PixelValues toPixelValues(const RgbImage& prepared) const;
    PixelValues preprocess(const RgbImage& image) const { return toPixelValues(prepareImage(image)); }
    PreprocessedImage preprocessWithPreview(const RgbImage& image) const;

    // The affine map from bytes to model inputs, for code that must invert it:
    // value = (byte * rescaleFactor - mean[c]) / std[c], with rescaleFactor = 1 when do_rescale is
    // off and mean = 0, std = 1 when do_normalize is off.
    double effectiveRescaleFactor() const { return m_config.doRescale ? m_config.rescaleFactor : 1.0; }
    std::array<float, 3> normalizeMean() const;
    std::array<float, 3> normalizeStd() const;
    // Inverts rescale and normalize into an 8-bit preview (rounded, clipped to 0..255). Throws
    // InputError unless `values` has 3 channels and a matching data size.
    RgbImage toPreviewImage(const PixelValues& values) const;

    // The pad-to-square colour: int(mean * 255) per channel, as HF and LLaVA compute it.
    std::array<std::uint8_t, 3> padColor() const;

private:
    PreprocessorConfig m_config;
};

// HF's get_resize_output_image_size for an integer size and default_to_square=False: the shorter
// side becomes `shortestEdge`, the longer int(shortestEdge * long / short). Returns (width, height).
std::pair<int, int> shortestEdgeResizeSize(int width, int height, int shortestEdge);

// LLaVA's expand2square / HF's pad_to_square: a max(w,h) square of `color` with the image pasted
// centred at ((side - w) / 2, (side - h) / 2), rounding down. Square images are returned as they are.
RgbImage padToSquare(const RgbImage& image, const std::array<std::uint8_t, 3>& color);

// HF's center_crop: top = (H - cropHeight) // 2, left = (W - cropWidth) // 2; an image smaller
// than the crop is first padded with black (zeros) so the result is always cropWidth × cropHeight.
// The padding's odd pixel goes before the image in the Pil processors (ceil) and after it in the
// Torchvision ones (floor); that split is taken from their source, not from a fixture.
RgbImage centerCrop(const RgbImage& image, int cropWidth, int cropHeight,
                    ProcessorBackend backend = ProcessorBackend::Pil);

}  // namespace sena::image
