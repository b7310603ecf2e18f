#pragma once
// Training checkpoints: `<outputDir>/checkpoint-<step>/` holding trainable.safetensors (the
// trainable parameters under their internal names), optimizer.safetensors (AdamW moments, master
// copies, the CPU generator state as "rng.cpu") and state.json (steps, seed, data position, the
// settings a resume must match). The folder is written under a temporary name and renamed, so a
// checkpoint folder either is complete or does not exist.
#include <torch/types.h>

#include <optional>
#include <string>
#include <vector>

namespace sena::train {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

struct TrainCheckpointState {
    int64_t step = 0;        // optimizer steps completed
    int64_t totalSteps = 0;
    int64_t optimizerStep = 0;
    uint64_t seed = 0;
    // Data position: the order of each epoch is a function of (seed, epoch), so the step, the
    // examples per optimizer step and the dataset size locate the next example exactly.
    int64_t examples = 0;
    int64_t globalBatch = 0;
    std::string settings;    // canonical JSON of the options a resume must share
    NamedTensors trainable;
    NamedTensors optimizer;  // includes "rng.cpu"
};

// Writes the checkpoint of `state.step` under `outputDir` and returns its folder; an existing
// folder of the same step is replaced only once the new one is complete. Keeps the newest
// `keep` checkpoints (0 = all).
std::string writeTrainCheckpoint(const std::string& outputDir, const TrainCheckpointState& state, int keep = 0);

// The newest complete checkpoint folder under `outputDir`, if any.
std::optional<std::string> latestTrainCheckpoint(const std::string& outputDir);

// Reads a checkpoint folder; FormatError naming the file when something is missing or malformed.
TrainCheckpointState readTrainCheckpoint(const std::string& dir);

}  // namespace sena::train
