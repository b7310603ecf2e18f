#pragma once
// The optimisation half of a SENA round over a workspace: reference scoring (cached in SQLite by
// model hash and pair text), DPO + ICA training with every step's metrics in SQLite, the trained
// model θ(k) written as a full Hugging Face checkpoint, and the next round that generates with it.
#include "train/DpoTrainer.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>

namespace sena::store {
class Workspace;
}

namespace sena::world {

struct TrainConfig {
    train::TrainerOptions trainer;
    std::string device = "cpu";
    std::string dtype = "float32";
    int64_t scoreBatch = 4;

    // Defaults: LoRA r=64, α=16 on the language model, lr 2e-4 (LoRA) / 2e-6 (full, SENA's code),
    // β 0.1, ICA λ 1 on des pairs, global batch 8, warm-up 3 % then constant, clip 1.0.
    static TrainConfig defaults();
    // Overrides from a JSON file or object (keys as in toJson()); unknown keys are refused by name.
    static TrainConfig fromJson(const util::Json& json, const std::string& where);
    util::Json toJson() const;
};

struct TrainingProgress {
    std::string phase;  // "scoring" or "training"
    int64_t done = 0, total = 0;
    std::optional<train::StepMetrics> last;
};
using TrainingCallback = std::function<bool(const TrainingProgress&)>;  // false = stop

struct ScoreSummary {
    int64_t pairs = 0, cached = 0, computed = 0;
};

class RoundTrainer {
public:
    RoundTrainer(store::Workspace& workspace, TrainConfig config);

    // The pairs a round trains on: those every filter let through (unless a curator rejected them)
    // and those a curator accepted or edited.
    std::vector<int64_t> trainingPairs(int64_t roundId);
    // Reference log-probs of every training pair under the round's generator θ(k−1); cached, so a
    // second call (or a resumed one) computes only what is missing.
    ScoreSummary score(int64_t roundId, const TrainingCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);
    // Scores what is missing, trains, writes θ(k) to <workspace>/checkpoints/round-K/model and records
    // the run. Resumes from the run's last checkpoint after a kill. Returns the training run id.
    int64_t train(int64_t roundId, const TrainingCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

    // A new round whose generator (and reference) is the trained model of `roundId`, over images no
    // round has used yet. Returns the new round id.
    static int64_t nextRound(store::Workspace& workspace, int64_t roundId, int64_t limit = -1);

private:
    struct Prepared;
    Prepared prepare(int64_t roundId);
    store::Workspace& m_ws;
    TrainConfig m_config;
};

}  // namespace sena::world
