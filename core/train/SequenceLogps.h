#pragma once
// Per-row log-probabilities of the responses in a collated batch (TRL's concatenated forward):
// one forward over chosen and rejected rows, logits taken only at response-token prediction sites
// (prompt, image and pad positions never reach the vocabulary projection), log-softmax in float32
// (float64 for a float64 model), summed per row.
#include "model/LlavaModel.h"
#include "train/PreferenceBatch.h"

#include <functional>

namespace sena::train {

struct ForwardOptions {
    bool gradientCheckpointing = false;  // recompute decoder layers in backward (GradientCheckpoint.h)
};

struct SequenceLogps {
    torch::Tensor sums;       // [2B] summed response log-probs, differentiable
    torch::Tensor tokens;     // [2B] response tokens per row
    torch::Tensor logitSums;  // [2B] detached: Σ over response tokens of the logits' mean over the vocabulary
    int64_t pairs = 0;
    torch::Tensor chosen() const { return sums.narrow(0, 0, pairs); }
    torch::Tensor rejected() const { return sums.narrow(0, pairs, pairs); }
};

// Image features are computed once per example (vision tower under no-grad unless one of its
// parameters trains) and repeated for the rejected rows.
SequenceLogps sequenceLogps(model::LlavaModelImpl& model, const PreferenceBatch& batch, const ForwardOptions& options);

// Progress: (pairs done, pairs total) → keep going. Returning false throws sena::Cancelled.
using ProgressFn = std::function<bool(int64_t done, int64_t total)>;

// Reference scores for DPO: the model scores chosen and rejected of every example under no-grad in
// eval mode, `batchSize` pairs per forward. LoRA adapters are disabled while scoring (π_ref = the
// base, as TRL does for PEFT models) and re-enabled after. Use the same CollateOptions as training
// so the same (possibly truncated) responses are scored. Results are in example order.
std::vector<ReferenceLogps> computeReferenceLogps(model::LlavaModel& model,
                                                  const std::vector<PreferenceExample>& examples, int64_t batchSize,
                                                  const CollateOptions& collateOptions, const ProgressFn& progress = {});

}  // namespace sena::train
