// sena info --model DIR: the resolved configuration, parameter counts and memory estimates.
#include "CliSupport.h"
#include "Commands.h"
#include "model/LlavaConfig.h"
#include "model/Safetensors.h"
#include "model/WeightLoader.h"

#include <filesystem>
#include <iomanip>
#include <iostream>

namespace sena::cli {
namespace fs = std::filesystem;

namespace {
std::string gib(double bytes) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(bytes < 1 << 30 ? 3 : 2) << bytes / (1024.0 * 1024 * 1024) << " GiB";
    return s.str();
}
}  // namespace

void registerInfoCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("info", "Resolved config, parameter counts and memory per dtype of a model folder");
    auto model = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("--model", *model, "Hugging Face LLaVA model folder")->required();
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([model, json] {
        const fs::path dir(*model);
        auto config = model::LlavaConfig::fromFile((dir / "config.json").string());
        auto ckpt = model::SafetensorsCheckpoint::open(*model);
        const auto layout = model::detectLayout(ckpt.names());
        const auto counts = model::countParameters(config);
        const double params = static_cast<double>(counts.total());
        const auto& t = config.text;
        const double kvPerToken = 2.0 * t.numLayers * t.numKvHeads * t.headDim;  // elements
        const int64_t promptTokens = config.imageSeqLength() + 64;
        util::Json out = {
            {"model", *model},
            {"config", config.toJson()},
            {"checkpoint",
             {{"shards", ckpt.shardCount()},
              {"tensors", ckpt.names().size()},
              {"bytes", ckpt.totalBytes()},
              {"layout", model::layoutName(layout)}}},
            {"files",
             {{"tokenizer.json", fs::exists(dir / "tokenizer.json")},
              {"tokenizer.model", fs::exists(dir / "tokenizer.model")},
              {"preprocessor_config.json", fs::exists(dir / "preprocessor_config.json")},
              {"generation_config.json", fs::exists(dir / "generation_config.json")}}},
            {"parameters",
             {{"vision_used", counts.vision},
              {"projector", counts.projector},
              {"language_model", counts.language},
              {"lm_head", counts.lmHead},
              {"total", counts.total()}}},
            {"memory_bytes",
             {{"weights_float32", params * 4},
              {"weights_bfloat16", params * 2},
              {"kv_cache_per_token_bfloat16", kvPerToken * 2},
              {"kv_cache_per_image_prompt_bfloat16", kvPerToken * 2 * promptTokens}}}};
        if (*json) {
            std::cout << out.dump(1) << "\n";
            return;
        }
        std::cout << "model          " << *model << "\n"
                  << "text           " << t.modelType << ": " << t.numLayers << " layers, hidden " << t.hiddenSize
                  << ", " << t.numHeads << " heads (" << t.numKvHeads << " kv), intermediate " << t.intermediateSize
                  << ", vocab " << t.vocabSize << ", rms eps " << t.rmsNormEps << ", rope " << t.rope.type
                  << " θ=" << t.rope.theta << (t.tieWordEmbeddings ? ", tied head" : "") << "\n"
                  << "vision         " << config.vision.modelType << ": " << config.vision.numLayers
                  << " layers (" << config.visionLayersNeeded() << " used), hidden " << config.vision.hiddenSize
                  << ", image " << config.vision.imageSize << "/" << config.vision.patchSize << ", "
                  << model::activationName(config.vision.act) << "\n"
                  << "image tokens   " << config.imageSeqLength() << " per image (id " << config.imageTokenId
                  << ", strategy " << config.selectStrategy << ")\n"
                  << "checkpoint     " << ckpt.shardCount() << " shard(s), " << ckpt.names().size() << " tensors, "
                  << gib(static_cast<double>(ckpt.totalBytes())) << ", " << model::layoutName(layout) << " layout, "
                  << "stored as " << config.dtype << "\n"
                  << "parameters     " << counts.total() << " (vision " << counts.vision << ", projector "
                  << counts.projector << ", language " << counts.language << ", head " << counts.lmHead << ")\n"
                  << "weights        float32 " << gib(params * 4) << ", bfloat16 " << gib(params * 2) << "\n"
                  << "kv cache       " << gib(kvPerToken * 2) << " per token (bf16), "
                  << gib(kvPerToken * 2 * promptTokens) << " per image prompt\n";
    });
}

}  // namespace sena::cli
