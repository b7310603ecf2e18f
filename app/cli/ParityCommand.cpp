// sena parity DIR: checks the engine against golden references made by transformers.
#include "CliSupport.h"
#include "Commands.h"
#include "image/ImageLoader.h"
#include "image/ImagePreprocessor.h"
#include "model/ParityCheck.h"
#include "util/Error.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace sena::cli {
namespace fs = std::filesystem;

void registerParityCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("parity", "Compare the engine with transformers' reference outputs in a fixture folder");
    struct Args {
        std::string dir;
        ComputeFlags compute;
        double tolerance = -1;
        std::string adapter;
        bool json = false;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("dir", a->dir, "Folder with config.json, model.safetensors, image.png, expected.json, expected.safetensors")
        ->required();
    a->compute.add(cmd);
    cmd->add_option("--tolerance", a->tolerance, "Override the dtype's default tolerance");
    cmd->add_option("--adapter", a->adapter, "PEFT LoRA adapter folder to apply");
    cmd->add_flag("--json", a->json, "Print JSON");
    cmd->callback([a] {
        model::ParityOptions options;
        options.compute = a->compute.resolve();
        options.tolerance = a->tolerance;
        options.adapterDir = a->adapter;
        std::vector<float> ours;
        const fs::path image = fs::path(a->dir) / "image.png";
        const fs::path ppm = fs::path(a->dir) / "image.ppm";
        std::string pixelNote;
        try {
            auto pre = image::ImagePreprocessor::fromModelFolder(a->dir);
            const fs::path src = image::imageLoaderHasOpenCv() || !fs::exists(ppm) ? image : ppm;
            if (fs::exists(src))
                ours = pre.preprocess(image::loadImage(src.string())).data;
        } catch (const FormatError& e) {
            // A build without OpenCV cannot decode PNG; the model checks still run on the reference pixels.
            pixelNote = e.what();
        }
        auto results = model::ParityCheck::run(a->dir, options, ours.empty() ? nullptr : &ours);
        bool ok = true;
        util::Json out = util::Json::array();
        for (const auto& r : results) {
            ok = ok && r.passed;
            out.push_back({{"name", r.name}, {"kind", r.kind}, {"max_abs_diff", r.maxAbsDiff},
                           {"tolerance", r.tolerance}, {"matched", r.matched}, {"total", r.total},
                           {"passed", r.passed}, {"note", r.note}});
        }
        if (a->json) {
            std::cout << util::Json{{"dir", a->dir}, {"device", a->compute.device}, {"dtype", a->compute.dtype},
                                    {"passed", ok}, {"comparisons", out}}
                             .dump(1)
                      << "\n";
        } else {
            std::printf("parity %s (%s, %s)\n", a->dir.c_str(), a->compute.device.c_str(), a->compute.dtype.c_str());
            for (const auto& r : results) {
                if (r.kind == "max_abs")
                    std::printf("  %-28s max|diff| %.3e  tol %.1e  %s", r.name.c_str(), r.maxAbsDiff, r.tolerance,
                                r.passed ? "ok" : "FAIL");
                else if (r.kind == "tokens")
                    std::printf("  %-28s %lld/%lld tokens match  %s", r.name.c_str(), static_cast<long long>(r.matched),
                                static_cast<long long>(r.total), r.passed ? "ok" : "FAIL");
                else
                    std::printf("  %-28s skipped", r.name.c_str());
                std::printf("%s%s\n", r.note.empty() ? "" : "  — ", r.note.c_str());
            }
            if (!pixelNote.empty())
                std::printf("  note: %s\n", pixelNote.c_str());
            std::printf("%s: %zu comparisons\n", ok ? "PASS" : "FAIL", results.size());
        }
        if (!ok)
            throw Error("parity failed: at least one comparison is outside its tolerance");
    });
}

}  // namespace sena::cli
