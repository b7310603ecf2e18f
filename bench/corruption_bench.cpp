// Corruption preview latency: a 640×480 image to the 336-px preview the model sees, per chain.
// Prints JSON. Target: well under 100 ms per preview so the corruption lab feels live.
#include "image/ImagePreprocessor.h"
#include "image/corruption/ApplyCorruption.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>

using namespace sena::image;

int main() {
    auto pre = ImagePreprocessor(ImagePreprocessor::parseConfig(
        nlohmann::json{{"image_processor_type", "CLIPImageProcessor"},
                       {"size", {{"shortest_edge", 336}}},
                       {"crop_size", {{"height", 336}, {"width", 336}}},
                       {"do_center_crop", true},
                       {"image_mean", {0.48145466, 0.4578275, 0.40821073}},
                       {"image_std", {0.26862954, 0.26130258, 0.27577711}}},
        "bench"));
    RgbImage image(640, 480);
    for (int y = 0; y < 480; ++y)
        for (int x = 0; x < 640; ++x)
            for (int c = 0; c < 3; ++c)
                image.pixels[(static_cast<size_t>(y) * 640 + x) * 3 + c] = static_cast<uint8_t>((x * 7 + y * 3 + c * 50) % 256);
    nlohmann::json out = {{"bench", "corruption_preview"}, {"image", "640x480"}, {"preview", "336x336"}};
    for (const char* spec : {"none", "diffusion:t=600", "blur:sigma=2+diffusion:t=600",
                             "jitter:brightness=0.5,contrast=0.3,saturation=0.3,hue=0.3+blur:sigma=2+mask:ratio=0.3+"
                             "jpeg:quality=15+noise:sigma=10+diffusion:t=600"}) {
        auto chain = CorruptionChain::parse(spec);
        std::vector<double> ms;
        for (int run = 0; run < 15; ++run) {
            auto t = std::chrono::steady_clock::now();
            applyCorruption(chain, image, pre, static_cast<uint64_t>(run));
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count());
        }
        std::sort(ms.begin(), ms.end());
        out["chains"].push_back({{"spec", chain.toString()}, {"median_ms", ms[ms.size() / 2]}, {"min_ms", ms.front()}});
    }
    std::cout << out.dump(1) << std::endl;
}
