#pragma once
// Llama / Mistral / Qwen2 decoder: RMSNorm, RoPE, grouped-query attention, SwiGLU.
// Parameter names follow HF's LlamaModel (embed_tokens, layers.N.self_attn.q_proj, ..., norm).
#include "model/Layers.h"

#include <torch/nn/modules/container/modulelist.h>

#include <optional>

namespace sena::model {

// Preallocated key/value cache: per layer [B, Hkv, capacity, D], keys stored after RoPE. The fixed
// addresses are what CUDA graph capture needs.
struct KvCache {
    std::vector<torch::Tensor> keys, values;
    int64_t length = 0;  // positions filled so far
    int64_t capacity() const { return keys.empty() ? 0 : keys[0].size(2); }
    static KvCache allocate(const TextConfig& config, int64_t batch, int64_t capacity, torch::ScalarType dtype,
                            const torch::Device& device);
    // Keeps only the given batch rows (e.g. after some sequences finished).
    void selectRows(const torch::Tensor& rows);
};

class DecoderLayerImpl : public torch::nn::Module {
public:
    DecoderLayerImpl(const TextConfig& config, const torch::TensorOptions& options);
    // x: [B, L, D]; cos/sin: [B, L, headDim]; mask: additive [B, 1, L, Lk] or undefined.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                          const torch::Tensor& mask, KvCache* cache, int64_t layerIndex);

    Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
    Linear gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};

private:
    const TextConfig m_config;
    RMSNorm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
};
TORCH_MODULE(DecoderLayer);

class TextDecoderImpl : public torch::nn::Module {
public:
    TextDecoderImpl(const TextConfig& config, const torch::TensorOptions& options);
    torch::Tensor embed(const torch::Tensor& ids);
    // Runs every layer and the final norm. positions: [B, L] int64; mask as in DecoderLayer. With a
    // cache, the new keys go to [cache.length, cache.length + L) and cache.length advances.
    torch::Tensor forward(const torch::Tensor& embeds, const torch::Tensor& positions, const torch::Tensor& mask,
                          KvCache* cache = nullptr);
    const TextConfig& config() const { return m_config; }
    Embedding embed_tokens{nullptr};
    torch::nn::ModuleList layers;

private:
    const TextConfig m_config;
    RotaryEmbedding m_rope;
    RMSNorm norm{nullptr};
};
TORCH_MODULE(TextDecoder);

}  // namespace sena::model
