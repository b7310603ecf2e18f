#include "train/TrainCheckpoint.h"

#include "model/Safetensors.h"
#include "model/TensorIO.h"
#include "util/Error.h"
#include "util/Json.h"

#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace sena::train {
namespace fs = std::filesystem;
namespace {
const char* kPrefix = "checkpoint-";

void writeTensors(const fs::path& file, const NamedTensors& tensors) {
    model::SafetensorsWriter w;
    for (const auto& [name, t] : tensors)
        model::addTensor(w, name, t.detach());
    w.write(file.string());
}

NamedTensors readTensors(const fs::path& file) {
    if (!fs::exists(file))
        throw FormatError("training checkpoint file " + file.string() + " is missing");
    model::SafetensorsFile f(file.string());
    NamedTensors out;
    for (const auto& v : f.tensors())
        out.emplace_back(v.name, model::toTensor(v));
    return out;
}

std::vector<std::pair<int64_t, fs::path>> checkpoints(const fs::path& dir) {
    std::vector<std::pair<int64_t, fs::path>> out;
    if (!fs::is_directory(dir))
        return out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const auto name = entry.path().filename().string();
        if (!entry.is_directory() || name.rfind(kPrefix, 0) != 0 || !fs::exists(entry.path() / "state.json"))
            continue;
        const auto digits = name.substr(std::string(kPrefix).size());
        if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit))
            continue;
        out.emplace_back(std::stoll(digits), entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace

std::string writeTrainCheckpoint(const std::string& outputDir, const TrainCheckpointState& s, int keep) {
    const fs::path root(outputDir);
    fs::create_directories(root);
    const fs::path final = root / (kPrefix + std::to_string(s.step));
    const fs::path tmp = root / (".tmp-" + std::string(kPrefix) + std::to_string(s.step));
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    writeTensors(tmp / "trainable.safetensors", s.trainable);
    writeTensors(tmp / "optimizer.safetensors", s.optimizer);
    util::Json j = {{"step", s.step},         {"total_steps", s.totalSteps}, {"optimizer_step", s.optimizerStep},
                    {"seed", s.seed},         {"examples", s.examples},      {"global_batch", s.globalBatch},
                    {"settings", s.settings}, {"format", "sena-train-checkpoint-1"}};
    {
        std::ofstream out(tmp / "state.json");
        out << j.dump(2) << "\n";
        if (!out)
            throw FormatError("could not write " + (tmp / "state.json").string() + " (disk full?)");
    }
    // Swap in the complete folder; an older folder of the same step goes only after that.
    const fs::path old = root / (".old-" + std::string(kPrefix) + std::to_string(s.step));
    fs::remove_all(old);
    if (fs::exists(final))
        fs::rename(final, old);
    fs::rename(tmp, final);
    fs::remove_all(old);
    if (keep > 0) {
        auto all = checkpoints(root);
        for (size_t i = 0; i + static_cast<size_t>(keep) < all.size(); ++i)
            fs::remove_all(all[i].second);
    }
    return final.string();
}

std::optional<std::string> latestTrainCheckpoint(const std::string& outputDir) {
    auto all = checkpoints(outputDir);
    if (all.empty())
        return std::nullopt;
    return all.back().second.string();
}

TrainCheckpointState readTrainCheckpoint(const std::string& dirName) {
    const fs::path dir(dirName);
    const auto statePath = (dir / "state.json").string();
    if (!fs::exists(statePath))
        throw FormatError("training checkpoint " + dirName + " has no state.json");
    util::JsonObject j(util::readJsonFile(statePath), statePath);
    TrainCheckpointState s;
    s.step = j.integer("step", -1);
    s.totalSteps = j.integer("total_steps", -1);
    s.optimizerStep = j.integer("optimizer_step", -1);
    s.seed = static_cast<uint64_t>(j.raw().value("seed", uint64_t{0}));
    s.examples = j.integer("examples", -1);
    s.globalBatch = j.integer("global_batch", -1);
    s.settings = j.string("settings", "");
    if (s.step < 0 || s.optimizerStep < 0 || s.examples < 0 || s.globalBatch <= 0)
        throw FormatError(statePath + ": step, optimizer_step, examples and global_batch must be present");
    s.trainable = readTensors(dir / "trainable.safetensors");
    s.optimizer = readTensors(dir / "optimizer.safetensors");
    return s;
}

}  // namespace sena::train
