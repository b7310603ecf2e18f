#pragma once
// Collation of preference pairs into one forward: rows [chosen_0 … chosen_{B−1}, rejected_0 …
// rejected_{B−1}], right-padded, positions derived from the attention mask. Images are stacked
// once per example; the features are computed once and reused for both rows of a pair.
#include "model/LlavaConfig.h"
#include "train/PreferenceExample.h"

#include <vector>

namespace sena::train {

struct CollateOptions {
    // Longest row (prompt + response). Only the response is cut (keep-start); a prompt that leaves
    // no room for one response token is refused, so image tokens are never truncated.
    int64_t maxLength = 2048;
    int64_t padTokenId = 0;
};

struct PreferenceBatch {
    int64_t pairs = 0;             // B
    torch::Tensor ids;             // [2B, L] int64
    torch::Tensor attentionMask;   // [2B, L] int64, 1 = token
    // Response-token prediction sites, flattened over the [2B, L] grid: hidden state at
    // `predictIndex[i]` predicts token `targets[i]`, which belongs to row `targetRow[i]`.
    torch::Tensor predictIndex;    // [T] int64
    torch::Tensor targets;         // [T] int64
    torch::Tensor targetRow;       // [T] int64 in [0, 2B)
    torch::Tensor responseTokens;  // [2B] float32: response tokens per row after truncation
    torch::Tensor pixels;          // [N, 3, H, W] for the examples' images in order, or undefined
    torch::Tensor isDescription;   // [B] bool
    torch::Tensor referenceChosen, referenceRejected;  // [B] float64 sums, undefined when absent
    std::vector<int64_t> pairIds;
    int64_t truncatedResponses = 0;  // rows whose response was cut
    int64_t tokens = 0;              // non-pad tokens in the batch (throughput)
};

// Throws InputError naming the pair when a prompt's image-token count differs from its images'
// (imageSeqLength per image), when a prompt leaves no room for a response under maxLength or the
// model's positions, when a response is empty, or when images differ in size.
PreferenceBatch collate(const std::vector<const PreferenceExample*>& examples, const model::LlavaConfig& config,
                        const CollateOptions& options);

}  // namespace sena::train
