#pragma once
// The SENA objective: a DPO-family preference loss plus λ · image-content alignment (ICA).
//
// With ρ_c = log πθ(c) − log π_ref(c), ρ_r likewise, and z = ρ_c − ρ_r (TRL's `logits`):
//   sigmoid : −(1−ε)·logσ(βz) − ε·logσ(−βz)            (ε = label smoothing; cDPO when ε > 0)
//   robust  : (−(1−ε)·logσ(βz) + ε·logσ(−βz)) / (1−2ε)  (rDPO, ε < 0.5)
//   hinge   : max(0, 1 − βz)                            (SLiC)
//   ipo     : (z − 1/(2β))²                             on per-token MEAN log-probs (TRL ≤ 0.11
//                                                        averages log-probs for IPO; pass means)
// rewards: β·ρ_c and β·ρ_r, detached.
// ICA_i = w_i · (mean per-token NLL of chosen response i), w_i = 1 for `des` pairs (the authors'
// code) or for every pair (scope All). Batch reduction, as sena-method.md §8 and the code:
//   total = mean_i(DPO_i) + λ · mean_i(ICA_i)   (the mean runs over ALL B pairs, so ICA's
//   effective weight is λ · the share of `des` pairs in the batch).
// Per-pair terms are returned as well so that gradient accumulation and data parallelism can
// average over a whole global batch exactly (the trainer sums per-pair terms / global count).
#include <torch/types.h>

#include <string>

namespace sena::train {

enum class PreferenceLossType { Sigmoid, Robust, Hinge, Ipo };
enum class IcaScope { Descriptions, All };

PreferenceLossType parsePreferenceLossType(const std::string& name);  // sigmoid|robust|hinge|ipo
IcaScope parseIcaScope(const std::string& name);                       // des|all
std::string lossTypeName(PreferenceLossType type);

struct DpoLossOptions {
    PreferenceLossType type = PreferenceLossType::Sigmoid;
    double beta = 0.1;
    double labelSmoothing = 0;  // sigmoid: [0, 0.5]; robust: [0, 0.5)
    double icaWeight = 1;       // λ; 0 disables ICA
    IcaScope icaScope = IcaScope::Descriptions;
    void validate() const;      // ConfigError naming the field
};

struct DpoLossTerms {
    torch::Tensor perPair;          // [B] DPO_i + λ·ICA_i (differentiable); mean = total
    torch::Tensor dpo;              // [B] DPO_i
    torch::Tensor ica;              // [B] ICA_i (already weighted by scope, before λ)
    torch::Tensor chosenRewards;    // [B] detached
    torch::Tensor rejectedRewards;  // [B] detached
    torch::Tensor total() const { return perPair.mean(); }
};

class DpoLoss {
public:
    explicit DpoLoss(DpoLossOptions options);
    const DpoLossOptions& options() const { return m_options; }
    bool usesMeanLogps() const { return m_options.type == PreferenceLossType::Ipo; }

    // policy/reference: [B] log-probs of chosen and rejected (sums, or per-token means for IPO);
    // chosenNll: [B] mean per-token NLL of the chosen responses; isDescription: [B] bool.
    DpoLossTerms operator()(const torch::Tensor& policyChosen, const torch::Tensor& policyRejected,
                            const torch::Tensor& referenceChosen, const torch::Tensor& referenceRejected,
                            const torch::Tensor& chosenNll, const torch::Tensor& isDescription) const;

private:
    DpoLossOptions m_options;
};

}  // namespace sena::train
