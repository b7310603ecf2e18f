#pragma once
// What the trainer reports after every optimizer step, reduced over the global batch (all
// micro-batches and all ranks). named() gives TRL's metric names for the metrics table and plots.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sena::train {

struct StepMetrics {
    int64_t step = 0;        // optimizer steps completed (1-based after the first update)
    int64_t totalSteps = 0;
    double epoch = 0;        // fractional, as transformers logs it
    double loss = 0;         // mean(DPO) + λ·mean(ICA)
    double dpoLoss = 0;      // mean over pairs
    double icaLoss = 0;      // mean over ALL pairs of the scope-weighted ICA term (before λ)
    double rewardsChosen = 0, rewardsRejected = 0, rewardsAccuracies = 0, rewardsMargins = 0;
    double logpsChosen = 0, logpsRejected = 0;    // policy log-probs as the loss uses them (sums; means for IPO)
    double logitsChosen = 0, logitsRejected = 0;  // mean logit over response tokens (token-weighted)
    double gradNorm = 0;     // global L2 norm before clipping
    double learningRate = 0; // the rate this step used
    double tokensPerSecond = 0;
    int64_t pairs = 0;       // pairs in this step's global batch
    std::vector<int64_t> pairIds;  // this rank's pairs (all pairs on a single process)

    std::vector<std::pair<std::string, double>> named() const {
        return {{"loss", loss},
                {"dpo_loss", dpoLoss},
                {"ica_loss", icaLoss},
                {"rewards/chosen", rewardsChosen},
                {"rewards/rejected", rewardsRejected},
                {"rewards/accuracies", rewardsAccuracies},
                {"rewards/margins", rewardsMargins},
                {"logps/chosen", logpsChosen},
                {"logps/rejected", logpsRejected},
                {"logits/chosen", logitsChosen},
                {"logits/rejected", logitsRejected},
                {"grad_norm", gradNorm},
                {"learning_rate", learningRate},
                {"tokens_per_second", tokensPerSecond},
                {"epoch", epoch}};
    }
};

}  // namespace sena::train
