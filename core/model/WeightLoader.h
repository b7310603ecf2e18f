#pragma once
// Loads a Hugging Face LLaVA checkpoint folder (config.json + safetensors) into an LlavaModel.
// Accepts the legacy llava-hf key layout, the transformers ≥ 4.52 layout and the original LLaVA
// (mm_projector) layout; reports missing, unexpected and mis-shaped tensors by name.
#include "model/Device.h"
#include "model/LlavaModel.h"

#include <string>
#include <vector>

namespace sena::model {

enum class CheckpointLayout { LegacyHf, Current, OriginalLlava };
const char* layoutName(CheckpointLayout layout);

// Maps a checkpoint key to the internal name; empty when the key is known to be unused by LLaVA
// (vision layers past the selected feature layer, CLIP post_layernorm, SigLIP pooling head,
// rotary inv_freq buffers). `unusedReason` says why.
std::string internalName(const std::string& key, CheckpointLayout layout, std::string* unusedReason = nullptr);
CheckpointLayout detectLayout(const std::vector<std::string>& keys);

struct LoadReport {
    CheckpointLayout layout = CheckpointLayout::LegacyHf;
    std::size_t shards = 0;
    std::size_t tensorsLoaded = 0;
    std::vector<std::string> ignored;  // "key (reason)"
    std::string storedDType;           // e.g. "BF16"
};

struct LoadedLlava {
    LlavaModel model{nullptr};
    LlavaConfig config;
    LoadReport report;
};

// `dir` holds config.json and model.safetensors[.index.json]. Throws ConfigError / FormatError /
// WeightsError naming what is wrong and what to do; nothing is half-loaded on failure.
LoadedLlava loadLlava(const std::string& dir, const ComputeOptions& options);

// Builds a model of the configured shape with random weights (benchmarks, tests).
LlavaModel randomLlava(const LlavaConfig& config, const ComputeOptions& options, uint64_t seed, double std = 0.02);

// Parameter counts by part and bytes per dtype, for `sena info` and the start page.
struct ParameterCounts {
    int64_t vision = 0, projector = 0, language = 0, lmHead = 0;
    int64_t total() const { return vision + projector + language + lmHead; }
};
ParameterCounts countParameters(const LlavaConfig& config);

}  // namespace sena::model
