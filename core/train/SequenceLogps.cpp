#include "train/SequenceLogps.h"

#include "model/LoraAdapter.h"
#include "train/GradientCheckpoint.h"
#include "util/Error.h"

#include <torch/torch.h>

namespace sena::train {
namespace {
bool anyTrainable(torch::nn::Module& m) {
    for (const auto& p : m.parameters())
        if (p.requires_grad())
            return true;
    return false;
}

torch::Tensor batchFeatures(model::LlavaModelImpl& model, const torch::Tensor& pixels) {
    if (!pixels.defined())
        return {};
    auto input = pixels.to(model.device(), model.dtype());
    torch::Tensor selected;
    if (anyTrainable(*model.vision_tower) && torch::GradMode::is_enabled()) {
        selected = model.selectedVisionFeatures(input);
    } else {
        torch::NoGradGuard noGrad;  // a frozen tower needs no activations kept for backward
        selected = model.selectedVisionFeatures(input);
    }
    return model.multi_modal_projector(selected);
}
}  // namespace

SequenceLogps sequenceLogps(model::LlavaModelImpl& model, const PreferenceBatch& batch, const ForwardOptions& options) {
    const auto device = model.device();
    auto ids = batch.ids.to(device);
    auto mask = batch.attentionMask.to(device);
    auto features = batchFeatures(model, batch.pixels);
    // Rows are [chosen…, rejected…]: the same images in the same order, twice.
    auto rowFeatures = features.defined() ? torch::cat({features, features}, 0) : features;
    auto embeds = model.embedInputs(ids, rowFeatures);
    auto attn = model::causalMask(mask, ids.size(1), embeds.scalar_type(),
                                  model.config().text.slidingWindow.value_or(0));
    auto hidden = decoderHidden(*model.language_model, embeds, model::positionsFromMask(mask), attn,
                                options.gradientCheckpointing);
    auto sites = hidden.reshape({-1, hidden.size(-1)}).index_select(0, batch.predictIndex.to(device));
    const auto lpType = model.dtype() == torch::kFloat64 ? torch::kFloat64 : torch::kFloat32;
    auto logits = model.logits(sites).to(lpType);  // [T, V]
    auto tokenLogps = logits.log_softmax(-1).gather(1, batch.targets.to(device).unsqueeze(1)).squeeze(1);
    const int64_t rows = 2 * batch.pairs;
    auto rowIndex = batch.targetRow.to(device);
    SequenceLogps out;
    out.pairs = batch.pairs;
    out.sums = torch::zeros({rows}, tokenLogps.options()).index_add(0, rowIndex, tokenLogps);
    out.tokens = batch.responseTokens.to(device, lpType);
    out.logitSums = torch::zeros({rows}, tokenLogps.options()).index_add(0, rowIndex, logits.detach().mean(-1));
    return out;
}

std::vector<ReferenceLogps> computeReferenceLogps(model::LlavaModel& model,
                                                  const std::vector<PreferenceExample>& examples, int64_t batchSize,
                                                  const CollateOptions& collateOptions, const ProgressFn& progress) {
    if (batchSize <= 0)
        throw InputError("the reference batch size must be positive");
    torch::NoGradGuard noGrad;
    const bool wasTraining = model->is_training();
    model->eval();
    const bool lora = !model::loraModules(model).empty();
    if (lora)
        model::setLoraEnabled(model, false);
    std::vector<ReferenceLogps> out;
    out.reserve(examples.size());
    try {
        const auto total = static_cast<int64_t>(examples.size());
        for (int64_t start = 0; start < total; start += batchSize) {
            std::vector<const PreferenceExample*> chunk;
            for (int64_t i = start; i < std::min(total, start + batchSize); ++i)
                chunk.push_back(&examples[i]);
            auto batch = collate(chunk, model->config(), collateOptions);
            auto lp = sequenceLogps(*model, batch, {});
            auto sums = lp.sums.to(torch::kCPU, torch::kFloat64);
            auto tokens = lp.tokens.to(torch::kCPU, torch::kFloat64);
            const int64_t b = batch.pairs;
            for (int64_t i = 0; i < b; ++i)
                out.push_back({sums[i].item<double>(), sums[b + i].item<double>(), tokens[i].item<int64_t>(),
                               tokens[b + i].item<int64_t>()});
            if (progress && !progress(static_cast<int64_t>(out.size()), total))
                throw Cancelled();
        }
    } catch (...) {
        if (lora)
            model::setLoraEnabled(model, true);
        model->train(wasTraining);
        throw;
    }
    if (lora)
        model::setLoraEnabled(model, true);
    model->train(wasTraining);
    return out;
}

}  // namespace sena::train
