#include "model/Scorer.h"

#include "model/Layers.h"
#include "util/Error.h"

#include <torch/torch.h>

namespace sena::model {

std::vector<ScoreResult> Scorer::score(const std::vector<ScoreItem>& items, const torch::Tensor& features) {
    if (items.empty())
        return {};
    torch::NoGradGuard noGrad;
    auto& model = *m_model;
    const auto device = model.device();
    const int64_t batch = static_cast<int64_t>(items.size());
    int64_t longest = 0;
    for (const auto& it : items) {
        if (it.prompt.empty() || it.response.empty())
            throw InputError("a scored item needs a non-empty prompt and response");
        longest = std::max<int64_t>(longest, static_cast<int64_t>(it.prompt.size() + it.response.size()));
    }
    if (longest > model.config().text.maxPositions)
        throw InputError("a prompt plus response of " + std::to_string(longest) + " tokens exceeds the model's " +
                         std::to_string(model.config().text.maxPositions) + " positions");
    auto ids = torch::zeros({batch, longest}, torch::kLong);
    auto mask = torch::zeros({batch, longest}, torch::kLong);
    for (int64_t b = 0; b < batch; ++b) {
        std::vector<int64_t> full = items[b].prompt;
        full.insert(full.end(), items[b].response.begin(), items[b].response.end());
        ids[b].narrow(0, 0, full.size()).copy_(torch::tensor(full, torch::kLong));
        mask[b].narrow(0, 0, full.size()).fill_(1);
    }
    ids = ids.to(device);
    mask = mask.to(device);
    auto embeds = model.embedInputs(ids, features);
    auto hidden = model.hidden(embeds, positionsFromMask(mask),
                               causalMask(mask, longest, embeds.scalar_type(),
                                          model.config().text.slidingWindow.value_or(0)));
    std::vector<ScoreResult> out(batch);
    for (int64_t b = 0; b < batch; ++b) {
        const int64_t p = static_cast<int64_t>(items[b].prompt.size());
        const int64_t r = static_cast<int64_t>(items[b].response.size());
        // Position t predicts token t+1: response token i is predicted at p + i − 1.
        auto h = hidden[b].narrow(0, p - 1, r);
        auto logp = model.logits(h).to(torch::kFloat32).log_softmax(-1);
        auto target = torch::tensor(items[b].response, torch::kLong).to(device).unsqueeze(1);
        auto picked = logp.gather(1, target).squeeze(1).to(torch::kCPU).contiguous();
        auto& res = out[b];
        res.tokenLogprobs.assign(picked.data_ptr<float>(), picked.data_ptr<float>() + r);
        for (float v : res.tokenLogprobs)
            res.sum += v;
        res.mean = res.sum / static_cast<double>(r);
    }
    return out;
}

}  // namespace sena::model
