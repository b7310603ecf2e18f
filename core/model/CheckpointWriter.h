#pragma once
// Merging LoRA adapters into the base weights and saving a complete Hugging Face checkpoint that
// transformers (and loadLlava) can load.
#include "model/LlavaModel.h"
#include "model/WeightLoader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sena::model {

// W ← W + B·A·scaling for every adapted linear layer (computed in float32), then drops the
// adapters. Returns the number of layers merged.
std::size_t mergeLora(LlavaModel& model);

// The checkpoint key for an internal parameter name in `layout` (the inverse of internalName):
// LegacyHf "language_model.layers.0…" → "language_model.model.layers.0…", "lm_head.weight" →
// "language_model.lm_head.weight"; Current → "model.language_model.…", "lm_head.weight".
// The original LLaVA layout is not written (InputError).
std::string checkpointKey(const std::string& internalName, CheckpointLayout layout);

struct HfSaveOptions {
    torch::ScalarType dtype = torch::ScalarType::Undefined;  // Undefined: the model's dtype
    CheckpointLayout layout = CheckpointLayout::LegacyHf;      // what released llava-hf files use
    std::uint64_t maxShardBytes = 5'000'000'000;               // HF's default "5GB"
    bool overwrite = false;  // replace an existing outDir (only once the new one is complete)
};

struct HfSaveReport {
    std::size_t tensors = 0;
    std::size_t copiedThrough = 0;  // source tensors the engine does not build, copied unchanged
    std::size_t shards = 0;
    std::uint64_t totalBytes = 0;
    std::vector<std::string> dropped;    // "key (reason)": rotary buffers, tied lm_head
    std::vector<std::string> sideFiles;  // copied from the source folder
};

// Writes `outDir` as a complete HF checkpoint of `model`, whose weights were loaded from
// `sourceDir`: config.json (the source's, with dtype / torch_dtype set to the saved dtype),
// model.safetensors or model-0000k-of-0000n.safetensors + model.safetensors.index.json above
// `maxShardBytes`, and the processor, tokenizer, generation and chat-template files of the source.
// Source tensors the engine does not build (vision layers past the feature layer, CLIP's
// post_layernorm, SigLIP's head) are copied through, renamed to the output layout, so the result
// is the whole model. Everything is written to a temporary sibling folder that is renamed to
// `outDir` at the end, so `outDir` is never half-written. Refuses a model with unmerged adapters.
HfSaveReport saveHfCheckpoint(const LlavaModel& model, const std::string& sourceDir, const std::string& outDir,
                              const HfSaveOptions& options = {});

}  // namespace sena::model
