#include "model/LlavaModel.h"

#include "util/Error.h"

#include <torch/torch.h>

namespace sena::model {

ProjectorImpl::ProjectorImpl(const LlavaConfig& c, const torch::TensorOptions& o) : m_act(c.projectorAct) {
    linear_1 = register_module("linear_1", Linear(c.projectorInputSize(), c.text.hiddenSize, c.projectorBias, o));
    linear_2 = register_module("linear_2", Linear(c.text.hiddenSize, c.text.hiddenSize, c.projectorBias, o));
}

torch::Tensor ProjectorImpl::forward(const torch::Tensor& x) { return linear_2(applyActivation(linear_1(x), m_act)); }

LlavaModelImpl::LlavaModelImpl(const LlavaConfig& c, const torch::TensorOptions& o) : m_config(c) {
    language_model = register_module("language_model", TextDecoder(c.text, o));
    vision_tower = register_module("vision_tower", VisionTower(c.vision, c.visionLayersNeeded(), o));
    multi_modal_projector = register_module("multi_modal_projector", Projector(c, o));
    if (!c.text.tieWordEmbeddings)
        lm_head = register_module("lm_head", Linear(c.text.hiddenSize, c.text.vocabSize, false, o));
}

torch::Device LlavaModelImpl::device() const { return language_model->embed_tokens->weight.device(); }
torch::ScalarType LlavaModelImpl::dtype() const { return language_model->embed_tokens->weight.scalar_type(); }

torch::Tensor LlavaModelImpl::selectedVisionFeatures(const torch::Tensor& pixels) {
    auto states = vision_tower->forward(pixels.to(device()), m_config.featureLayerIndices());
    if (m_config.selectStrategy == "default")
        for (auto& s : states)
            s = s.narrow(1, 1, s.size(1) - 1);
    return states.size() == 1 ? states[0] : torch::cat(states, -1);
}

torch::Tensor LlavaModelImpl::imageFeatures(const torch::Tensor& pixels) {
    return multi_modal_projector(selectedVisionFeatures(pixels));
}

torch::Tensor LlavaModelImpl::embedInputs(const torch::Tensor& idsIn, const torch::Tensor& features) {
    auto ids = idsIn.to(device());
    auto imageMask = ids == m_config.imageTokenId;
    const int64_t slots = imageMask.sum().item<int64_t>();
    const int64_t rows = features.defined() ? features.numel() / features.size(-1) : 0;
    if (slots != rows)
        throw InputError("the prompt has " + std::to_string(slots) + " image-token positions but the images give " +
                         std::to_string(rows) + " feature vectors (" + std::to_string(m_config.imageSeqLength()) +
                         " per image); every <image> must expand to exactly that many tokens and no image token may "
                         "be cut by truncation");
    if (ids.max().item<int64_t>() >= m_config.text.vocabSize || ids.min().item<int64_t>() < 0) {
        if (m_config.imageTokenId < m_config.text.vocabSize ||
            ids.masked_select(imageMask.logical_not()).ge(m_config.text.vocabSize).any().item<bool>())
            throw InputError("a token id lies outside the vocabulary of " + std::to_string(m_config.text.vocabSize));
    }
    auto safeIds = m_config.imageTokenId >= m_config.text.vocabSize ? ids.masked_fill(imageMask, 0) : ids;
    auto embeds = language_model->embed(safeIds);
    if (slots == 0)
        return embeds;
    auto flat = features.reshape({-1, features.size(-1)}).to(embeds.scalar_type());
    return embeds.masked_scatter(imageMask.unsqueeze(-1).expand_as(embeds), flat);
}

torch::Tensor LlavaModelImpl::logits(const torch::Tensor& hidden) {
    if (lm_head)
        return lm_head(hidden);
    return torch::linear(hidden, language_model->embed_tokens->weight);
}

torch::Tensor LlavaModelImpl::forwardLogits(const torch::Tensor& idsIn, const torch::Tensor& attentionMask,
                                            const torch::Tensor& features) {
    auto ids = idsIn.to(device());
    if (ids.dim() == 1)
        ids = ids.unsqueeze(0);
    auto mask = attentionMask.defined() ? attentionMask.to(device()) : torch::ones_like(ids);
    if (mask.dim() == 1)
        mask = mask.unsqueeze(0);
    auto embeds = embedInputs(ids, features);
    auto positions = positionsFromMask(mask);
    auto attn = causalMask(mask, ids.size(1), embeds.scalar_type(), m_config.text.slidingWindow.value_or(0));
    return logits(hidden(embeds, positions, attn)).to(torch::kFloat32);
}

}  // namespace sena::model
