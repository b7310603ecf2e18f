#include "train/DpoLoss.h"

#include "util/Error.h"

#include <torch/torch.h>

namespace sena::train {

PreferenceLossType parsePreferenceLossType(const std::string& name) {
    if (name == "sigmoid" || name == "dpo")
        return PreferenceLossType::Sigmoid;
    if (name == "robust")
        return PreferenceLossType::Robust;
    if (name == "hinge")
        return PreferenceLossType::Hinge;
    if (name == "ipo")
        return PreferenceLossType::Ipo;
    throw ConfigError("unknown loss type '" + name + "' (sigmoid, robust, hinge or ipo)");
}

IcaScope parseIcaScope(const std::string& name) {
    if (name == "des" || name == "descriptions")
        return IcaScope::Descriptions;
    if (name == "all")
        return IcaScope::All;
    throw ConfigError("unknown ICA scope '" + name + "' (des or all)");
}

std::string lossTypeName(PreferenceLossType type) {
    switch (type) {
    case PreferenceLossType::Sigmoid: return "sigmoid";
    case PreferenceLossType::Robust: return "robust";
    case PreferenceLossType::Hinge: return "hinge";
    case PreferenceLossType::Ipo: return "ipo";
    }
    return "?";
}

void DpoLossOptions::validate() const {
    if (!(beta > 0))
        throw ConfigError("loss beta must be positive (got " + std::to_string(beta) + ")");
    const double maxSmoothing = type == PreferenceLossType::Robust ? 0.5 : 0.5 + 1e-12;
    if (labelSmoothing < 0 || labelSmoothing >= maxSmoothing)
        throw ConfigError("label_smoothing must lie in [0, 0.5" + std::string(type == PreferenceLossType::Robust ? ")" : "]") +
                          " for the " + lossTypeName(type) + " loss (got " + std::to_string(labelSmoothing) + ")");
    if (labelSmoothing > 0 && (type == PreferenceLossType::Hinge || type == PreferenceLossType::Ipo))
        throw ConfigError("label_smoothing applies to the sigmoid and robust losses only, not " + lossTypeName(type));
    if (icaWeight < 0)
        throw ConfigError("ICA weight λ must not be negative");
}

DpoLoss::DpoLoss(DpoLossOptions options) : m_options(options) { m_options.validate(); }

DpoLossTerms DpoLoss::operator()(const torch::Tensor& policyChosen, const torch::Tensor& policyRejected,
                                 const torch::Tensor& referenceChosen, const torch::Tensor& referenceRejected,
                                 const torch::Tensor& chosenNll, const torch::Tensor& isDescription) const {
    const auto& o = m_options;
    const auto dtype = policyChosen.scalar_type();
    auto refC = referenceChosen.to(policyChosen.device(), dtype);
    auto refR = referenceRejected.to(policyChosen.device(), dtype);
    auto rhoC = policyChosen - refC;
    auto rhoR = policyRejected - refR;
    auto z = rhoC - rhoR;
    const double eps = o.labelSmoothing;
    torch::Tensor dpo;
    switch (o.type) {
    case PreferenceLossType::Sigmoid:
        dpo = -torch::log_sigmoid(o.beta * z) * (1 - eps) - torch::log_sigmoid(-o.beta * z) * eps;
        break;
    case PreferenceLossType::Robust:
        dpo = (-torch::log_sigmoid(o.beta * z) * (1 - eps) + torch::log_sigmoid(-o.beta * z) * eps) / (1 - 2 * eps);
        break;
    case PreferenceLossType::Hinge: dpo = torch::relu(1 - o.beta * z); break;
    case PreferenceLossType::Ipo: dpo = (z - 1 / (2 * o.beta)).pow(2); break;
    }
    auto weight = o.icaScope == IcaScope::All ? torch::ones_like(chosenNll)
                                              : isDescription.to(chosenNll.device(), chosenNll.scalar_type());
    DpoLossTerms t;
    t.dpo = dpo;
    t.ica = chosenNll * weight;
    t.perPair = o.icaWeight > 0 ? dpo + o.icaWeight * t.ica : dpo;
    t.chosenRewards = (o.beta * rhoC).detach();
    t.rejectedRewards = (o.beta * rhoR).detach();
    return t;
}

}  // namespace sena::train
