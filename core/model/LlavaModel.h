#pragma once
// LlavaForConditionalGeneration: vision tower → feature selection → projector → text decoder.
// Internal parameter names: language_model.*, vision_tower.vision_model.*, multi_modal_projector.*,
// lm_head.* (HF's current layout without its leading "model."). WeightLoader maps every
// checkpoint layout onto them.
#include "model/LlavaConfig.h"
#include "model/TextDecoder.h"
#include "model/VisionTower.h"

namespace sena::model {

class ProjectorImpl : public torch::nn::Module {
public:
    ProjectorImpl(const LlavaConfig& config, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x);

private:
    Activation m_act;
    Linear linear_1{nullptr}, linear_2{nullptr};
};
TORCH_MODULE(Projector);

class LlavaModelImpl : public torch::nn::Module {
public:
    LlavaModelImpl(const LlavaConfig& config, const torch::TensorOptions& options);
    const LlavaConfig& config() const { return m_config; }
    torch::Device device() const;
    torch::ScalarType dtype() const;

    // The vision hidden states at the config's feature layers, concatenated ([N, T, H·layers]),
    // after the select strategy (default drops the first token).
    torch::Tensor selectedVisionFeatures(const torch::Tensor& pixels);
    // Projected image features [N, imageSeqLength, textHidden].
    torch::Tensor imageFeatures(const torch::Tensor& pixels);
    // Token embeddings with image-token positions replaced, in order, by the rows of `features`
    // ([N, S, D], may be undefined when `ids` holds no image token). Throws InputError naming both
    // counts when the number of image-token positions does not equal N·S.
    torch::Tensor embedInputs(const torch::Tensor& ids, const torch::Tensor& features);
    // Decoder hidden states (after the final norm).
    torch::Tensor hidden(const torch::Tensor& embeds, const torch::Tensor& positions, const torch::Tensor& mask,
                         KvCache* cache = nullptr) {
        return language_model->forward(embeds, positions, mask, cache);
    }
    // Vocabulary logits for hidden states (lm_head, or the tied embedding matrix).
    torch::Tensor logits(const torch::Tensor& hidden);
    // Full forward: ids [B, L], attentionMask [B, L] (1 = token, may be undefined), image features.
    // Positions come from the mask (left padding aware). Returns logits [B, L, V] in float32.
    torch::Tensor forwardLogits(const torch::Tensor& ids, const torch::Tensor& attentionMask,
                                const torch::Tensor& features);

    TextDecoder language_model{nullptr};
    VisionTower vision_tower{nullptr};
    Projector multi_modal_projector{nullptr};
    Linear lm_head{nullptr};  // null when the head is tied to the embeddings

private:
    LlavaConfig m_config;
};
TORCH_MODULE(LlavaModel);

}  // namespace sena::model
