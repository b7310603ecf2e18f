#include "train/AdamW.h"

#include "util/Error.h"

#include <torch/torch.h>

#include <cmath>
#include <map>

namespace sena::train {

AdamW::AdamW(std::vector<std::string> names, std::vector<torch::Tensor> params, AdamWOptions options)
    : m_options(options) {
    if (names.size() != params.size())
        throw InputError("AdamW needs one name per parameter");
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < params.size(); ++i) {
        Slot s;
        s.name = names[i];
        s.param = params[i];
        const bool lowPrecision = params[i].scalar_type() == torch::kBFloat16 || params[i].scalar_type() == torch::kHalf;
        if (lowPrecision)
            s.master = params[i].detach().to(torch::kFloat32).clone();
        const auto& ref = lowPrecision ? s.master : params[i];
        s.expAvg = torch::zeros_like(ref);
        s.expAvgSq = torch::zeros_like(ref);
        m_slots.push_back(std::move(s));
    }
}

void AdamW::step(double lr) {
    torch::NoGradGuard noGrad;
    ++m_step;
    const auto& o = m_options;
    const double bc1 = 1 - std::pow(o.beta1, static_cast<double>(m_step));
    const double bc2Sqrt = std::sqrt(1 - std::pow(o.beta2, static_cast<double>(m_step)));
    for (auto& s : m_slots) {
        auto grad = s.param.grad();
        if (!grad.defined())
            continue;
        auto& p = s.master.defined() ? s.master : s.param;
        auto g = grad.to(p.scalar_type());
        if (o.weightDecay != 0)
            p.mul_(1 - lr * o.weightDecay);
        s.expAvg.mul_(o.beta1).add_(g, 1 - o.beta1);
        s.expAvgSq.mul_(o.beta2).addcmul_(g, g, 1 - o.beta2);
        auto denom = (s.expAvgSq.sqrt() / bc2Sqrt).add_(o.eps);
        p.addcdiv_(s.expAvg, denom, -lr / bc1);
        if (s.master.defined())
            s.param.copy_(s.master);
    }
}

std::vector<std::pair<std::string, torch::Tensor>> AdamW::state() const {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& s : m_slots) {
        out.emplace_back(s.name + ".exp_avg", s.expAvg);
        out.emplace_back(s.name + ".exp_avg_sq", s.expAvgSq);
        if (s.master.defined())
            out.emplace_back(s.name + ".master", s.master);
    }
    return out;
}

void AdamW::loadState(const std::vector<std::pair<std::string, torch::Tensor>>& tensors, int64_t stepCount) {
    std::map<std::string, torch::Tensor> byName(tensors.begin(), tensors.end());
    torch::NoGradGuard noGrad;
    auto take = [&](const std::string& name, torch::Tensor& into) {
        auto it = byName.find(name);
        if (it == byName.end())
            throw WeightsError("optimizer state lacks '" + name + "'; the checkpoint was written for other parameters");
        if (it->second.sizes() != into.sizes())
            throw WeightsError("optimizer state '" + name + "' has the wrong shape");
        into.copy_(it->second);
    };
    for (auto& s : m_slots) {
        take(s.name + ".exp_avg", s.expAvg);
        take(s.name + ".exp_avg_sq", s.expAvgSq);
        if (s.master.defined())
            take(s.name + ".master", s.master);
    }
    m_step = stepCount;
}

}  // namespace sena::train
