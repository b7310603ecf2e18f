#pragma once
// CLIP and SigLIP vision transformers as LLaVA uses them: pre-LN encoder layers, no pooling.
// Parameter names follow HF's (vision_model.embeddings..., vision_model.encoder.layers.N...).
#include "model/LlavaConfig.h"

#include "model/Layers.h"

#include <torch/nn/modules/container/modulelist.h>

namespace sena::model {

class VisionEncoderLayerImpl : public torch::nn::Module {
public:
    VisionEncoderLayerImpl(const VisionConfig& config, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x);

private:
    const VisionConfig m_config;
    Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, out_proj{nullptr};
    Linear fc1{nullptr}, fc2{nullptr};
    LayerNorm layer_norm1{nullptr}, layer_norm2{nullptr};
};
TORCH_MODULE(VisionEncoderLayer);

class VisionTowerImpl : public torch::nn::Module {
public:
    // Only the encoder layers LLaVA reads are built; the rest of the checkpoint is never used.
    VisionTowerImpl(const VisionConfig& config, int64_t layersToBuild, const torch::TensorOptions& options);
    // pixels: [N, 3, H, W] (any float dtype; cast to the weights' dtype). Returns the hidden states
    // at the requested indices (0 = embeddings after the pre-layernorm, k = output of layer k-1).
    std::vector<torch::Tensor> forward(const torch::Tensor& pixels, const std::vector<int64_t>& indices);
    const VisionConfig& config() const { return m_config; }

private:
    const VisionConfig m_config;
    torch::Tensor patchWeight, patchBias;  // Conv2d(channels → hidden, kernel = stride = patch)
    Embedding position_embedding{nullptr};
    torch::Tensor class_embedding;
    LayerNorm pre_layrnorm{nullptr};
    torch::nn::ModuleList layers;
};
TORCH_MODULE(VisionTower);

}  // namespace sena::model
