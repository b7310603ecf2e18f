#pragma once
// Small deterministic models and preference sets shared by test_train and its worker process.
#include "model/LoraAdapter.h"
#include "model/WeightLoader.h"
#include "train/DpoTrainer.h"
#include "train/SequenceLogps.h"
#include "util/Json.h"

#include <torch/torch.h>

#include <random>

namespace sena::train::testing {

// A small random LLaVA (Llama text, CLIP vision): 4 image tokens per image, vocabulary 96.
inline model::LlavaConfig smallConfig() {
    util::Json j = {
        {"model_type", "llava"},
        {"image_token_index", 90},
        {"vision_feature_layer", -2},
        {"text_config",
         {{"model_type", "llama"}, {"vocab_size", 96}, {"hidden_size", 32}, {"intermediate_size", 64},
          {"num_hidden_layers", 2}, {"num_attention_heads", 4}, {"num_key_value_heads", 2},
          {"max_position_embeddings", 128}, {"rms_norm_eps", 1e-6}, {"eos_token_id", 2}}},
        {"vision_config",
         {{"model_type", "clip_vision_model"}, {"hidden_size", 24}, {"intermediate_size", 48},
          {"num_hidden_layers", 2}, {"num_attention_heads", 2}, {"image_size", 28}, {"patch_size", 14}}}};
    return model::LlavaConfig::fromJson(j, "test config");
}

inline model::LlavaModel smallModel(torch::ScalarType dtype = torch::kFloat32, uint64_t seed = 7) {
    model::ComputeOptions o;
    o.dtype = dtype;
    return model::randomLlava(smallConfig(), o, seed, 0.1);
}

// `count` pairs: prompt = 2 text tokens, the image's tokens, 2 text tokens; responses of 2–5
// random tokens plus EOS (2); every third pair is a `des` pair.
inline std::vector<PreferenceExample> makeExamples(const model::LlavaConfig& c, int count, uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto token = [&] { return static_cast<int64_t>(3 + rng() % 80); };
    auto response = [&] {
        std::vector<int64_t> r(2 + rng() % 4);
        for (auto& t : r)
            t = token();
        r.push_back(2);
        return r;
    };
    std::vector<PreferenceExample> out;
    for (int i = 0; i < count; ++i) {
        PreferenceExample e;
        e.pairId = 100 + i;
        e.prompt = {1, token()};
        for (int64_t k = 0; k < c.imageSeqLength(); ++k)
            e.prompt.push_back(c.imageTokenId);
        e.prompt.push_back(token());
        e.prompt.push_back(token());
        e.chosen = response();
        e.rejected = response();
        e.isDescription = i % 3 == 0;
        auto gen = at::detail::createCPUGenerator(seed * 1000 + static_cast<uint64_t>(i));
        e.pixels = at::normal(0.0, 1.0, {3, c.vision.imageSize, c.vision.imageSize}, gen);
        out.push_back(std::move(e));
    }
    return out;
}

inline void attachReferences(model::LlavaModel& m, std::vector<PreferenceExample>& examples,
                             const CollateOptions& collate = {}) {
    auto refs = computeReferenceLogps(m, examples, 3, collate);
    for (size_t i = 0; i < examples.size(); ++i)
        examples[i].reference = refs[i];
}

// The settings the data-parallel equality test runs with (global batch 4 = 4 × 1 or 2 × 2).
inline TrainerOptions ddpOptions(int worldSize) {
    TrainerOptions o;
    o.mode = FinetuneMode::Full;
    o.learningRate = 1e-3;
    o.perDeviceBatch = 1;
    o.gradientAccumulation = 4 / worldSize;
    o.epochs = 2;
    o.maxGradNorm = 1.0;
    o.seed = 11;
    o.collate.maxLength = 64;
    o.loss.icaScope = IcaScope::Descriptions;
    return o;
}

}  // namespace sena::train::testing
