#include "model/CheckpointWriter.h"

#include "model/Device.h"
#include "model/Safetensors.h"
#include "model/TensorIO.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace sena::model {
namespace fs = std::filesystem;

namespace {

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::vector<std::shared_ptr<LinearImpl>> adaptedLinears(const LlavaModel& model) {
    std::vector<std::shared_ptr<LinearImpl>> out;
    for (const auto& item : model->named_modules("", /*include_self=*/false))
        if (auto linear = std::dynamic_pointer_cast<LinearImpl>(item.value()); linear && linear->hasLora())
            out.push_back(linear);
    return out;
}

bool isFloating(DType t) { return t == DType::F16 || t == DType::BF16 || t == DType::F32 || t == DType::F64; }

// One tensor of the output: a model parameter, or a source tensor copied through.
struct Item {
    torch::Tensor tensor;
    const TensorView* view = nullptr;
    std::uint64_t bytes = 0;  // as written
};

// Side files a model folder needs besides weights and config.json (processor, tokenizer,
// generation defaults, chat template).
const char* const kSideFiles[] = {
    "generation_config.json", "preprocessor_config.json", "processor_config.json", "video_preprocessor_config.json",
    "chat_template.json",     "chat_template.jinja",      "tokenizer.model",       "tokenizer.json",
    "tokenizer_config.json",  "special_tokens_map.json",  "added_tokens.json",     "vocab.json",
    "merges.txt",
};

void writeText(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw FormatError("cannot write '" + path.string() + "'");
    out << text;
    out.flush();
    if (!out)
        throw FormatError("writing '" + path.string() + "' failed (disk full?)");
}

// The source config.json with the saved dtype; key order kept so the file diffs cleanly.
std::string updatedConfig(const fs::path& path, const std::string& dtype) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FormatError("cannot open '" + path.string() + "'");
    std::stringstream buf;
    buf << in.rdbuf();
    nlohmann::ordered_json json;
    try {
        json = nlohmann::ordered_json::parse(buf.str());
    } catch (const nlohmann::ordered_json::exception& e) {
        throw FormatError("'" + path.string() + "' is not valid JSON: " + e.what());
    }
    if (!json.is_object())
        throw FormatError("'" + path.string() + "' must hold a JSON object");
    // transformers >= 4.56 reads "dtype", older versions "torch_dtype": update whichever exist.
    bool any = false;
    std::vector<nlohmann::ordered_json*> nodes{&json};
    for (const char* sub : {"text_config", "vision_config"})
        if (json.contains(sub) && json[sub].is_object())
            nodes.push_back(&json[sub]);
    for (auto* node : nodes) {
        for (const char* key : {"dtype", "torch_dtype"})
            if (node->contains(key) && !(*node)[key].is_null()) {
                (*node)[key] = dtype;
                any = true;
            }
    }
    if (!any) {
        json["torch_dtype"] = dtype;
        json["dtype"] = dtype;
    }
    return json.dump(2) + "\n";
}

std::string uniqueSuffix() {
    return std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

std::size_t mergeLora(LlavaModel& model) {
    const auto layers = adaptedLinears(model);
    for (const auto& layer : layers)
        layer->mergeLora();
    return layers.size();
}

std::string checkpointKey(const std::string& name, CheckpointLayout layout) {
    switch (layout) {
    case CheckpointLayout::LegacyHf:
        if (startsWith(name, "language_model."))
            return "language_model.model." + name.substr(15);
        if (startsWith(name, "lm_head."))
            return "language_model." + name;
        return name;
    case CheckpointLayout::Current:
        if (startsWith(name, "lm_head."))
            return name;
        return "model." + name;
    case CheckpointLayout::OriginalLlava: break;
    }
    throw InputError("checkpoints are written in the llava-hf or the transformers >= 4.52 layout, not in the original "
                     "LLaVA layout");
}

HfSaveReport saveHfCheckpoint(const LlavaModel& model, const std::string& sourceDir, const std::string& outDir,
                              const HfSaveOptions& options) {
    checkpointKey("lm_head.weight", options.layout);  // refuses an unwritable layout up front
    if (const auto n = adaptedLinears(model).size())
        throw InputError(std::to_string(n) + " layers still carry LoRA adapters; merge them (mergeLora) or remove "
                         "them before saving a full checkpoint to '" + outDir + "'");
    if (options.maxShardBytes == 0)
        throw InputError("the shard size limit must be positive");
    const fs::path src(sourceDir);
    fs::path out = fs::path(outDir);
    if (out.filename().empty())
        out = out.parent_path();  // "dir/" names "dir"
    if (out.empty())
        throw InputError("no output folder given for the checkpoint");
    if (!fs::exists(src / "config.json"))
        throw ConfigError("'" + sourceDir + "' has no config.json; the source must be the checkpoint folder the model "
                          "was loaded from");
    std::error_code ec;
    if (fs::exists(out)) {
        if (fs::equivalent(out, src, ec))
            throw InputError("'" + outDir + "' is the source folder; write the checkpoint to another folder");
        if (!options.overwrite)
            throw InputError("'" + outDir + "' already exists; choose another folder or allow overwriting it");
    }
    const torch::ScalarType dtype = options.dtype == torch::ScalarType::Undefined ? model->dtype() : options.dtype;
    const DType storedType = safetensorsDType(dtype);

    auto ckpt = SafetensorsCheckpoint::open(sourceDir);
    const auto sourceKeys = ckpt.names();
    const CheckpointLayout sourceLayout = detectLayout(sourceKeys);
    HfSaveReport report;
    std::map<std::string, Item> items;  // output key → tensor, sorted as safetensors stores them
    std::set<std::string> built;
    for (const auto& p : model->named_parameters(/*recurse=*/true)) {
        built.insert(p.key());
        const auto& t = p.value();
        items[checkpointKey(p.key(), options.layout)] = {
            t, nullptr, static_cast<std::uint64_t>(t.numel()) * dtypeSize(storedType)};
    }
    for (const auto& key : sourceKeys) {
        std::string reason;
        const std::string name = internalName(key, sourceLayout, &reason);
        if (name.empty()) {
            report.dropped.push_back(key + " (" + reason + ")");
            continue;
        }
        if (built.count(name))
            continue;
        if (name == "lm_head.weight" && model->config().text.tieWordEmbeddings) {
            report.dropped.push_back(key + " (tied to embed_tokens; transformers ties it on load)");
            continue;
        }
        const std::string outKey = checkpointKey(name, options.layout);
        if (items.count(outKey))
            throw WeightsError("'" + sourceDir + "' holds '" + key + "', which would overwrite '" + outKey +
                               "'; the source checkpoint mixes key layouts");
        const TensorView& view = ckpt.tensor(key);
        const std::uint64_t bytes = isFloating(view.dtype) ? static_cast<std::uint64_t>(view.numel()) * dtypeSize(storedType)
                                                           : view.bytes;
        items[outKey] = {torch::Tensor(), &view, bytes};
        report.copiedThrough++;
    }

    // Greedy sharding in key order, as HF does: a new shard when the next tensor would overflow.
    std::vector<std::vector<std::string>> shards(1);
    std::uint64_t current = 0;
    for (const auto& [key, item] : items) {
        if (current > 0 && current + item.bytes > options.maxShardBytes) {
            shards.emplace_back();
            current = 0;
        }
        shards.back().push_back(key);
        current += item.bytes;
        report.totalBytes += item.bytes;
    }
    report.tensors = items.size();
    report.shards = shards.size();
    auto shardName = [&](std::size_t i) {
        if (shards.size() == 1)
            return std::string("model.safetensors");
        char buf[64];
        std::snprintf(buf, sizeof buf, "model-%05zu-of-%05zu.safetensors", i + 1, shards.size());
        return std::string(buf);
    };

    const fs::path parent = out.parent_path().empty() ? fs::path(".") : out.parent_path();
    fs::create_directories(parent, ec);
    const fs::path tmp = parent / ("." + out.filename().string() + ".partial-" + uniqueSuffix());
    try {
        fs::create_directory(tmp);
        nlohmann::json weightMap = nlohmann::json::object();
        for (std::size_t s = 0; s < shards.size(); ++s) {
            SafetensorsWriter writer;  // one shard in memory at a time
            for (const auto& key : shards[s]) {
                const Item& item = items.at(key);
                if (item.view && (!isFloating(item.view->dtype) || item.view->dtype == storedType))
                    writer.add(key, item.view->dtype, item.view->shape, item.view->data, item.view->bytes);
                else if (item.view)
                    addTensor(writer, key, toTensor(*item.view, torch::kCPU, dtype));
                else
                    addTensor(writer, key, item.tensor.detach().to(torch::kCPU, dtype));
                weightMap[key] = shardName(s);
            }
            writer.write((tmp / shardName(s)).string());
        }
        if (shards.size() > 1) {
            nlohmann::json index = {{"metadata", {{"total_size", report.totalBytes}}}, {"weight_map", weightMap}};
            writeText(tmp / "model.safetensors.index.json", index.dump(2) + "\n");
        }
        writeText(tmp / "config.json", updatedConfig(src / "config.json", dtypeString(dtype)));
        for (const char* name : kSideFiles)
            if (fs::is_regular_file(src / name)) {
                fs::copy_file(src / name, tmp / name);
                report.sideFiles.push_back(name);
            }
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        throw FormatError("writing the checkpoint to '" + tmp.string() + "' failed: " + e.what());
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }

    // Publish: the complete folder takes the final name in one rename; an old folder is moved
    // aside first and deleted only once the new one is in place.
    if (fs::exists(out)) {
        const fs::path old = parent / ("." + out.filename().string() + ".old-" + uniqueSuffix());
        fs::rename(out, old, ec);
        if (ec) {
            fs::remove_all(tmp, ec);
            throw FormatError("cannot replace '" + outDir + "': " + ec.message());
        }
        fs::rename(tmp, out, ec);
        if (ec) {
            std::error_code ignore;
            fs::rename(old, out, ignore);
            fs::remove_all(tmp, ignore);
            throw FormatError("cannot move the new checkpoint to '" + outDir + "': " + ec.message());
        }
        fs::remove_all(old, ec);
    } else {
        fs::rename(tmp, out, ec);
        if (ec) {
            std::error_code ignore;
            fs::remove_all(tmp, ignore);
            throw FormatError("cannot move the new checkpoint to '" + outDir + "': " + ec.message());
        }
    }
    return report;
}

}  // namespace sena::model
