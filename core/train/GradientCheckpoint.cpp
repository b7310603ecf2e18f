#include "train/GradientCheckpoint.h"

#include "util/Error.h"

#include <ATen/Context.h>
#include <torch/torch.h>

#include <atomic>

namespace sena::train {
namespace {
std::atomic<int64_t> g_recomputations{0};
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Inputs: x, cos, sin, mask, the layer (not a variable), then the layer's trainable parameters so
// autograd routes their gradients through this node.
struct CheckpointedLayer : public torch::autograd::Function<CheckpointedLayer> {
    static variable_list forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& cos,
                                 const torch::Tensor& sin, const torch::Tensor& mask, model::DecoderLayerImpl* layer,
                                 torch::TensorList params) {
        auto generator = at::globalContext().defaultGenerator(x.device());
        ctx->saved_data["rng"] = generator.get_state();
        // IValue holds no raw pointer; the model outlives the backward pass that uses it.
        ctx->saved_data["layer"] = static_cast<int64_t>(reinterpret_cast<intptr_t>(layer));
        std::vector<torch::Tensor> saved{x, cos, sin, mask};
        saved.insert(saved.end(), params.begin(), params.end());
        ctx->save_for_backward(saved);
        return {layer->forward(x, cos, sin, mask, nullptr, 0)};
    }

    static variable_list backward(AutogradContext* ctx, variable_list gradOutputs) {
        auto saved = ctx->get_saved_variables();
        auto* layer = reinterpret_cast<model::DecoderLayerImpl*>(
            static_cast<intptr_t>(ctx->saved_data["layer"].toInt()));
        auto x = saved[0].detach().requires_grad_(true);
        std::vector<torch::Tensor> inputs{x};
        inputs.insert(inputs.end(), saved.begin() + 4, saved.end());

        auto generator = at::globalContext().defaultGenerator(x.device());
        auto current = generator.get_state();
        generator.set_state(ctx->saved_data["rng"].toTensor());
        torch::Tensor y;
        {
            torch::AutoGradMode enable(true);
            y = layer->forward(x, saved[1], saved[2], saved[3], nullptr, 0);
        }
        generator.set_state(current);
        ++g_recomputations;
        auto grads = torch::autograd::grad({y}, inputs, {gradOutputs[0]}, false, false, true);
        // One gradient per forward argument: x, cos, sin, mask, layer, then each parameter.
        variable_list out{grads[0], torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
        out.insert(out.end(), grads.begin() + 1, grads.end());
        return out;
    }
};

model::RMSNormImpl& finalNorm(model::TextDecoderImpl& decoder) {
    for (const auto& child : decoder.named_children())
        if (child.key() == "norm")
            if (auto* norm = dynamic_cast<model::RMSNormImpl*>(child.value().get()))
                return *norm;
    throw InputError("the text decoder has no final RMSNorm named 'norm'");
}
}  // namespace

int64_t checkpointRecomputations() { return g_recomputations.load(); }

torch::Tensor decoderHidden(model::TextDecoderImpl& decoder, const torch::Tensor& embeds,
                            const torch::Tensor& positions, const torch::Tensor& mask, bool checkpoint) {
    if (!checkpoint || !torch::GradMode::is_enabled())
        return decoder.forward(embeds, positions, mask, nullptr);
    // Same steps as TextDecoderImpl::forward (rope tables, layers, final norm), one node per layer.
    model::RotaryEmbedding rope(decoder.config());
    auto [cos, sin] = rope.tables(positions, embeds.scalar_type());
    auto x = embeds;
    for (size_t i = 0; i < decoder.layers->size(); ++i) {
        auto* layer = decoder.layers[i]->as<model::DecoderLayer>();
        std::vector<torch::Tensor> params;
        for (const auto& p : layer->parameters())
            if (p.requires_grad())
                params.push_back(p);
        x = CheckpointedLayer::apply(x, cos, sin, mask, layer, torch::TensorList(params))[0];
    }
    return finalNorm(decoder).forward(x);
}

}  // namespace sena::train
