// Pipeline throughput on the CPU: images/min and generated tokens/s of a SENA round with the demo
// model, with and without feature caching and shared-prefix prefill (the baseline, same run).
//   pipeline_bench [--images N] [--dtype float32|bfloat16] [--work DIR]
#include "model/Device.h"
#include "pipeline/DemoWorkspace.h"
#include "pipeline/EngineModel.h"
#include "pipeline/RoundGenerator.h"
#include "store/Workspace.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>

using namespace sena;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
    int images = 8;
    std::string dtype = "float32", work = (fs::temp_directory_path() / "sena-pipeline-bench").string();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--images") images = std::stoi(v);
        else if (k == "--dtype") dtype = v;
        else if (k == "--work") work = v;
        else { std::cerr << "unknown option " << k << "\n"; return 2; }
    }
    try {
        model::configureThreads();
        fs::remove_all(work);
        const auto demoImages = pipeline::writeDemoImages(work + "/images", images);
        pipeline::writeDemoModel(work + "/model", demoImages, 200);
        nlohmann::json out = {{"bench", "pipeline"}, {"images", images}, {"dtype", dtype},
                              {"threads", torch::get_num_threads()}};
        for (const bool reuse : {false, true}) {
            const std::string name = reuse ? "with_reuse" : "without_reuse";
            auto ws = store::Workspace::create(work + "/ws-" + name);
            ws.importImages(work + "/images");
            pipeline::RoundConfig cfg;
            cfg.modelDir = work + "/model";
            cfg.maxNewTokens = 24;
            cfg.maxNewTokensSelfCheck = 32;
            cfg.batchImages = 4;
            pipeline::EngineModelOptions eo;
            eo.compute.dtype = model::parseDType(dtype, torch::kCPU);
            eo.sharePrefix = reuse;
            eo.cacheFeatures = reuse;
            pipeline::EngineModel engine(cfg.modelDir, eo);
            pipeline::RoundGenerator gen(ws, engine, cfg);
            const auto t0 = std::chrono::steady_clock::now();
            auto progress = gen.run(gen.createRound());
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            out[name] = {{"seconds", s},
                         {"images_per_min", 60.0 * static_cast<double>(progress.imagesDone) / s},
                         {"new_tokens_per_s", static_cast<double>(engine.stats().newTokens) / s},
                         {"prompt_tokens", engine.stats().promptTokens},
                         {"feature_computations", engine.stats().featureComputations},
                         {"pairs", progress.pairsMade}};
        }
        out["speedup_with_reuse"] = out["without_reuse"]["seconds"].get<double>() / out["with_reuse"]["seconds"].get<double>();
        std::cout << out.dump(1) << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "pipeline_bench: " << e.what() << "\n";
        return 1;
    }
}
