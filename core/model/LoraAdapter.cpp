#include "model/LoraAdapter.h"

#include "model/Safetensors.h"
#include "model/TensorIO.h"
#include "util/Error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <tuple>

namespace sena::model {
namespace fs = std::filesystem;

namespace {

constexpr const char* kPeftPrefix = "base_model.model.";

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

struct LinearEntry {
    std::string name;  // internal module name
    std::shared_ptr<LinearImpl> layer;
};

std::vector<LinearEntry> linears(const LlavaModel& model) {
    std::vector<LinearEntry> out;
    for (const auto& item : model->named_modules("", /*include_self=*/false))
        if (auto linear = std::dynamic_pointer_cast<LinearImpl>(item.value()))
            out.push_back({item.key(), linear});
    return out;
}

// The layers `config` targets. lm_head is excluded: PEFT's all-linear skips the output layer, and
// an adapter on it would also have to follow a tied embedding.
std::vector<LinearEntry> targetedLinears(const LlavaModel& model, const LoraConfig& config,
                                        CheckpointLayout layout = CheckpointLayout::Current) {
    std::vector<LinearEntry> out;
    for (auto& e : linears(model))
        if (e.name != "lm_head" && config.targets(peftModuleKey(e.name, layout)))
            out.push_back(std::move(e));
    return out;
}

// Vision encoder layers past the deepest selected hidden state are not built (WeightLoader skips
// their weights); PEFT adapters may still hold tensors for them.
bool isUnbuiltVisionLayer(const std::string& internalModule, const LlavaConfig& config) {
    static const std::regex layerRe(R"(^vision_tower\.vision_model\.encoder\.layers\.(\d+)\.)");
    std::smatch m;
    if (!std::regex_search(internalModule, m, layerRe))
        return false;
    const long long layer = std::stoll(m[1].str());
    return layer >= config.visionLayersNeeded() && layer < config.vision.numLayers;
}

std::string listSome(const std::vector<std::string>& items, std::size_t most = 6) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < most; ++i)
        out += (i ? "; " : "") + items[i];
    if (items.size() > most)
        out += "; … (" + std::to_string(items.size() - most) + " more)";
    return out;
}

void initialise(LinearImpl& layer, int64_t rank, const std::string& init, at::Generator& gen) {
    const auto cpu = torch::TensorOptions().dtype(torch::kFloat32);
    auto a = torch::empty({rank, layer.inFeatures()}, cpu);
    auto b = torch::zeros({layer.outFeatures(), rank}, cpu);
    // nn.Linear's default (kaiming_uniform_ with a=√5) is U(−1/√fan_in, 1/√fan_in).
    if (init == "gaussian") {
        a.normal_(0.0, 1.0 / static_cast<double>(rank), gen);
    } else {
        const double boundA = 1.0 / std::sqrt(static_cast<double>(layer.inFeatures()));
        a.uniform_(-boundA, boundA, gen);
        if (init == "false") {
            const double boundB = 1.0 / std::sqrt(static_cast<double>(rank));
            b.uniform_(-boundB, boundB, gen);
        }
    }
    layer.loraA().copy_(a);
    layer.loraB().copy_(b);
}

struct FileModule {
    const TensorView* a = nullptr;
    const TensorView* b = nullptr;
    std::string keyA, keyB;
};

}  // namespace

std::string peftModuleKey(const std::string& name, CheckpointLayout layout) {
    const bool head = name == "lm_head" || startsWith(name, "lm_head.");
    if (layout == CheckpointLayout::LegacyHf) {
        if (head)
            return "language_model." + name;
        if (startsWith(name, "language_model."))
            return "language_model.model." + name.substr(15);
        return name;
    }
    return head ? name : "model." + name;
}

std::vector<std::string> attachLora(LlavaModel& model, const LoraConfig& config, uint64_t seed,
                                    torch::ScalarType dtype) {
    config.validate("LoRA config");
    const std::string& init = config.initLoraWeights;
    if (init != "true" && init != "false" && init != "gaussian")
        throw ConfigError("LoRA init_lora_weights '" + init +
                          "' cannot initialise a new adapter here; use true, false or \"gaussian\"");
    const auto chosen = targetedLinears(model, config);
    if (chosen.empty())
        throw ConfigError("LoRA target_modules " + config.describeTargets() +
                          " matches no linear layer of this model; module keys look like "
                          "'model.language_model.layers.0.self_attn.q_proj' and "
                          "'model.vision_tower.vision_model.encoder.layers.0.self_attn.q_proj'");
    for (const auto& e : chosen)
        if (e.layer->hasLora())
            throw InputError("'" + e.name + "' already has a LoRA adapter; merge or remove it before attaching another");
    torch::NoGradGuard noGrad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    std::vector<std::string> names;
    for (const auto& e : chosen) {
        const std::string key = peftModuleKey(e.name);
        const int64_t rank = config.rankFor(key);
        e.layer->attachLora(rank, config.scalingFor(key), config.loraDropout, dtype);
        initialise(*e.layer, rank, init, gen);
        names.push_back(e.name);
    }
    return names;
}

std::vector<std::string> loraModules(const LlavaModel& model) {
    std::vector<std::string> out;
    for (const auto& e : linears(model))
        if (e.layer->hasLora())
            out.push_back(e.name);
    return out;
}

std::vector<torch::Tensor> loraParameters(const LlavaModel& model) {
    std::vector<torch::Tensor> out;
    for (const auto& e : linears(model))
        if (e.layer->hasLora()) {
            out.push_back(e.layer->loraA());
            out.push_back(e.layer->loraB());
        }
    return out;
}

void setLoraEnabled(LlavaModel& model, bool enabled) {
    for (const auto& e : linears(model))
        e.layer->setLoraEnabled(enabled);
}

void removeLora(LlavaModel& model) {
    for (const auto& e : linears(model))
        e.layer->removeLora();
}

LoadedAdapter loadLoraAdapter(LlavaModel& model, const std::string& dir, torch::ScalarType dtype) {
    const fs::path root(dir);
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw ConfigError("'" + dir + "' is not a folder; point at a PEFT adapter folder with adapter_config.json");
    const fs::path configPath = root / "adapter_config.json";
    const fs::path weightsPath = root / "adapter_model.safetensors";
    if (!fs::exists(configPath))
        throw ConfigError("'" + dir + "' has no adapter_config.json; it is not a PEFT adapter folder");
    if (!fs::exists(weightsPath)) {
        if (fs::exists(root / "adapter_model.bin"))
            throw FormatError("'" + dir + "' holds adapter_model.bin (a pickled PyTorch file), which this engine does "
                              "not read; re-save it as safetensors, e.g. in Python: "
                              "PeftModel.from_pretrained(base, dir).save_pretrained(out, safe_serialization=True)");
        throw FormatError("'" + dir + "' has no adapter_model.safetensors");
    }
    LoadedAdapter out;
    out.config = LoraConfig::fromFile(configPath.string());
    const LoraConfig& config = out.config;
    SafetensorsFile file(weightsPath.string());

    // Group the file's tensors by module path (the key without "base_model.model." and the suffix).
    static const std::regex keyRe(R"(^(.+)\.(lora_A|lora_B)(?:\.([^.]+))?\.weight$)");
    std::map<std::string, FileModule> byPath;
    std::vector<std::string> unexpected, misshaped, missing;
    std::set<std::string> adapterNames;
    for (const auto& view : file.tensors()) {
        std::string key = view.name;
        if (startsWith(key, kPeftPrefix))
            key = key.substr(std::string(kPeftPrefix).size());
        std::smatch m;
        if (!std::regex_match(key, m, keyRe)) {
            unexpected.push_back(view.name + " (not a LoRA A/B weight; DoRA magnitudes, LoRA biases and "
                                             "modules_to_save copies are not supported)");
            continue;
        }
        if (m[3].matched)
            adapterNames.insert(m[3].str());
        if (adapterNames.size() > 1)
            throw WeightsError("'" + weightsPath.string() + "' holds several adapters (" +
                               listSome({adapterNames.begin(), adapterNames.end()}) + "); save one adapter per folder");
        auto& fm = byPath[m[1].str()];
        const bool isA = m[2].str() == "lora_A";
        if ((isA ? fm.a : fm.b) != nullptr)
            throw WeightsError("'" + weightsPath.string() + "' holds two tensors for " + m[1].str() + "." +
                               m[2].str() + ": '" + (isA ? fm.keyA : fm.keyB) + "' and '" + view.name +
                               "'; save one adapter per folder");
        (isA ? fm.a : fm.b) = &view;
        (isA ? fm.keyA : fm.keyB) = view.name;
    }
    if (!adapterNames.empty())
        out.adapterName = *adapterNames.begin();

    // Map module paths through the same layout normalisation as the base weights.
    std::vector<std::string> probe;
    for (const auto& [path, fm] : byPath)
        probe.push_back(path + ".weight");
    out.layout = detectLayout(probe);
    std::map<std::string, const FileModule*> byName;  // internal module name → tensors
    for (const auto& [path, fm] : byPath) {
        std::string name = internalName(path + ".weight", out.layout);
        name = name.substr(0, name.size() - 7);  // drop ".weight"
        if (byName.count(name))
            throw WeightsError("'" + weightsPath.string() + "' holds two spellings of the same layer's adapter (" +
                               path + "); the file mixes key layouts");
        byName[name] = &fm;
    }

    // target_modules and the patterns were matched against the module paths of the transformers
    // version that trained the adapter; its key spelling tells which.
    const CheckpointLayout paths =
        out.layout == CheckpointLayout::LegacyHf ? CheckpointLayout::LegacyHf : CheckpointLayout::Current;
    std::map<std::string, LinearEntry> targeted;
    for (auto& e : targetedLinears(model, config, paths))
        targeted[e.name] = e;
    std::set<std::string> linearNames;
    for (const auto& e : linears(model))
        linearNames.insert(e.name);
    std::vector<std::string> rankErrors;
    for (const auto& [name, fm] : byName) {
        const std::string anyKey = fm->a ? fm->keyA : fm->keyB;
        if (!targeted.count(name)) {
            if (isUnbuiltVisionLayer(name, model->config())) {
                out.ignored.push_back(anyKey + " (vision layer past the selected feature layer)");
                continue;
            }
            const char* why = name == "lm_head"               ? " (LoRA on lm_head is not supported)"
                              : linearNames.count(name) != 0 ? " (layer not targeted by target_modules)"
                                                             : " (no such linear layer in this model)";
            unexpected.push_back(anyKey + why);
            continue;
        }
        const auto& layer = *targeted[name].layer;
        const std::string expectedKey = kPeftPrefix + peftModuleKey(name, paths);
        if (!fm->a || !fm->b) {
            missing.push_back(expectedKey + (fm->a ? ".lora_B.weight" : ".lora_A.weight"));
            continue;
        }
        const auto& a = fm->a->shape;
        const auto& b = fm->b->shape;
        if (a.size() != 2 || b.size() != 2 || a[1] != layer.inFeatures() || b[0] != layer.outFeatures() ||
            a[0] != b[1]) {
            misshaped.push_back(name + ": A " + fm->a->shapeString() + ", B " + fm->b->shapeString() +
                                ", the layer needs A [r, " + std::to_string(layer.inFeatures()) + "] and B [" +
                                std::to_string(layer.outFeatures()) + ", r]");
            continue;
        }
        const int64_t want = config.rankFor(peftModuleKey(name, paths));
        if (a[0] != want)
            rankErrors.push_back(name + " has rank " + std::to_string(a[0]) + " in the file, adapter_config.json says " +
                                 std::to_string(want) + " (r / rank_pattern)");
    }
    for (const auto& [name, e] : targeted)
        if (!byName.count(name)) {
            const std::string key = kPeftPrefix + peftModuleKey(name, paths);
            missing.push_back(key + ".lora_A.weight");
            missing.push_back(key + ".lora_B.weight");
        }
    // One error naming every problem, so a broken adapter is diagnosed in one go.
    std::vector<std::string> parts;
    auto count = [](std::size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); };
    if (!missing.empty())
        parts.push_back(count(missing.size(), "tensor") + " missing that target_modules " + config.describeTargets() +
                        " asks for: " + listSome(missing));
    if (!unexpected.empty())
        parts.push_back(count(unexpected.size(), "unexpected tensor") + ": " + listSome(unexpected));
    if (!misshaped.empty())
        parts.push_back(count(misshaped.size(), "mis-shaped adapter") + ": " + listSome(misshaped));
    if (!rankErrors.empty())
        parts.push_back("ranks disagree with adapter_config.json: " + listSome(rankErrors));
    const std::string where = "'" + dir + "'";
    if (!parts.empty()) {
        std::string message = "the LoRA adapter in " + where + " does not fit this model: ";
        for (std::size_t i = 0; i < parts.size(); ++i)
            message += (i ? ". " : "") + parts[i];
        throw WeightsError(message + ". Check that the adapter was made for this base model and saved completely");
    }
    if (targeted.empty())
        throw ConfigError(where + ": target_modules " + config.describeTargets() + " matches no layer of this model");
    for (const auto& [name, e] : targeted)
        if (e.layer->hasLora())
            throw InputError("'" + name + "' already has a LoRA adapter; merge or remove it before loading '" + dir + "'");

    torch::NoGradGuard noGrad;
    for (const auto& e : linears(model)) {  // model order
        if (!targeted.count(e.name))
            continue;
        const FileModule& fm = *byName.at(e.name);
        const std::string key = peftModuleKey(e.name, paths);
        e.layer->attachLora(fm.a->shape[0], config.scalingFor(key), config.loraDropout, dtype);
        const auto device = e.layer->weight.device();
        e.layer->loraA().copy_(toTensor(*fm.a, device, dtype));
        e.layer->loraB().copy_(toTensor(*fm.b, device, dtype));
        out.modules.push_back(e.name);
    }
    return out;
}

void saveLoraAdapter(const LlavaModel& model, const LoraConfig& config, const std::string& dir) {
    config.validate("LoRA config for '" + dir + "'");
    std::vector<std::string> problems;
    std::vector<LinearEntry> adapted;
    for (const auto& e : linears(model)) {
        const std::string key = peftModuleKey(e.name);
        const bool targeted = e.name != "lm_head" && config.targets(key);
        if (e.layer->hasLora() && !targeted) {
            problems.push_back(e.name + " has an adapter that target_modules does not name");
        } else if (!e.layer->hasLora() && targeted) {
            problems.push_back(e.name + " is targeted but has no adapter");
        } else if (targeted) {
            const int64_t rank = e.layer->loraA().size(0);
            const double scaling = config.scalingFor(key);
            if (rank != config.rankFor(key))
                problems.push_back(e.name + " has rank " + std::to_string(rank) + ", the config says " +
                                   std::to_string(config.rankFor(key)));
            else if (std::abs(e.layer->loraScaling() - scaling) > 1e-9 * std::max(1.0, std::abs(scaling)))
                problems.push_back(e.name + " has scaling " + std::to_string(e.layer->loraScaling()) +
                                   ", the config gives " + std::to_string(scaling));
            else
                adapted.push_back(e);
        }
    }
    if (!problems.empty())
        throw InputError("cannot save the adapter to '" + dir + "': the model's adapters do not match the config (" +
                         config.describeTargets() + "): " + listSome(problems));
    if (adapted.empty())
        throw InputError("cannot save an adapter to '" + dir + "': the model has no LoRA adapters");

    SafetensorsWriter writer;
    for (const auto& e : adapted) {
        const std::string key = kPeftPrefix + peftModuleKey(e.name);
        addTensor(writer, key + ".lora_A.weight", e.layer->loraA());
        addTensor(writer, key + ".lora_B.weight", e.layer->loraB());
    }
    // Zero adapters for targeted vision layers the engine never builds: PEFT wraps them too and
    // would otherwise report them missing. They do not change LLaVA's output either way.
    const auto& cfg = model->config();
    const int64_t d = cfg.vision.hiddenSize, ff = cfg.vision.intermediateSize;
    const std::vector<std::tuple<const char*, int64_t, int64_t>> visionLinears = {
        {"self_attn.q_proj", d, d}, {"self_attn.k_proj", d, d}, {"self_attn.v_proj", d, d},
        {"self_attn.out_proj", d, d}, {"mlp.fc1", d, ff}, {"mlp.fc2", ff, d}};
    const auto adapterDtype = adapted.front().layer->loraA().scalar_type();
    for (int64_t layer = cfg.visionLayersNeeded(); layer < cfg.vision.numLayers; ++layer)
        for (const auto& [sub, in, outFeatures] : visionLinears) {
            const std::string key =
                peftModuleKey("vision_tower.vision_model.encoder.layers." + std::to_string(layer) + "." + sub);
            if (!config.targets(key))
                continue;
            const int64_t rank = config.rankFor(key);
            addTensor(writer, kPeftPrefix + key + ".lora_A.weight", torch::zeros({rank, in}, adapterDtype));
            addTensor(writer, kPeftPrefix + key + ".lora_B.weight", torch::zeros({outFeatures, rank}, adapterDtype));
        }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw FormatError("cannot create '" + dir + "': " + ec.message());
    // Weights first: a folder is only an adapter once its config exists.
    writer.write((fs::path(dir) / "adapter_model.safetensors").string());
    config.writeFile((fs::path(dir) / "adapter_config.json").string());
}

}  // namespace sena::model
