#pragma once
// Model shapes the benchmarks run without a checkpoint.
#include "model/LlavaConfig.h"

#include <string>

namespace sena::bench {

// "100m": a ~100M-parameter LLaVA (Llama text, small CLIP) for CPU numbers.
// "llava-1.5-7b": the LLaVA-1.5-7B shape (CLIP-L/336, Vicuna-7B, vocab 32064).
inline model::LlavaConfig benchConfig(const std::string& name) {
    using util::Json;
    if (name == "100m")
        return model::LlavaConfig::fromJson(
            Json{{"model_type", "llava"},
                 {"image_token_index", 32000},
                 {"text_config",
                  {{"model_type", "llama"}, {"vocab_size", 32064}, {"hidden_size", 640}, {"intermediate_size", 1728},
                   {"num_hidden_layers", 10}, {"num_attention_heads", 10}, {"max_position_embeddings", 4096},
                   {"rms_norm_eps", 1e-5}}},
                 {"vision_config",
                  {{"model_type", "clip_vision_model"}, {"hidden_size", 384}, {"intermediate_size", 1536},
                   {"num_hidden_layers", 6}, {"num_attention_heads", 6}, {"image_size", 224}, {"patch_size", 14}}}},
            "bench 100m");
    if (name == "llava-1.5-7b")
        return model::LlavaConfig::fromJson(
            Json{{"model_type", "llava"},
                 {"image_token_index", 32000},
                 {"text_config",
                  {{"model_type", "llama"}, {"vocab_size", 32064}, {"max_position_embeddings", 4096},
                   {"rms_norm_eps", 1e-5}}},
                 {"vision_config",
                  {{"model_type", "clip_vision_model"}, {"hidden_size", 1024}, {"intermediate_size", 4096},
                   {"num_hidden_layers", 24}, {"num_attention_heads", 16}, {"image_size", 336},
                   {"patch_size", 14}}}},
            "bench llava-1.5-7b");
    throw ConfigError("unknown benchmark model '" + name + "' (100m, llava-1.5-7b, or a model folder)");
}

}  // namespace sena::bench
