#pragma once
// DPO + ICA training of a LLaVA model on preference pairs (SENA step 8): LoRA or full fine-tuning,
// AdamW, warm-up schedules, gradient accumulation, global-norm clipping, gradient checkpointing,
// data parallelism over c10d, atomic checkpoints with exact resume, cancellation, and per-step
// metrics with TRL's names. Torch only: the workspace supplies the examples (with cached
// reference log-probs) and stores the metrics it is handed.
#include "model/LlavaModel.h"
#include "model/LoraConfig.h"
#include "train/AdamW.h"
#include "train/Distributed.h"
#include "train/DpoLoss.h"
#include "train/LrSchedule.h"
#include "train/PreferenceBatch.h"
#include "train/StepMetrics.h"
#include "util/Error.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sena::train {

// Training produced a non-finite loss or gradient; the message names the step and the last good
// checkpoint, which is left untouched.
class TrainingDiverged : public Error {
public:
    using Error::Error;
};

enum class FinetuneMode { Lora, Full };

struct TrainerOptions {
    FinetuneMode mode = FinetuneMode::Lora;
    // LoRA: attached (float32 adapters, seeded) unless the model already carries adapters, which
    // then train as they are. Full: language model, projector and lm_head train.
    model::LoraConfig lora;
    bool trainVisionTower = false;  // full fine-tuning only; frozen in SENA's code
    DpoLossOptions loss;
    CollateOptions collate;
    double learningRate = 2e-6;
    AdamWOptions adam;
    ScheduleOptions schedule;
    int64_t epochs = 1;
    int64_t maxSteps = -1;            // > 0 caps the optimizer steps
    int64_t perDeviceBatch = 1;       // pairs per forward (2 rows each)
    int64_t gradientAccumulation = 1; // forwards per optimizer step and rank
    double maxGradNorm = 1.0;         // ≤ 0: no clipping (the norm is still reported)
    uint64_t seed = 42;               // data order (and dropout / LoRA init)
    bool shuffle = true;
    bool gradientCheckpointing = false;
    std::string outputDir;            // checkpoints; empty writes none
    int64_t saveEverySteps = 0;       // 0: only at the end (and on cancel)
    int saveTotalLimit = 0;           // keep the newest N checkpoints (0 = all)
    bool resume = true;               // continue from the newest checkpoint in outputDir (every rank
                                      // reads it: data-parallel runs need outputDir on a shared filesystem)
    bool checkpointOnCancel = true;

    int64_t globalBatch(int worldSize) const { return perDeviceBatch * gradientAccumulation * worldSize; }
    void validate() const;
};

struct TrainResult {
    int64_t steps = 0;        // optimizer steps completed, resumed ones included
    int64_t totalSteps = 0;
    int64_t resumedFrom = 0;  // step of the checkpoint resumed from (0 = fresh start)
    bool cancelled = false;
    std::string lastCheckpoint;
    StepMetrics last;
};

class DpoTrainer {
public:
    using MetricsSink = std::function<void(const StepMetrics&)>;
    using Progress = std::function<bool(int64_t step, int64_t totalSteps)>;  // false = stop

    // `comm` null: a single process. The model is trained in place.
    DpoTrainer(model::LlavaModel model, TrainerOptions options, std::shared_ptr<Communicator> comm = nullptr);

    void setMetricsSink(MetricsSink sink) { m_sink = std::move(sink); }
    void setProgress(Progress progress) { m_progress = std::move(progress); }
    void setCancelFlag(const std::atomic<bool>* cancel) { m_cancel = cancel; }

    // Every example needs reference log-probs (computeReferenceLogps). Returns when the schedule
    // is done or on cancellation (result.cancelled, checkpoint written when so configured).
    TrainResult train(const std::vector<PreferenceExample>& examples);

    // The trainable parameters (internal names), fixed at construction.
    const std::vector<std::string>& trainableNames() const { return m_names; }
    const std::vector<torch::Tensor>& trainableParameters() const { return m_params; }

    // The example indices of optimizer step `step` (0-based) for `examples` pairs, in batch order:
    // the slice [step·G, step·G + G) of the epoch's seeded permutation. Deterministic, so a resumed
    // run and every rank agree on the data.
    std::vector<int64_t> stepIndices(int64_t step, int64_t examples) const;

private:
    struct StepSums;
    void selectTrainable();
    std::string settingsJson(int64_t examples) const;
    void runMicroBatch(const std::vector<const PreferenceExample*>& items, double scale, StepSums& sums);
    std::string saveCheckpoint(int64_t step, int64_t totalSteps, int64_t examples);
    bool stopRequested(int64_t step, int64_t total);

    model::LlavaModel m_model;
    TrainerOptions m_options;
    std::shared_ptr<Communicator> m_comm;
    DpoLoss m_loss;
    std::vector<std::string> m_names;
    std::vector<torch::Tensor> m_params;
    std::unique_ptr<AdamW> m_optimizer;
    MetricsSink m_sink;
    Progress m_progress;
    const std::atomic<bool>* m_cancel = nullptr;
    std::string m_lastCheckpoint;
    int64_t m_lastCheckpointStep = -1;
};

}  // namespace sena::train
