#pragma once
// One preference pair as the trainer consumes it: token ids (the caller has applied the chat
// template, tokenised and expanded every <image> into the model's image-token run), the clean
// image and, once scored, the reference model's log-probabilities. Torch tensors only: the
// workspace turns its SQLite rows into these.
#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace sena::train {

// Summed log-probabilities of the responses under the reference model (θ(k−1)), response tokens
// only, EOS included, computed in float32 with the same max length as training (the truncated
// response is what both sides score). Token counts let IPO use per-token means.
struct ReferenceLogps {
    double chosen = 0;
    double rejected = 0;
    int64_t chosenTokens = 0;
    int64_t rejectedTokens = 0;
};

struct PreferenceExample {
    int64_t pairId = 0;
    std::vector<int64_t> prompt;    // image tokens expanded
    std::vector<int64_t> chosen;    // response ids, EOS included
    std::vector<int64_t> rejected;  // response ids, EOS included
    bool isDescription = false;     // a `des` pair (the ICA term applies to it by default)
    // The CLEAN image, [3, H, W] (or [N, 3, H, W] for N images) float, already preprocessed;
    // undefined for a text-only prompt. Both rows of the pair see it (the corrupted image only
    // served to generate the rejected text).
    torch::Tensor pixels;
    std::optional<ReferenceLogps> reference;

    int64_t imageCount() const { return !pixels.defined() ? 0 : pixels.dim() == 4 ? pixels.size(0) : 1; }
};

}  // namespace sena::train
