#include "model/TextDecoder.h"

#include <torch/torch.h>

namespace sena::model {
using torch::indexing::Slice;

KvCache KvCache::allocate(const TextConfig& c, int64_t batch, int64_t capacity, torch::ScalarType dtype,
                          const torch::Device& device) {
    KvCache cache;
    auto opts = torch::TensorOptions().dtype(dtype).device(device);
    for (int64_t i = 0; i < c.numLayers; ++i) {
        cache.keys.push_back(torch::zeros({batch, c.numKvHeads, capacity, c.headDim}, opts));
        cache.values.push_back(torch::zeros({batch, c.numKvHeads, capacity, c.headDim}, opts));
    }
    return cache;
}

void KvCache::selectRows(const torch::Tensor& rows) {
    for (auto& k : keys)
        k = k.index_select(0, rows);
    for (auto& v : values)
        v = v.index_select(0, rows);
}

DecoderLayerImpl::DecoderLayerImpl(const TextConfig& c, const torch::TensorOptions& o) : m_config(c) {
    const int64_t d = c.hiddenSize, hd = c.headDim;
    auto attn = std::make_shared<torch::nn::Module>();
    q_proj = attn->register_module("q_proj", Linear(d, c.numHeads * hd, c.qkvBias, o));
    k_proj = attn->register_module("k_proj", Linear(d, c.numKvHeads * hd, c.qkvBias, o));
    v_proj = attn->register_module("v_proj", Linear(d, c.numKvHeads * hd, c.qkvBias, o));
    o_proj = attn->register_module("o_proj", Linear(c.numHeads * hd, d, c.oBias, o));
    register_module("self_attn", attn);
    auto mlp = std::make_shared<torch::nn::Module>();
    gate_proj = mlp->register_module("gate_proj", Linear(d, c.intermediateSize, c.mlpBias, o));
    up_proj = mlp->register_module("up_proj", Linear(d, c.intermediateSize, c.mlpBias, o));
    down_proj = mlp->register_module("down_proj", Linear(c.intermediateSize, d, c.mlpBias, o));
    register_module("mlp", mlp);
    input_layernorm = register_module("input_layernorm", RMSNorm(d, c.rmsNormEps, o));
    post_attention_layernorm = register_module("post_attention_layernorm", RMSNorm(d, c.rmsNormEps, o));
}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                                        const torch::Tensor& mask, KvCache* cache, int64_t layerIndex) {
    const auto& c = m_config;
    const int64_t b = x.size(0), l = x.size(1);
    auto h = input_layernorm(x);
    auto q = q_proj(h).view({b, l, c.numHeads, c.headDim}).transpose(1, 2);
    auto k = k_proj(h).view({b, l, c.numKvHeads, c.headDim}).transpose(1, 2);
    auto v = v_proj(h).view({b, l, c.numKvHeads, c.headDim}).transpose(1, 2);
    q = RotaryEmbedding::apply(q, cos, sin);
    k = RotaryEmbedding::apply(k, cos, sin);
    if (cache) {
        const int64_t start = cache->length, end = start + l;
        auto& kc = cache->keys[layerIndex];
        auto& vc = cache->values[layerIndex];
        kc.index_put_({Slice(), Slice(), Slice(start, end)}, k);
        vc.index_put_({Slice(), Slice(), Slice(start, end)}, v);
        k = kc.narrow(2, 0, end);
        v = vc.narrow(2, 0, end);
    }
    auto a = attention(q, k, v, mask, 1.0 / std::sqrt(static_cast<double>(c.headDim)));
    auto h1 = x + o_proj(a.transpose(1, 2).reshape({b, l, c.numHeads * c.headDim}));
    auto m = post_attention_layernorm(h1);
    return h1 + down_proj(applyActivation(gate_proj(m), c.act) * up_proj(m));
}

TextDecoderImpl::TextDecoderImpl(const TextConfig& c, const torch::TensorOptions& o) : m_config(c), m_rope(c) {
    embed_tokens = register_module("embed_tokens", Embedding(c.vocabSize, c.hiddenSize, o));
    for (int64_t i = 0; i < c.numLayers; ++i)
        layers->push_back(DecoderLayer(c, o));
    register_module("layers", layers);
    norm = register_module("norm", RMSNorm(c.hiddenSize, c.rmsNormEps, o));
}

torch::Tensor TextDecoderImpl::embed(const torch::Tensor& ids) { return embed_tokens(ids); }

torch::Tensor TextDecoderImpl::forward(const torch::Tensor& embeds, const torch::Tensor& positions,
                                       const torch::Tensor& mask, KvCache* cache) {
    auto [cos, sin] = m_rope.tables(positions, embeds.scalar_type());
    auto x = embeds;
    for (size_t i = 0; i < layers->size(); ++i)
        x = layers[i]->as<DecoderLayer>()->forward(x, cos, sin, mask, cache, static_cast<int64_t>(i));
    if (cache)
        cache->length += embeds.size(1);
    return norm(x);
}

}  // namespace sena::model
