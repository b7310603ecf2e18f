#include "model/VisionTower.h"

#include "model/Layers.h"
#include "util/Error.h"

#include <torch/torch.h>

namespace sena::model {

VisionEncoderLayerImpl::VisionEncoderLayerImpl(const VisionConfig& c, const torch::TensorOptions& o) : m_config(c) {
    const int64_t d = c.hiddenSize;
    auto attn = std::make_shared<torch::nn::Module>();
    q_proj = attn->register_module("q_proj", Linear(d, d, true, o));
    k_proj = attn->register_module("k_proj", Linear(d, d, true, o));
    v_proj = attn->register_module("v_proj", Linear(d, d, true, o));
    out_proj = attn->register_module("out_proj", Linear(d, d, true, o));
    register_module("self_attn", attn);
    auto mlp = std::make_shared<torch::nn::Module>();
    fc1 = mlp->register_module("fc1", Linear(d, c.intermediateSize, true, o));
    fc2 = mlp->register_module("fc2", Linear(c.intermediateSize, d, true, o));
    register_module("mlp", mlp);
    layer_norm1 = register_module("layer_norm1", LayerNorm(d, c.layerNormEps, o));
    layer_norm2 = register_module("layer_norm2", LayerNorm(d, c.layerNormEps, o));
}

torch::Tensor VisionEncoderLayerImpl::forward(const torch::Tensor& x) {
    const int64_t b = x.size(0), n = x.size(1), h = m_config.numHeads, hd = m_config.headDim();
    auto y = layer_norm1(x);
    auto split = [&](const torch::Tensor& t) { return t.view({b, n, h, hd}).transpose(1, 2); };
    auto q = split(q_proj(y)), k = split(k_proj(y)), v = split(v_proj(y));
    auto a = attention(q, k, v, torch::Tensor(), 1.0 / std::sqrt(static_cast<double>(hd)));
    auto h1 = x + out_proj(a.transpose(1, 2).reshape({b, n, h * hd}));
    return h1 + fc2(applyActivation(fc1(layer_norm2(h1)), m_config.act));
}

VisionTowerImpl::VisionTowerImpl(const VisionConfig& c, int64_t layersToBuild, const torch::TensorOptions& o)
    : m_config(c) {
    auto visionModel = std::make_shared<torch::nn::Module>();
    auto embeddings = std::make_shared<torch::nn::Module>();
    auto patch = std::make_shared<torch::nn::Module>();
    patchWeight = patch->register_parameter("weight", torch::empty({c.hiddenSize, c.numChannels, c.patchSize, c.patchSize}, o));
    if (c.arch == VisionArch::Siglip)  // CLIP's patch convolution has no bias, SigLIP's has one
        patchBias = patch->register_parameter("bias", torch::empty({c.hiddenSize}, o));
    embeddings->register_module("patch_embedding", patch);
    position_embedding = embeddings->register_module("position_embedding", Embedding(c.numPositions(), c.hiddenSize, o));
    if (c.hasClassToken())
        class_embedding = embeddings->register_parameter("class_embedding", torch::empty({c.hiddenSize}, o));
    visionModel->register_module("embeddings", embeddings);
    if (c.arch == VisionArch::Clip)  // CLIP's pre-layernorm is spelled "pre_layrnorm" in HF checkpoints
        pre_layrnorm = visionModel->register_module("pre_layrnorm", LayerNorm(c.hiddenSize, c.layerNormEps, o));
    auto encoder = std::make_shared<torch::nn::Module>();
    for (int64_t i = 0; i < layersToBuild; ++i)
        layers->push_back(VisionEncoderLayer(c, o));
    encoder->register_module("layers", layers);
    visionModel->register_module("encoder", encoder);
    register_module("vision_model", visionModel);
}

std::vector<torch::Tensor> VisionTowerImpl::forward(const torch::Tensor& pixels, const std::vector<int64_t>& indices) {
    const auto& c = m_config;
    if (pixels.dim() != 4 || pixels.size(1) != c.numChannels || pixels.size(2) != c.imageSize ||
        pixels.size(3) != c.imageSize)
        throw InputError("the vision tower expects pixel values of shape [N, " + std::to_string(c.numChannels) + ", " +
                         std::to_string(c.imageSize) + ", " + std::to_string(c.imageSize) + "], got " +
                         c10::str(pixels.sizes()));
    int64_t deepest = 0;
    for (auto i : indices)
        deepest = std::max(deepest, i);
    if (deepest > static_cast<int64_t>(layers->size()))
        throw InputError("hidden state " + std::to_string(deepest) + " was asked for but only " +
                         std::to_string(layers->size()) + " encoder layers are loaded");
    auto x = torch::conv2d(pixels.to(patchWeight.scalar_type()), patchWeight, patchBias, c.patchSize)
                 .flatten(2)
                 .transpose(1, 2);  // [N, patches, hidden], patches in row-major order
    if (c.hasClassToken()) {
        auto cls = class_embedding.to(x.scalar_type()).view({1, 1, -1}).expand({x.size(0), 1, -1});
        x = torch::cat({cls, x}, 1);
    }
    x = x + position_embedding->weight.unsqueeze(0);
    if (pre_layrnorm)
        x = pre_layrnorm(x);
    std::vector<torch::Tensor> out(indices.size());
    auto collect = [&](int64_t index) {
        for (size_t i = 0; i < indices.size(); ++i)
            if (indices[i] == index)
                out[i] = x;
    };
    collect(0);
    for (int64_t l = 0; l < deepest; ++l) {
        x = layers[l]->as<VisionEncoderLayer>()->forward(x);
        collect(l + 1);
    }
    return out;
}

}  // namespace sena::model
