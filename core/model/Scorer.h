#pragma once
// Per-token log-probabilities of given responses (DPO reference scores, evaluation).
#include "model/LlavaModel.h"

#include <vector>

namespace sena::model {

struct ScoreItem {
    std::vector<int64_t> prompt;    // image tokens expanded
    std::vector<int64_t> response;  // scored tokens (append EOS yourself if it should count)
};

struct ScoreResult {
    std::vector<float> tokenLogprobs;
    double sum = 0;
    double mean = 0;
};

class Scorer {
public:
    explicit Scorer(LlavaModel model) : m_model(std::move(model)) {}
    // features: image features for the prompts' image tokens in item order, or undefined. Items are
    // right-padded into one batch; log-softmax is taken in float32 at response positions only.
    std::vector<ScoreResult> score(const std::vector<ScoreItem>& items, const torch::Tensor& features);

private:
    LlavaModel m_model;
};

}  // namespace sena::model
