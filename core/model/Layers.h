#pragma once
// Building blocks shared by the vision tower and the text decoder.
#include "model/LlavaConfig.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace sena::model {

torch::Tensor applyActivation(const torch::Tensor& x, Activation act);

// softmax(q kᵀ · scale + mask) v with the softmax in float32, as HF's eager attention does.
// q: [B, H, Lq, D]; k, v: [B, Hkv, Lk, D] with H a multiple of Hkv (grouped-query attention);
// mask: additive [B or 1, 1, Lq, Lk] in q's dtype, or undefined for full attention.
// Uses scaled_dot_product_attention where LibTorch has it (2.x), an exact fallback elsewhere.
torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask, double scale);

// Forces the reference (eager, float32-softmax) attention path; parity tests compare both.
void setReferenceAttention(bool on);

// Additive attention mask [B, 1, Lq, Lk] for queries at absolute key positions
// [Lk − Lq, Lk): causal, padding from `keyMask` ([B, Lk], 1 = real token) and an optional sliding
// window. Masked entries hold the dtype's lowest value, never −inf, so padded rows stay finite.
torch::Tensor causalMask(const torch::Tensor& keyMask, int64_t queryLength, torch::ScalarType dtype,
                         int64_t slidingWindow = 0);

// Position ids from a [B, L] 0/1 mask: running count − 1, pads set to 1 (HF's generate rule).
torch::Tensor positionsFromMask(const torch::Tensor& mask);

// The layers below allocate their parameters uninitialised (torch::empty) with the given options:
// weights always come from a checkpoint or an explicit initialiser, and a 7B model must not pay
// for a random init on the CPU before its weights are copied to the GPU.

// y = x Wᵀ + b, W: [out, in] (nn.Linear's layout, which every checkpoint uses), with an optional
// LoRA adapter as PEFT defines it: y += B(A(dropout(x))) · scaling, A: [r, in], B: [out, r],
// registered as submodules "lora_A" / "lora_B" so parameter names match PEFT's saved keys.
class LinearImpl : public torch::nn::Module {
public:
    LinearImpl(int64_t in, int64_t out, bool bias, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x);
    int64_t inFeatures() const { return weight.size(1); }
    int64_t outFeatures() const { return weight.size(0); }

    // Adds an adapter (A and B uninitialised; the caller loads or initialises them) in `dtype`.
    void attachLora(int64_t rank, double scaling, double dropout, torch::ScalarType dtype);
    bool hasLora() const { return static_cast<bool>(m_loraA); }
    // Disabled adapters leave the base layer alone: the reference model of LoRA training.
    void setLoraEnabled(bool enabled) { m_loraEnabled = enabled; }
    bool loraEnabled() const { return m_loraEnabled; }
    double loraScaling() const { return m_loraScaling; }
    torch::Tensor loraA() const;
    torch::Tensor loraB() const;
    // W += B·A·scaling, then drops the adapter.
    void mergeLora();
    void removeLora();

    torch::Tensor weight, bias;

private:
    std::shared_ptr<torch::nn::Module> m_loraA, m_loraB;
    double m_loraScaling = 0;
    double m_loraDropout = 0;
    bool m_loraEnabled = true;
};
TORCH_MODULE(Linear);

class EmbeddingImpl : public torch::nn::Module {
public:
    EmbeddingImpl(int64_t count, int64_t dim, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& ids);
    torch::Tensor weight;
};
TORCH_MODULE(Embedding);

class LayerNormImpl : public torch::nn::Module {
public:
    LayerNormImpl(int64_t size, double eps, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x);
    torch::Tensor weight, bias;

private:
    double m_eps;
};
TORCH_MODULE(LayerNorm);

// HF's LlamaRMSNorm: normalise in float32, cast back, then scale.
class RMSNormImpl : public torch::nn::Module {
public:
    RMSNormImpl(int64_t size, double eps, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x);
    torch::Tensor weight;

private:
    double m_eps;
};
TORCH_MODULE(RMSNorm);

// Rotary position embedding tables (half-split layout of HF checkpoints).
class RotaryEmbedding {
public:
    RotaryEmbedding(const TextConfig& config);
    // cos, sin: [B, L, headDim] in `dtype` for integer positions [B, L].
    std::pair<torch::Tensor, torch::Tensor> tables(const torch::Tensor& positions, torch::ScalarType dtype) const;
    static torch::Tensor apply(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);
    const torch::Tensor& invFreq() const { return m_invFreq; }

private:
    torch::Tensor m_invFreq;  // float32 [headDim/2], on CPU; moved on use
    double m_positionScale = 1.0;
};

// Fills every parameter of a module with N(0, std) (matrices) / N(0, std/4) (vectors), norms with
// ones; for benchmarks and tests that need a model of a given shape without a checkpoint.
void initRandom(torch::nn::Module& module, double std, uint64_t seed);

}  // namespace sena::model
