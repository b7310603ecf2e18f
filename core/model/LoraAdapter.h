#pragma once
// LoRA adapters on an LlavaModel, in PEFT's format: attach (PEFT's initialisation), load and save
// adapter_config.json + adapter_model.safetensors. The adapters live in the model's LinearImpl
// layers (Layers.h); merging and full-checkpoint export are in CheckpointWriter.h.
#include "model/LlavaModel.h"
#include "model/LoraConfig.h"
#include "model/WeightLoader.h"

#include <string>
#include <vector>

namespace sena::model {

// The module path PEFT sees on a transformers >= 4.52 LlavaForConditionalGeneration for one of our
// internal module names: "language_model.layers.0.self_attn.q_proj" →
// "model.language_model.layers.0.self_attn.q_proj", "vision_tower.vision_model.…" →
// "model.vision_tower.vision_model.…", "lm_head" → "lm_head". Target matching uses these keys.
// With LegacyHf, the paths of older transformers ("language_model.model.layers.0…",
// "language_model.lm_head"), which adapters saved in that spelling were matched against.
std::string peftModuleKey(const std::string& internalModuleName, CheckpointLayout layout = CheckpointLayout::Current);

// Adds an adapter to every linear layer the config targets (lm_head never: PEFT's all-linear leaves
// the output layer alone and SENA never adapts it), initialised as PEFT's init_lora_weights says:
// true → A ~ U(−1/√in, 1/√in) (kaiming-uniform, a=√5) and B = 0, so the model is unchanged;
// false → B ~ U(−1/√r, 1/√r) as well; "gaussian" → A ~ N(0, (1/r)²), B = 0. Draws come from a CPU
// generator seeded with `seed`, so they do not depend on the device. `dtype` is the adapters'
// dtype (float32 master weights by default, also on a bf16 base). Returns the internal names of
// the wrapped modules in model order. Throws ConfigError naming the targets when nothing matches,
// InputError when a targeted layer already has an adapter (nothing is attached then).
std::vector<std::string> attachLora(LlavaModel& model, const LoraConfig& config, uint64_t seed,
                                    torch::ScalarType dtype = torch::kFloat32);

// Internal names of the linear layers that carry an adapter, in model order.
std::vector<std::string> loraModules(const LlavaModel& model);
// The adapters' A and B tensors (the trainable set of LoRA training), in model order.
std::vector<torch::Tensor> loraParameters(const LlavaModel& model);
// Disabled adapters give the base model (DPO's reference model) without copying it.
void setLoraEnabled(LlavaModel& model, bool enabled);
// Drops every adapter without merging.
void removeLora(LlavaModel& model);

struct LoadedAdapter {
    LoraConfig config;
    std::vector<std::string> modules;  // internal names, model order
    CheckpointLayout layout = CheckpointLayout::Current;  // key spelling found in the file
    std::string adapterName;           // the "lora_A.<name>.weight" segment, when the file had one
    std::vector<std::string> ignored;  // "key (reason)": tensors for layers the engine never runs
};

// Reads `dir`/adapter_config.json and `dir`/adapter_model.safetensors and attaches the adapter.
// Accepts the keys of transformers >= 4.52 ("base_model.model.model.language_model.layers.0…"),
// of older transformers ("base_model.model.language_model.model.layers.0…") and of transformers 5
// (no "vision_model." level), with or without an adapter-name segment ("lora_A.default.weight").
// target_modules and rank/alpha patterns are matched against the module paths of the spelling
// the file uses (see peftModuleKey). Every targeted layer must have both tensors with the config's rank (rank_pattern included);
// missing, unexpected and mis-shaped tensors are reported by name (WeightsError) before anything
// is attached. Adapter tensors for vision layers past the selected feature layer are ignored, as
// the base loader ignores those layers. adapter_model.bin is refused with advice.
LoadedAdapter loadLoraAdapter(LlavaModel& model, const std::string& dir, torch::ScalarType dtype = torch::kFloat32);

// Writes `dir`/adapter_config.json and `dir`/adapter_model.safetensors (created if needed) in
// PEFT's format with the transformers >= 4.52 key spelling, loadable by PEFT's
// PeftModel.from_pretrained. The model's adapters must be exactly the ones `config` targets, with
// its ranks and scalings (InputError otherwise). Targeted vision layers the engine does not build
// get zero adapters so that PEFT finds every module it targets. Each file is written atomically.
void saveLoraAdapter(const LlavaModel& model, const LoraConfig& config, const std::string& dir);

}  // namespace sena::model
