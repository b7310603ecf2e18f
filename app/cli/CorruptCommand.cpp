// sena corrupt IMAGE --spec SPEC [--seed N] [--model DIR] [--pad-to-square] --out PNG [--side-by-side]
// sena corrupt --list
//
// Writes what the model would see after a corruption chain (the rejected side's input) as a PNG,
// to tune corruptions by eye from a shell; prints the canonical spec, the seed and, for diffusion,
// sqrt(ᾱ_t) and sqrt(1 - ᾱ_t).
#include "Commands.h"
#include "image/ImageLoader.h"
#include "image/ImagePreprocessor.h"
#include "image/corruption/ApplyCorruption.h"
#include "image/corruption/CorruptionCatalog.h"
#include "image/corruption/DiffusionNoise.h"
#include "image/corruption/PreviewImage.h"
#include "util/Error.h"
#include "util/Json.h"

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace sena::cli {

namespace {

struct CorruptOptions {
    std::string image;
    std::string spec;
    std::string seed = "0";  // text: CLI11 would wrap "-1" to 2^64 - 1 without a word
    std::string model;
    bool padToSquare = false;
    std::string out;
    bool sideBySide = false;
    bool list = false;
};

// LLaVA-1.5's vision tower, CLIP ViT-L/14-336, as its preprocessor_config.json describes it.
image::ImagePreprocessor defaultPreprocessor(const image::PreprocessOptions& options) {
    const util::Json json = {
        {"image_processor_type", "CLIPImageProcessor"},
        {"size", {{"shortest_edge", 336}}},
        {"crop_size", {{"height", 336}, {"width", 336}}},
        {"do_center_crop", true},
        {"resample", 3},
        {"image_mean", {0.48145466, 0.4578275, 0.40821073}},
        {"image_std", {0.26862954, 0.26130258, 0.27577711}},
    };
    return image::ImagePreprocessor(image::ImagePreprocessor::parseConfig(json, "built-in CLIP-L/336", options));
}

std::uint64_t parseSeed(const std::string& text) {
    std::uint64_t seed = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size())
        throw InputError("sena corrupt: --seed '" + text + "' is not a whole number from 0 to 18446744073709551615");
    return seed;
}

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

void printCatalog() {
    std::cout << "Corruptions. A spec joins steps with '+'; a step is NAME or NAME:KEY=VALUE,KEY=VALUE;\n"
                 "omitted parameters take their defaults; image-space steps come before tensor-space ones;\n"
                 "'none' (or an empty spec) is no corruption. Example: blur:sigma=2+diffusion:t=600\n";
    for (const image::CorruptionType& type : image::corruptionCatalog()) {
        std::cout << "\n" << type.name << "  [" << image::corruptionSpaceName(type.space) << "]\n    "
                  << type.description << "\n";
        for (const image::CorruptionParameter& p : type.parameters) {
            std::string head = "    " + p.name + "=" + image::formatCorruptionValue(p.defaultValue);
            head.resize(std::max<std::size_t>(head.size() + 2, 22), ' ');
            std::cout << head << (p.integer ? "integer " : "") << image::formatCorruptionValue(p.minValue) << " .. "
                      << image::formatCorruptionValue(p.maxValue) << ": " << p.description << "\n";
        }
    }
}

void run(const CorruptOptions& o) {
    if (o.list) {
        printCatalog();
        return;
    }
    if (o.image.empty() || o.out.empty() || o.spec.empty())
        throw InputError("sena corrupt: IMAGE, --spec and --out are required (or use --list to see the corruptions); "
                         "e.g. sena corrupt photo.jpg --spec diffusion:t=600 --out rejected.png");
    const image::CorruptionChain chain = image::CorruptionChain::parse(o.spec);
    const std::uint64_t seed = parseSeed(o.seed);
    image::PreprocessOptions options;
    if (o.padToSquare)
        options.padToSquare = true;
    const image::ImagePreprocessor pre =
        o.model.empty() ? defaultPreprocessor(options) : image::ImagePreprocessor::fromModelFolder(o.model, options);
    const image::RgbImage original = image::loadImage(o.image);
    const image::CorruptedImage corrupted = image::applyCorruption(chain, original, pre, seed);
    image::RgbImage picture = corrupted.preview;
    if (o.sideBySide) {
        const image::RgbImage clean = image::applyCorruption(image::CorruptionChain(), original, pre, seed).preview;
        picture = image::sideBySide(clean, corrupted.preview);
    }
    image::writePng(picture, o.out);

    std::cout << "spec     " << chain.toString() << "\n"
              << "seed     " << seed << "\n"
              << "input    " << o.image << " (" << original.width << "x" << original.height << ") -> "
              << corrupted.preview.width << "x" << corrupted.preview.height << " model input via "
              << (o.model.empty() ? std::string("built-in CLIP-L/336") : o.model + "/preprocessor_config.json")
              << "\n";
    for (const image::CorruptionStep& step : chain.steps()) {
        if (step.name() != "diffusion")
            continue;
        const image::DiffusionCoefficients k = image::diffusionCoefficients(step.intValue("t"));
        std::cout << "diffusion t=" << step.intValue("t") << ": sqrt(abar)=" << fixed(k.sqrtAlphaBar, 4)
                  << " sqrt(1-abar)=" << fixed(k.sqrtOneMinusAlphaBar, 4) << "\n";
    }
    std::cout << "wrote    " << o.out << " (" << picture.width << "x" << picture.height
              << (o.sideBySide ? ", clean | corrupted" : "") << ")\n";
}

}  // namespace

void registerCorruptCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("corrupt", "Write what the model sees after a corruption chain (rejected-side input) as PNG");
    auto o = std::make_shared<CorruptOptions>();
    cmd->add_option("image", o->image, "Image file");
    cmd->add_option("--spec", o->spec, "Corruption chain, e.g. blur:sigma=2+diffusion:t=600 (see --list)");
    cmd->add_option("--seed", o->seed, "Seed of the corruption noise (0 .. 2^64-1)")->capture_default_str();
    cmd->add_option("--model", o->model,
                    "Model folder whose preprocessor_config.json to use (default: CLIP-L/336 as LLaVA-1.5: shortest "
                    "edge 336, centre crop 336, bicubic, CLIP mean/std)");
    cmd->add_flag("--pad-to-square", o->padToSquare, "Pad to a square with the mean colour first (LLaVA-1.5's training)");
    cmd->add_option("--out", o->out, "Output PNG");
    cmd->add_flag("--side-by-side", o->sideBySide, "Write clean | corrupted next to each other");
    cmd->add_flag("--list", o->list, "List the corruptions, their parameters and ranges");
    cmd->callback([o] { run(*o); });
}

}  // namespace sena::cli
