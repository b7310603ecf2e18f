#pragma once
// PEFT's LoraConfig (adapter_config.json), restricted to what the engine implements. Options that
// would change the adapter's arithmetic and are not implemented (DoRA, fan_in_fan_out, trained
// biases, modules_to_save, layer selection, …) are refused by name when parsed, never ignored.
// Torch-free.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sena::model {

// LoRA on the language model's attention and MLP projections only: the vision tower and the
// projector stay frozen (SENA's default; a bare list like [q_proj, v_proj] would also hit CLIP).
inline constexpr const char* kSenaLoraTargets =
    R"(.*language_model.*\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj))";

struct LoraConfig {
    int64_t r = 8;
    double loraAlpha = 8;
    double loraDropout = 0;
    // target_modules as PEFT reads it: either a list of names (a module key matches when it equals
    // an entry or ends with "." + entry; used when non-empty), or one string, a full-match regex
    // (`targetRegex`). "all-linear" is PEFT's shorthand for every linear layer except lm_head.
    std::vector<std::string> targetModules;
    std::string targetRegex = kSenaLoraTargets;
    // exclude_modules, same rules; excluded keys are never targeted.
    std::vector<std::string> excludeModules;
    std::string excludeRegex;
    bool useRslora = false;  // scaling alpha/sqrt(r) instead of alpha/r
    // Per-module overrides in file order: PEFT takes the first key k with re.match("(.*\.)?(k)$").
    std::vector<std::pair<std::string, int64_t>> rankPattern;
    std::vector<std::pair<std::string, double>> alphaPattern;
    // true (A kaiming-uniform, B zero), false (both nn.Linear's default), gaussian (A ~ N(0, 1/r)),
    // or another PEFT initialiser name that leaves the base weights alone (loading only).
    std::string initLoraWeights = "true";
    std::string baseModelNameOrPath;  // empty writes null
    std::string taskType = "CAUSAL_LM";

    // Module keys are the paths PEFT sees on a transformers >= 4.52 LlavaForConditionalGeneration,
    // e.g. "model.language_model.layers.0.self_attn.q_proj" (see peftModuleKey in LoraAdapter.h).
    bool targets(const std::string& moduleKey) const;
    int64_t rankFor(const std::string& moduleKey) const;
    double alphaFor(const std::string& moduleKey) const;
    double scalingFor(const std::string& moduleKey) const;
    // "regex '…'" or "list [q_proj, v_proj]", for messages.
    std::string describeTargets() const;

    // Throws ConfigError naming `where` and the field: non-positive rank, dropout outside [0, 1),
    // empty targets, regexes std::regex cannot compile.
    void validate(const std::string& where) const;

    // Parses adapter_config.json text; `where` names the file in errors (FormatError for bad
    // JSON, ConfigError for refused or ill-typed fields).
    static LoraConfig fromJsonText(const std::string& text, const std::string& where);
    static LoraConfig fromFile(const std::string& path);
    // The keys PEFT writes (sorted, as PEFT's save_pretrained does), loadable by PEFT >= 0.10;
    // exclude_modules only when set (PEFT >= 0.14 knows it).
    std::string toJsonText() const;
    // Writes `path` atomically (temporary file, then rename).
    void writeFile(const std::string& path) const;
};

}  // namespace sena::model
