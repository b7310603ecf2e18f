#pragma once
// AdamW with decoupled weight decay, step for step PyTorch's torch.optim.AdamW (amsgrad off):
//   p ← p·(1 − lr·wd);  m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;
//   p ← p − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + ε).
// Written here (not torch::optim::AdamW) because the trainer needs the state as named tensors for
// safetensors checkpoints that read the same on LibTorch 1.13 and 2.x, and float32 master copies
// of low-precision (bf16/fp16) parameters: the update runs on the master and is cast back.
#include <torch/types.h>

#include <string>
#include <vector>

namespace sena::train {

struct AdamWOptions {
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0;
};

class AdamW {
public:
    AdamW(std::vector<std::string> names, std::vector<torch::Tensor> params, AdamWOptions options);
    // One update with learning rate `lr` from the parameters' current .grad() (a parameter without
    // a gradient is skipped, as PyTorch does).
    void step(double lr);
    int64_t stepCount() const { return m_step; }

    // State as named tensors ("<param>.exp_avg", "<param>.exp_avg_sq", "<param>.master") for
    // checkpoints; load checks every name and shape.
    std::vector<std::pair<std::string, torch::Tensor>> state() const;
    void loadState(const std::vector<std::pair<std::string, torch::Tensor>>& tensors, int64_t stepCount);

private:
    struct Slot {
        std::string name;
        torch::Tensor param, master, expAvg, expAvgSq;  // master undefined for float32/64 params
    };
    std::vector<Slot> m_slots;
    AdamWOptions m_options;
    int64_t m_step = 0;
};

}  // namespace sena::train
