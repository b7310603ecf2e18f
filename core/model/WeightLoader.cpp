#include "model/WeightLoader.h"

#include "model/Safetensors.h"
#include "model/TensorIO.h"
#include "util/Error.h"

#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

namespace sena::model {
namespace fs = std::filesystem;

const char* layoutName(CheckpointLayout layout) {
    switch (layout) {
    case CheckpointLayout::LegacyHf: return "llava-hf (transformers < 4.52)";
    case CheckpointLayout::Current: return "transformers >= 4.52";
    case CheckpointLayout::OriginalLlava: return "original LLaVA (mm_projector)";
    }
    return "?";
}

namespace {
bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::string replacePrefix(const std::string& s, const std::string& from, const std::string& to) {
    return to + s.substr(from.size());
}
}  // namespace

CheckpointLayout detectLayout(const std::vector<std::string>& keys) {
    for (const auto& k : keys)
        if (startsWith(k, "model.language_model.") || startsWith(k, "model.vision_tower.") ||
            startsWith(k, "model.multi_modal_projector."))
            return CheckpointLayout::Current;
    for (const auto& k : keys)
        if (startsWith(k, "language_model.model."))
            return CheckpointLayout::LegacyHf;
    for (const auto& k : keys)
        if (startsWith(k, "model.layers.") || startsWith(k, "model.mm_projector."))
            return CheckpointLayout::OriginalLlava;
    return CheckpointLayout::LegacyHf;
}

std::string internalName(const std::string& key, CheckpointLayout layout, std::string* unusedReason) {
    if (key.size() > 9 && key.compare(key.size() - 9, 9, ".inv_freq") == 0) {
        if (unusedReason)
            *unusedReason = "rotary buffer, recomputed";
        return {};
    }
    std::string k = key;
    switch (layout) {
    case CheckpointLayout::LegacyHf:
        if (startsWith(k, "language_model.model."))
            k = replacePrefix(k, "language_model.model.", "language_model.");
        else if (startsWith(k, "language_model.lm_head."))
            k = replacePrefix(k, "language_model.lm_head.", "lm_head.");
        break;
    case CheckpointLayout::Current:
        if (startsWith(k, "model."))
            k = k.substr(6);
        break;
    case CheckpointLayout::OriginalLlava:
        if (startsWith(k, "model.mm_projector.0."))
            k = replacePrefix(k, "model.mm_projector.0.", "multi_modal_projector.linear_1.");
        else if (startsWith(k, "model.mm_projector.2."))
            k = replacePrefix(k, "model.mm_projector.2.", "multi_modal_projector.linear_2.");
        else if (startsWith(k, "model.vision_tower.vision_tower."))
            k = replacePrefix(k, "model.vision_tower.vision_tower.", "vision_tower.");
        else if (startsWith(k, "model."))
            k = replacePrefix(k, "model.", "language_model.");
        break;
    }
    // transformers 5 saves the vision tower without its "vision_model." level.
    if (startsWith(k, "vision_tower.") && !startsWith(k, "vision_tower.vision_model."))
        k = "vision_tower.vision_model." + k.substr(13);
    return k;
}

namespace {

// Keys LLaVA never reads: encoder layers past the deepest selected hidden state, the pooled-output
// norm and SigLIP's attention-pooling head.
bool unusedVisionKey(const std::string& name, const LlavaConfig& config, std::string* reason) {
    static const std::regex layerRe(R"(^vision_tower\.vision_model\.encoder\.layers\.(\d+)\.)");
    std::smatch m;
    if (std::regex_search(name, m, layerRe)) {
        const long long layer = std::stoll(m[1].str());
        if (layer >= config.visionLayersNeeded()) {
            *reason = "vision layer past the selected feature layer";
            return true;
        }
        return false;
    }
    if (startsWith(name, "vision_tower.vision_model.post_layernorm.")) {
        *reason = "pooled-output norm, unused by LLaVA";
        return true;
    }
    if (startsWith(name, "vision_tower.vision_model.head.")) {
        *reason = "SigLIP pooling head, unused by LLaVA";
        return true;
    }
    return false;
}

std::string listSome(const std::vector<std::string>& names, std::size_t most = 8) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < most; ++i)
        out += (i ? ", " : "") + names[i];
    if (names.size() > most)
        out += ", … (" + std::to_string(names.size() - most) + " more)";
    return out;
}

}  // namespace

LoadedLlava loadLlava(const std::string& dir, const ComputeOptions& options) {
    const fs::path root(dir);
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw ConfigError("'" + dir + "' is not a folder; point at a Hugging Face model folder with config.json");
    const fs::path configPath = root / "config.json";
    if (!fs::exists(configPath))
        throw ConfigError("'" + dir + "' has no config.json; it is not a Hugging Face model folder");
    LoadedLlava out;
    out.config = LlavaConfig::fromFile(configPath.string());
    auto ckpt = SafetensorsCheckpoint::open(dir);
    const auto keys = ckpt.names();
    out.report.layout = detectLayout(keys);
    out.report.shards = ckpt.shardCount();

    torch::NoGradGuard noGrad;
    auto opts = torch::TensorOptions().dtype(options.dtype).device(options.device);
    LlavaModel model(out.config, opts);
    auto params = model->named_parameters(/*recurse=*/true);
    std::map<std::string, torch::Tensor> expected;
    for (const auto& p : params)
        expected[p.key()] = p.value();

    std::map<std::string, std::string> source;  // internal name → checkpoint key
    std::vector<std::string> unexpected, misshaped;
    std::map<std::string, int> storedTypes;
    for (const auto& key : keys) {
        std::string reason;
        std::string name = internalName(key, out.report.layout, &reason);
        if (!name.empty() && !expected.count(name) && unusedVisionKey(name, out.config, &reason))
            name.clear();
        if (!name.empty() && !expected.count(name) && name == "lm_head.weight" && out.config.text.tieWordEmbeddings) {
            reason = "tied to embed_tokens";
            name.clear();
        }
        if (name.empty()) {
            out.report.ignored.push_back(key + " (" + reason + ")");
            continue;
        }
        auto it = expected.find(name);
        if (it == expected.end()) {
            unexpected.push_back(key);
            continue;
        }
        const auto& view = ckpt.tensor(key);
        std::vector<int64_t> want(it->second.sizes().begin(), it->second.sizes().end());
        if (view.shape != want) {
            misshaped.push_back(key + " is " + view.shapeString() + ", config expects " + c10::str(it->second.sizes()));
            continue;
        }
        if (source.count(name))
            throw WeightsError("'" + dir + "' holds both '" + source[name] + "' and '" + key +
                               "' for the same weight; the checkpoint mixes key layouts");
        source[name] = key;
        storedTypes[dtypeName(view.dtype)]++;
    }
    std::vector<std::string> missing;
    for (const auto& [name, t] : expected)
        if (!source.count(name))
            missing.push_back(name);
    if (!misshaped.empty())
        throw WeightsError("'" + dir + "': " + std::to_string(misshaped.size()) +
                           " tensors disagree with config.json: " + listSome(misshaped, 4) +
                           ". The config does not describe these weights; use the config.json saved with them");
    if (!missing.empty()) {
        std::string hint = out.report.layout == CheckpointLayout::OriginalLlava
                               ? " Original LLaVA checkpoints keep the vision tower elsewhere; convert the model "
                                 "to the Hugging Face format first."
                               : " Download every shard, or check that the checkpoint is a complete LLaVA model.";
        throw WeightsError("'" + dir + "' (" + layoutName(out.report.layout) + " layout) lacks " +
                           std::to_string(missing.size()) + " tensors the config needs: " + listSome(missing) + "." +
                           hint);
    }
    if (!unexpected.empty())
        throw WeightsError("'" + dir + "' holds " + std::to_string(unexpected.size()) +
                           " tensors this configuration does not use: " + listSome(unexpected) +
                           ". The config may not match the weights (e.g. a different architecture or layer count)");
    for (const auto& [name, key] : source) {
        expected[name].copy_(toTensor(ckpt.tensor(key), options.device, options.dtype));
        out.report.tensorsLoaded++;
    }
    for (const auto& [type, count] : storedTypes)
        out.report.storedDType += (out.report.storedDType.empty() ? "" : "+") + type;
    model->eval();
    out.model = model;
    return out;
}

LlavaModel randomLlava(const LlavaConfig& config, const ComputeOptions& options, uint64_t seed, double std) {
    auto opts = torch::TensorOptions().dtype(options.dtype).device(options.device);
    LlavaModel model(config, opts);
    initRandom(*model, std, seed);
    model->eval();
    return model;
}

ParameterCounts countParameters(const LlavaConfig& c) {
    ParameterCounts p;
    const auto& v = c.vision;
    const int64_t d = v.hiddenSize;
    const int64_t perLayer = 4 * (d * d + d) + 2 * d * v.intermediateSize + v.intermediateSize + d + 4 * d;
    p.vision = d * v.numChannels * v.patchSize * v.patchSize + (v.arch == VisionArch::Siglip ? d : 0) +
               v.numPositions() * d + (v.hasClassToken() ? d + 2 * d : 0) + perLayer * c.visionLayersNeeded();
    const int64_t in = c.projectorInputSize(), h = c.text.hiddenSize;
    p.projector = in * h + h * h + (c.projectorBias ? 2 * h : 0);
    const auto& t = c.text;
    const int64_t q = t.numHeads * t.headDim, kv = t.numKvHeads * t.headDim;
    const int64_t attn = h * q + 2 * h * kv + q * h + (t.qkvBias ? q + 2 * kv : 0) + (t.oBias ? h : 0);
    const int64_t mlp = 3 * h * t.intermediateSize + (t.mlpBias ? 2 * t.intermediateSize + h : 0);
    p.language = t.vocabSize * h + t.numLayers * (attn + mlp + 2 * h) + h;
    p.lmHead = t.tieWordEmbeddings ? 0 : t.vocabSize * h;
    return p;
}

}  // namespace sena::model
