#pragma once
// Batched generation with a preallocated KV cache and HF's sampling semantics.
#include "model/LlavaModel.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sena::model {

struct SamplingOptions {
    int64_t maxNewTokens = 128;
    int64_t minNewTokens = 0;      // end-of-sequence tokens are suppressed before this many
    bool doSample = false;         // false = greedy
    double temperature = 1.0;
    int64_t topK = 0;              // 0 = off
    double topP = 1.0;             // 1 = off
    double repetitionPenalty = 1.0;
    std::vector<int64_t> eosTokenIds;
    int64_t padTokenId = 0;
    std::vector<std::string> stopStrings;  // needs `decode`
    uint64_t seed = 0;
    bool returnLogprobs = false;
};

enum class FinishReason { Length, EndOfSequence, StopString, Cancelled };
const char* finishReasonName(FinishReason reason);

struct GenerationResult {
    std::vector<int64_t> tokens;      // new tokens, without padding (the EOS token included)
    std::vector<float> logprobs;      // per new token, log-softmax of the raw model logits
    FinishReason finish = FinishReason::Length;
};

struct GenerationStats {
    int64_t promptTokens = 0, newTokens = 0;
    double prefillSeconds = 0, decodeSeconds = 0;
};

class Generator {
public:
    explicit Generator(LlavaModel model) : m_model(std::move(model)) {}

    // Decodes new tokens for a stop-string check; required when stopStrings is non-empty.
    void setDecoder(std::function<std::string(const std::vector<int64_t>&)> decode) { m_decode = std::move(decode); }
    // Called after every decode step with the number of finished rows; return false to cancel.
    void setProgress(std::function<bool(int64_t step, int64_t finished)> progress) { m_progress = std::move(progress); }

    // prompts: token ids (image tokens already expanded). features: image features [N, S, D] for the
    // image-token runs in prompt order (row 0's images first), or undefined. Prompts are left
    // padded into one batch.
    std::vector<GenerationResult> generate(const std::vector<std::vector<int64_t>>& prompts,
                                           const torch::Tensor& features, const SamplingOptions& options,
                                           GenerationStats* stats = nullptr);

    // Applies HF's logits processors (repetition penalty, min-new-tokens, then when sampling
    // temperature → top-k → top-p) to scores [B, V] float32 given the sequences so far [B, T].
    static torch::Tensor processScores(torch::Tensor scores, const torch::Tensor& sequences, int64_t newTokens,
                                       const SamplingOptions& options);

    // Rows that start with the same tokens — the same image and chat preamble — share them: the
    // prefix (holding every image token; `prefixFeatures` are its images) runs once, its keys and
    // values are copied to every row, and only the suffixes are prefilled. Gives the same tokens as
    // generate() on the concatenated prompts.
    std::vector<GenerationResult> generateShared(const std::vector<int64_t>& prefix, const torch::Tensor& prefixFeatures,
                                                 const std::vector<std::vector<int64_t>>& suffixes,
                                                 const SamplingOptions& options, GenerationStats* stats = nullptr);

    // Splits prompts into their longest common prefix and the rest; the prefix is shortened so that
    // every suffix keeps at least one token.
    static std::vector<int64_t> commonPrefix(const std::vector<std::vector<int64_t>>& prompts);

private:
    struct DecodeState;
    std::vector<GenerationResult> decode(DecodeState& state, const SamplingOptions& options, GenerationStats* stats);
    void validate(const SamplingOptions& options, int64_t longestPrompt) const;

    LlavaModel m_model;
    std::function<std::string(const std::vector<int64_t>&)> m_decode;
    std::function<bool(int64_t, int64_t)> m_progress;
};

}  // namespace sena::model
