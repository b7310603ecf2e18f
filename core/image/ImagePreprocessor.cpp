#include "image/ImagePreprocessor.h"

#include "util/Error.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <tuple>

namespace sena::image {

namespace {

// OpenAI CLIP's statistics: CLIPImageProcessor's defaults when the file omits them.
constexpr std::array<double, 3> kClipMean{0.48145466, 0.4578275, 0.40821073};
constexpr std::array<double, 3> kClipStd{0.26862954, 0.26130258, 0.27577711};

int floorDiv(int a, int b) {
    const int q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

ImageProcessorKind kindFromName(const std::string& type, const std::string& where) {
    std::string base = type;
    if (endsWith(base, "Fast"))
        base.resize(base.size() - 4);
    if (base == "CLIPImageProcessor" || base == "CLIPFeatureExtractor")
        return ImageProcessorKind::Clip;
    if (base == "LlavaImageProcessor")
        return ImageProcessorKind::Llava;
    if (base == "SiglipImageProcessor")
        return ImageProcessorKind::Siglip;
    throw ConfigError(where + ": image_processor_type '" + type +
                      "' is not supported; supported are CLIPImageProcessor, LlavaImageProcessor and "
                      "SiglipImageProcessor (and their Fast variants). Use a model whose processor is one of these");
}

int positiveInt(const util::JsonObject& obj, const std::string& key) {
    const auto v = obj.optInteger(key);
    if (!v)
        obj.fail(key, "a positive integer");
    if (*v < 1 || *v > 1 << 16)
        obj.fail(key, "an integer between 1 and 65536");
    return static_cast<int>(*v);
}

// image_mean / image_std: a list of three numbers, or one number for all channels (HF allows both).
std::array<double, 3> channelTriple(const util::JsonObject& cfg, const std::string& key,
                                    const std::array<double, 3>& fallback) {
    if (cfg.isNull(key))
        return fallback;
    const util::Json& v = cfg.raw().at(key);
    if (v.is_number())
        return {v.get<double>(), v.get<double>(), v.get<double>()};
    if (!v.is_array() || v.size() != 3 || !std::all_of(v.begin(), v.end(), [](const util::Json& x) { return x.is_number(); }))
        cfg.fail(key, "a list of 3 numbers (one per RGB channel)");
    return {v[0].get<double>(), v[1].get<double>(), v[2].get<double>()};
}

// `size`: {"shortest_edge": n}, {"height": h, "width": w}, or a bare integer (older configs).
void parseSize(const util::JsonObject& cfg, PreprocessorConfig& c) {
    const bool siglip = c.kind == ImageProcessorKind::Siglip;
    if (cfg.isNull("size")) {
        if (siglip)
            c.resizeHeight = c.resizeWidth = 224;
        else
            c.shortestEdge = 224;
        return;
    }
    const util::Json& raw = cfg.raw().at("size");
    if (raw.is_number()) {
        // HF's get_size_dict: CLIP treats a bare int as the shortest edge, SigLIP as a square.
        const int n = positiveInt(cfg, "size");
        if (siglip)
            c.resizeHeight = c.resizeWidth = n;
        else
            c.shortestEdge = n;
        return;
    }
    const util::JsonObject size = cfg.object("size");
    if (size.has("height") && size.has("width")) {
        c.resizeHeight = positiveInt(size, "height");
        c.resizeWidth = positiveInt(size, "width");
    } else if (size.has("shortest_edge") && !siglip) {
        c.shortestEdge = positiveInt(size, "shortest_edge");
    } else {
        cfg.fail("size", siglip ? "an object with 'height' and 'width' (SiglipImageProcessor resizes to an exact size)"
                                : "an object with 'shortest_edge', or with 'height' and 'width'");
    }
}

void parseCropSize(const util::JsonObject& cfg, PreprocessorConfig& c) {
    if (cfg.isNull("crop_size")) {
        c.cropHeight = c.cropWidth = 224;
        return;
    }
    if (cfg.raw().at("crop_size").is_number()) {
        c.cropHeight = c.cropWidth = positiveInt(cfg, "crop_size");
        return;
    }
    const util::JsonObject crop = cfg.object("crop_size");
    c.cropHeight = positiveInt(crop, "height");
    c.cropWidth = positiveInt(crop, "width");
}

}  // namespace

PreprocessorConfig ImagePreprocessor::parseConfig(const util::Json& json, const std::string& where,
                                                  const PreprocessOptions& options) {
    const util::JsonObject cfg(json, where);
    PreprocessorConfig c;
    // Old configs name the feature-extractor class instead of the image-processor class.
    std::optional<std::string> type = cfg.optString("image_processor_type");
    if (!type)
        type = cfg.optString("feature_extractor_type");
    if (!type)
        throw ConfigError(where + ": no 'image_processor_type' (nor 'feature_extractor_type'); expected "
                                  "CLIPImageProcessor, LlavaImageProcessor or SiglipImageProcessor");
    c.processorType = *type;
    c.kind = kindFromName(*type, where);
    // transformers 5 loads the fast (torchvision) processor for these class names by default, and the
    // golden fixtures match it bit for bit; Pillow (transformers 4.x, LLaVA's training code) differs by
    // at most one 8-bit level and stays available through PreprocessOptions::backend.
    const auto resampleCode = cfg.integer("resample", 3);
    const bool torchvisionCanResample = resampleCode == 2 || resampleCode == 3;
    c.backend = options.backend.value_or(endsWith(*type, "Fast") || torchvisionCanResample
                                             ? ProcessorBackend::Torchvision
                                             : ProcessorBackend::Pil);
    const bool siglip = c.kind == ImageProcessorKind::Siglip;

    c.doConvertRgb = cfg.boolean("do_convert_rgb", true);
    c.doResize = cfg.boolean("do_resize", true);
    parseSize(cfg, c);
    c.resample = resampleFilterFromPil(cfg.integer("resample", 3), where);
    if (c.backend == ProcessorBackend::Torchvision && c.resample != ResampleFilter::Bicubic &&
        c.resample != ResampleFilter::Bilinear)
        throw ConfigError(where + ": resample " + std::to_string(static_cast<int>(c.resample)) + " (" +
                          resampleFilterName(c.resample) +
                          ") is not reproduced for torchvision-style processors (BILINEAR and BICUBIC are); "
                          "choose the PIL backend");
    if (siglip) {
        c.doCenterCrop = false;  // SiglipImageProcessor has no crop step; HF ignores such keys
    } else {
        c.doCenterCrop = cfg.boolean("do_center_crop", true);
        parseCropSize(cfg, c);
    }
    c.doRescale = cfg.boolean("do_rescale", true);
    c.rescaleFactor = cfg.number("rescale_factor", 1.0 / 255.0);
    if (!(c.rescaleFactor > 0) || !std::isfinite(c.rescaleFactor))
        cfg.fail("rescale_factor", "a positive number");
    c.doNormalize = cfg.boolean("do_normalize", true);
    c.imageMean = channelTriple(cfg, "image_mean", siglip ? std::array<double, 3>{0.5, 0.5, 0.5} : kClipMean);
    c.imageStd = channelTriple(cfg, "image_std", siglip ? std::array<double, 3>{0.5, 0.5, 0.5} : kClipStd);
    for (double s : c.imageStd)
        if (!(s > 0) || !std::isfinite(s))
            cfg.fail("image_std", "three positive numbers");
    // Only LlavaImageProcessor reads do_pad; the option overrides it for every processor.
    c.doPad = c.kind == ImageProcessorKind::Llava ? cfg.boolean("do_pad", false) : false;
    if (options.padToSquare)
        c.doPad = *options.padToSquare;
    return c;
}

ImagePreprocessor::ImagePreprocessor(PreprocessorConfig config) : m_config(std::move(config)) {
    const PreprocessorConfig& c = m_config;
    if (c.doResize && c.shortestEdge <= 0 && (c.resizeHeight <= 0 || c.resizeWidth <= 0))
        throw ConfigError("image preprocessor '" + c.processorType + "': resizing needs a shortest edge or a height "
                          "and width above 0");
    if (c.doResize && c.backend == ProcessorBackend::Torchvision && c.resample != ResampleFilter::Bicubic &&
        c.resample != ResampleFilter::Bilinear)
        throw ConfigError("image preprocessor '" + c.processorType + "': the torchvision backend resamples with "
                          "BILINEAR or BICUBIC only, not " + resampleFilterName(c.resample));
    if (c.doCenterCrop && (c.cropHeight <= 0 || c.cropWidth <= 0))
        throw ConfigError("image preprocessor '" + c.processorType + "': the crop size must be above 0");
}

ImagePreprocessor ImagePreprocessor::fromConfigFile(const std::string& path, const PreprocessOptions& options) {
    return ImagePreprocessor(parseConfig(util::readJsonFile(path), path, options));
}

ImagePreprocessor ImagePreprocessor::fromModelFolder(const std::string& folder, const PreprocessOptions& options) {
    const std::string path = (std::filesystem::path(folder) / "preprocessor_config.json").string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw ConfigError("model folder '" + folder +
                          "' has no preprocessor_config.json; original LLaVA checkpoints keep it with their vision "
                          "tower (e.g. openai/clip-vit-large-patch14-336): copy that file into the folder");
    return fromConfigFile(path, options);
}

std::array<std::uint8_t, 3> ImagePreprocessor::padColor() const {
    std::array<std::uint8_t, 3> color{};
    for (int c = 0; c < 3; ++c) {
        // Python's int() truncates; clamp so odd means cannot wrap around.
        const double v = std::clamp(m_config.imageMean[c] * 255, 0.0, 255.0);
        color[c] = static_cast<std::uint8_t>(static_cast<int>(v));
    }
    return color;
}

RgbImage ImagePreprocessor::prepareImage(const RgbImage& input) const {
    if (input.empty())
        throw InputError("image preprocessing: the image is empty");
    const PreprocessorConfig& c = m_config;
    RgbImage image = c.doPad ? padToSquare(input, padColor()) : input;
    if (c.doResize) {
        int w = c.resizeWidth, h = c.resizeHeight;
        if (c.shortestEdge > 0)
            std::tie(w, h) = shortestEdgeResizeSize(image.width, image.height, c.shortestEdge);
        image = resizeImage(image, w, h, c.resample,
                            c.backend == ProcessorBackend::Pil ? ResampleArithmetic::Pillow
                                                               : ResampleArithmetic::TorchUint8);
    }
    if (c.doCenterCrop)
        image = centerCrop(image, c.cropWidth, c.cropHeight, c.backend);
    return image;
}

std::array<float, 3> ImagePreprocessor::normalizeMean() const {
    if (!m_config.doNormalize)
        return {0.f, 0.f, 0.f};
    return {static_cast<float>(m_config.imageMean[0]), static_cast<float>(m_config.imageMean[1]),
            static_cast<float>(m_config.imageMean[2])};
}

std::array<float, 3> ImagePreprocessor::normalizeStd() const {
    if (!m_config.doNormalize)
        return {1.f, 1.f, 1.f};
    return {static_cast<float>(m_config.imageStd[0]), static_cast<float>(m_config.imageStd[1]),
            static_cast<float>(m_config.imageStd[2])};
}

PixelValues ImagePreprocessor::toPixelValues(const RgbImage& image) const {
    PixelValues out;
    out.channels = 3;
    out.height = image.height;
    out.width = image.width;
    out.data.resize(static_cast<std::size_t>(3) * image.width * image.height);
    const PreprocessorConfig& cfg = m_config;
    const double scale = effectiveRescaleFactor();
    const std::array<float, 3> mean = normalizeMean();
    const std::array<float, 3> stdev = normalizeStd();
    // Byte values are only 256, so tabulate each channel's map.
    for (int c = 0; c < 3; ++c) {
        float table[256];
        for (int v = 0; v < 256; ++v) {
            if (cfg.backend == ProcessorBackend::Pil) {
                // numpy: rescale in float64, cast to float32, then (x - mean) / std in float32.
                const float rescaled = static_cast<float>(static_cast<double>(v) * scale);
                table[v] = cfg.doNormalize ? (rescaled - mean[c]) / stdev[c] : rescaled;
            } else if (cfg.doNormalize) {
                // torch: rescale folded into float32 mean and std (mean * (1 / factor)), then
                // (x - mean') / std' in float32.
                const float inverse = static_cast<float>(1.0 / scale);
                table[v] = (static_cast<float>(v) - mean[c] * inverse) / (stdev[c] * inverse);
            } else {
                table[v] = static_cast<float>(v) * static_cast<float>(scale);  // uint8 tensor * float
            }
        }
        float* dst = out.data.data() + static_cast<std::size_t>(c) * image.width * image.height;
        for (std::size_t i = 0, n = static_cast<std::size_t>(image.width) * image.height; i < n; ++i)
            dst[i] = table[image.pixels[i * 3 + c]];
    }
    return out;
}

PreprocessedImage ImagePreprocessor::preprocessWithPreview(const RgbImage& image) const {
    PreprocessedImage out;
    out.image = prepareImage(image);
    out.pixelValues = toPixelValues(out.image);
    return out;
}

RgbImage ImagePreprocessor::toPreviewImage(const PixelValues& values) const {
    const std::size_t plane = static_cast<std::size_t>(values.width) * values.height;
    if (values.channels != 3 || values.width <= 0 || values.height <= 0 || values.data.size() != 3 * plane)
        throw InputError("preview: pixel values must be [3, H, W] with H, W > 0 and 3*H*W floats; got [" +
                         std::to_string(values.channels) + ", " + std::to_string(values.height) + ", " +
                         std::to_string(values.width) + "] with " + std::to_string(values.data.size()) + " floats");
    const double scale = effectiveRescaleFactor();
    const std::array<float, 3> mean = normalizeMean();
    const std::array<float, 3> stdev = normalizeStd();
    RgbImage out(values.width, values.height);
    for (int c = 0; c < 3; ++c) {
        const float* src = values.data.data() + c * plane;
        for (std::size_t i = 0; i < plane; ++i) {
            const double byte = (static_cast<double>(src[i]) * stdev[c] + mean[c]) / scale;
            const double clipped = std::isnan(byte) ? 0.0 : std::clamp(std::round(byte), 0.0, 255.0);
            out.pixels[i * 3 + c] = static_cast<std::uint8_t>(clipped);
        }
    }
    return out;
}

std::pair<int, int> shortestEdgeResizeSize(int width, int height, int shortestEdge) {
    const bool portrait = width <= height;
    const long long shortSide = portrait ? width : height;
    const long long longSide = portrait ? height : width;
    if (shortSide <= 0)
        throw InputError("resize: image size " + std::to_string(width) + "x" + std::to_string(height) +
                         " has no shortest edge");
    // Python: int(size * long / short): exact integers, one correctly rounded division, truncation.
    const int newLong = static_cast<int>(static_cast<double>(shortestEdge * longSide) / static_cast<double>(shortSide));
    return portrait ? std::make_pair(shortestEdge, newLong) : std::make_pair(newLong, shortestEdge);
}

RgbImage padToSquare(const RgbImage& image, const std::array<std::uint8_t, 3>& color) {
    if (image.width == image.height)
        return image;
    const int side = std::max(image.width, image.height);
    RgbImage out = RgbImage::filled(side, side, color[0], color[1], color[2]);
    pasteImage(out, image, (side - image.width) / 2, (side - image.height) / 2);
    return out;
}

RgbImage centerCrop(const RgbImage& image, int cropWidth, int cropHeight, ProcessorBackend backend) {
    if (cropWidth < 1 || cropHeight < 1)
        throw InputError("centre crop: size " + std::to_string(cropWidth) + "x" + std::to_string(cropHeight) +
                         " must be at least 1x1");
    int top = floorDiv(image.height - cropHeight, 2);
    int left = floorDiv(image.width - cropWidth, 2);
    const RgbImage* source = &image;
    RgbImage padded;
    if (top < 0 || left < 0) {
        // HF pads a too-small image with zeros; the odd pixel goes first (Pil) or last (Torchvision).
        const int newH = std::max(cropHeight, image.height);
        const int newW = std::max(cropWidth, image.width);
        const int roundUp = backend == ProcessorBackend::Pil ? 1 : 0;
        const int topPad = (newH - image.height + roundUp) / 2;
        const int leftPad = (newW - image.width + roundUp) / 2;
        padded = RgbImage(newW, newH);
        pasteImage(padded, image, leftPad, topPad);
        top = std::max(0, top + topPad);
        left = std::max(0, left + leftPad);
        source = &padded;
    }
    RgbImage out(cropWidth, cropHeight);
    pasteImage(out, *source, -left, -top);
    return out;
}

}  // namespace sena::image
