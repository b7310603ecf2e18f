#include "train/PreferenceBatch.h"

#include "util/Error.h"

#include <torch/torch.h>

#include <algorithm>

namespace sena::train {
namespace {
std::string pairName(const PreferenceExample& e) { return "pair " + std::to_string(e.pairId); }
}  // namespace

PreferenceBatch collate(const std::vector<const PreferenceExample*>& examples, const model::LlavaConfig& config,
                        const CollateOptions& options) {
    if (examples.empty())
        throw InputError("cannot collate an empty batch of preference pairs");
    const int64_t limit = std::min<int64_t>(options.maxLength, config.text.maxPositions);
    const int64_t b = static_cast<int64_t>(examples.size());
    PreferenceBatch batch;
    batch.pairs = b;

    // Rows in forward order with their (possibly truncated) response lengths.
    struct Row {
        const std::vector<int64_t>* prompt;
        const std::vector<int64_t>* response;
        int64_t responseLength;
    };
    std::vector<Row> rows;
    rows.reserve(2 * b);
    std::vector<torch::Tensor> images;
    bool allReferences = true;
    for (int side = 0; side < 2; ++side) {
        for (const auto* e : examples) {
            const auto& response = side == 0 ? e->chosen : e->rejected;
            if (response.empty())
                throw InputError(pairName(*e) + " has an empty " + (side == 0 ? "chosen" : "rejected") +
                                 " response; every response must hold at least its EOS token");
            const auto promptLength = static_cast<int64_t>(e->prompt.size());
            if (promptLength == 0)
                throw InputError(pairName(*e) + " has an empty prompt");
            if (promptLength + 1 > limit)
                throw InputError(pairName(*e) + ": the prompt alone has " + std::to_string(promptLength) +
                                 " tokens (image tokens included), which leaves no room for a response under the "
                                 "max length of " + std::to_string(limit) +
                                 "; raise max_length (image tokens are never truncated) or shorten the prompt");
            const int64_t keep = std::min<int64_t>(static_cast<int64_t>(response.size()), limit - promptLength);
            if (keep < static_cast<int64_t>(response.size()))
                ++batch.truncatedResponses;
            rows.push_back({&e->prompt, &response, keep});
        }
    }
    for (const auto* e : examples) {
        const int64_t slots = std::count(e->prompt.begin(), e->prompt.end(), config.imageTokenId);
        const int64_t expected = e->imageCount() * config.imageSeqLength();
        if (slots != expected)
            throw InputError(pairName(*e) + ": the prompt has " + std::to_string(slots) + " image tokens but its " +
                             std::to_string(e->imageCount()) + " image(s) need " + std::to_string(expected) + " (" +
                             std::to_string(config.imageSeqLength()) + " each)");
        if (e->pixels.defined())
            images.push_back(e->pixels.dim() == 4 ? e->pixels : e->pixels.unsqueeze(0));
        allReferences = allReferences && e->reference.has_value();
    }

    int64_t longest = 0;
    for (const auto& r : rows)
        longest = std::max<int64_t>(longest, static_cast<int64_t>(r.prompt->size()) + r.responseLength);
    auto ids = torch::full({2 * b, longest}, options.padTokenId, torch::kLong);
    auto mask = torch::zeros({2 * b, longest}, torch::kLong);
    auto idsA = ids.accessor<int64_t, 2>();
    auto maskA = mask.accessor<int64_t, 2>();
    std::vector<int64_t> predict, targets, targetRow;
    std::vector<float> counts;
    for (int64_t r = 0; r < 2 * b; ++r) {
        const auto& row = rows[r];
        const auto p = static_cast<int64_t>(row.prompt->size());
        for (int64_t t = 0; t < p; ++t)
            idsA[r][t] = (*row.prompt)[t];
        for (int64_t t = 0; t < row.responseLength; ++t) {
            idsA[r][p + t] = (*row.response)[t];
            // Position p+t−1 predicts response token t (logits[:, :-1] vs ids[:, 1:]).
            predict.push_back(r * longest + p + t - 1);
            targets.push_back((*row.response)[t]);
            targetRow.push_back(r);
        }
        for (int64_t t = 0; t < p + row.responseLength; ++t)
            maskA[r][t] = 1;
        counts.push_back(static_cast<float>(row.responseLength));
        batch.tokens += p + row.responseLength;
    }
    batch.ids = ids;
    batch.attentionMask = mask;
    batch.predictIndex = torch::tensor(predict, torch::kLong);
    batch.targets = torch::tensor(targets, torch::kLong);
    batch.targetRow = torch::tensor(targetRow, torch::kLong);
    batch.responseTokens = torch::tensor(counts, torch::kFloat32);
    if (!images.empty()) {
        for (size_t i = 1; i < images.size(); ++i)
            if (images[i].sizes().slice(1) != images[0].sizes().slice(1))
                throw InputError("images in one batch differ in size (" + pairName(*examples[i]) +
                                 "); preprocess every image to the model's input size");
        batch.pixels = torch::cat(images, 0);
    }
    std::vector<uint8_t> des;
    std::vector<double> refC, refR;
    for (const auto* e : examples) {
        batch.pairIds.push_back(e->pairId);
        des.push_back(e->isDescription ? 1 : 0);
        if (allReferences) {
            refC.push_back(e->reference->chosen);
            refR.push_back(e->reference->rejected);
        }
    }
    batch.isDescription = torch::tensor(std::vector<int64_t>(des.begin(), des.end()), torch::kLong).to(torch::kBool);
    if (allReferences) {
        batch.referenceChosen = torch::tensor(refC, torch::kFloat64);
        batch.referenceRejected = torch::tensor(refR, torch::kFloat64);
    }
    return batch;
}

}  // namespace sena::train
