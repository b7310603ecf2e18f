// Training benchmark: DPO + ICA optimizer steps (forward over chosen and rejected rows, backward,
// AdamW) with LoRA, on the shape of the HF anchor: per pair 50 text + the image's tokens (576 for
// LLaVA-1.5) + 64 response tokens per sequence. Prints JSON: tokens/s per step and peak memory
// (CPU: VmHWM of the process; CUDA: the caching allocator's peak, when built against CUDA).
//   train_bench [--model fixture|100m|llava-1.5-7b|DIR] [--device cpu|cuda] [--dtype float32|bfloat16]
//               [--pairs 2] [--text-tokens 50] [--response-tokens 64] [--lora-r 64] [--full 0|1]
//               [--checkpointing 0|1] [--steps 3]
#include "BenchConfigs.h"
#include "model/Device.h"
#include "model/WeightLoader.h"
#include "train/DpoTrainer.h"
#include "util/Error.h"

#if defined(SENA_TRAIN_BENCH_CUDA)
#include <c10/cuda/CUDACachingAllocator.h>
#endif
#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

using namespace sena;

namespace {
const std::string kFixture = std::string(SENA_FIXTURES_DIR) + "/hf/tiny-llava-llama-clip";

// Peak resident set of this process in bytes (Linux /proc), 0 where unavailable.
int64_t hostPeakBytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stoll(line.substr(6)) * 1024;  // reported in kB
    return 0;
}

int64_t devicePeakBytes(const torch::Device& d) {
#if defined(SENA_TRAIN_BENCH_CUDA)
    if (d.is_cuda())
        return c10::cuda::CUDACachingAllocator::getDeviceStats(d.index() < 0 ? 0 : d.index()).allocated_bytes[0].peak;
#endif
    (void)d;
    return -1;  // not measured on this build / device
}

train::PreferenceExample makePair(const model::LlavaConfig& c, int64_t index, int64_t textTokens,
                                  int64_t responseTokens, const model::ComputeOptions& o) {
    auto token = [&](int64_t i) {
        const int64_t t = 3 + (index * 7919 + i * 104729) % (std::min<int64_t>(c.text.vocabSize, 32000) - 3);
        return t == c.imageTokenId ? t - 1 : t;  // text never looks like an image slot
    };
    train::PreferenceExample e;
    e.pairId = index;
    e.prompt.push_back(1);
    for (int64_t i = 1; i < textTokens / 2; ++i)
        e.prompt.push_back(token(i));
    for (int64_t i = 0; i < c.imageSeqLength(); ++i)
        e.prompt.push_back(c.imageTokenId);
    for (int64_t i = textTokens / 2; i < textTokens; ++i)
        e.prompt.push_back(token(i));
    for (int64_t i = 0; i < responseTokens; ++i) {
        e.chosen.push_back(token(1000 + i));
        e.rejected.push_back(token(2000 + i));
    }
    e.isDescription = index % 2 == 0;
    e.pixels = torch::randn({3, c.vision.imageSize, c.vision.imageSize}).to(o.device);
    // Reference values do not change the cost of a step; fixed ones spare a scoring pass.
    e.reference = train::ReferenceLogps{-5.0 * static_cast<double>(responseTokens),
                                        -5.5 * static_cast<double>(responseTokens), responseTokens, responseTokens};
    return e;
}
}  // namespace

int main(int argc, char** argv) {
    std::string modelName = "fixture", device = "cpu", dtype = "float32";
    int64_t pairs = 2, textTokens = 50, responseTokens = 64, loraR = 64, steps = 3;
    bool full = false, checkpointing = false;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--model") modelName = v;
        else if (k == "--device") device = v;
        else if (k == "--dtype") dtype = v;
        else if (k == "--pairs") pairs = std::stoll(v);
        else if (k == "--text-tokens") textTokens = std::stoll(v);
        else if (k == "--response-tokens") responseTokens = std::stoll(v);
        else if (k == "--lora-r") loraR = std::stoll(v);
        else if (k == "--full") full = v == "1";
        else if (k == "--checkpointing") checkpointing = v == "1";
        else if (k == "--steps") steps = std::stoll(v);
        else { std::cerr << "unknown option " << k << "\n"; return 2; }
    }
    try {
        model::configureThreads();
        model::ComputeOptions o;
        o.device = model::parseDevice(device);
        o.dtype = model::parseDType(dtype, o.device);
        model::LlavaModel m{nullptr};
        const std::string source = modelName == "fixture" ? kFixture : modelName;
        if (std::filesystem::is_directory(source))
            m = model::loadLlava(source, o).model;
        else
            m = model::randomLlava(bench::benchConfig(modelName), o, 1, 0.02);
        const auto& cfg = m->config();
        std::vector<train::PreferenceExample> examples;
        for (int64_t i = 0; i < pairs * (steps + 1); ++i)
            examples.push_back(makePair(cfg, i, textTokens, responseTokens, o));

        train::TrainerOptions t;
        t.mode = full ? train::FinetuneMode::Full : train::FinetuneMode::Lora;
        t.lora.r = loraR;
        t.lora.loraAlpha = 16;
        t.learningRate = 1e-5;
        t.perDeviceBatch = pairs;
        t.shuffle = false;
        t.gradientCheckpointing = checkpointing;
        t.collate.maxLength = cfg.text.maxPositions;
        train::DpoTrainer trainer(m, t);
        int64_t trainable = 0;
        for (const auto& p : trainer.trainableParameters())
            trainable += p.numel();
        std::vector<train::StepMetrics> metrics;
        trainer.setMetricsSink([&](const train::StepMetrics& s) { metrics.push_back(s); });
        const auto t0 = std::chrono::steady_clock::now();
        trainer.train(examples);
        const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

        // The first step pays one-off allocations (and CUDA kernel selection): report the rest.
        double tps = 0;
        for (size_t i = 1; i < metrics.size(); ++i)
            tps += metrics[i].tokensPerSecond / static_cast<double>(metrics.size() - 1);
        const int64_t seqLength = 1 + textTokens - 1 + cfg.imageSeqLength() + responseTokens;
        util::Json out = {{"bench", "train"},
                          {"model", modelName},
                          {"device", device},
                          {"dtype", dtype},
                          {"threads", torch::get_num_threads()},
                          {"mode", full ? "full" : "lora"},
                          {"lora_r", full ? 0 : loraR},
                          {"gradient_checkpointing", checkpointing},
                          {"pairs_per_step", pairs},
                          {"sequence_tokens", seqLength},
                          {"rows_per_step", 2 * pairs},
                          {"trainable_parameters", trainable},
                          {"steps_measured", static_cast<int64_t>(metrics.size()) - 1},
                          {"first_step_tokens_per_second", metrics.empty() ? 0.0 : metrics[0].tokensPerSecond},
                          {"tokens_per_second", tps},
                          {"seconds_per_step", tps > 0 ? static_cast<double>(2 * pairs * seqLength) / tps : 0.0},
                          {"total_seconds", total},
                          {"last_loss", metrics.empty() ? 0.0 : metrics.back().loss},
                          {"peak_host_bytes", hostPeakBytes()},
                          {"peak_device_bytes", devicePeakBytes(o.device)}};
        std::cout << out.dump(2) << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "train_bench: " << e.what() << "\n";
        return 1;
    }
}
