// Engine benchmark: prefill latency, decode tokens/s at batch 1 and 16, scorer tokens/s. Prints JSON.
//   engine_bench [--model 100m|llava-1.5-7b|DIR] [--device cpu|cuda] [--dtype float32|bfloat16]
//                [--new-tokens N] [--batches 1,16] [--text-tokens N] [--repeats N]
// The baseline measured in the same run is generation without the KV cache (every step recomputes
// the whole sequence), which is what a pipeline without caching pays.
#include "BenchConfigs.h"
#include "model/Device.h"
#include "model/Generator.h"
#include "model/Layers.h"
#include "model/Scorer.h"
#include "model/WeightLoader.h"
#include "util/Error.h"

#include <torch/cuda.h>
#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>

using namespace sena;
using Clock = std::chrono::steady_clock;

namespace {

void sync(const torch::Device& d) {
#ifdef SENA_BENCH_CUDA_SYNC
    if (d.is_cuda())
        torch::cuda::synchronize();
#else
    if (d.is_cuda())
        torch::zeros({1}, torch::TensorOptions().device(d)).cpu();  // forces completion of queued work
#endif
}

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// A text token id that is neither special (0–2) nor the image token.
int64_t textId(const model::LlavaConfig& c, int64_t x) {
    const int64_t hi = std::min(c.text.vocabSize, c.imageTokenId) - 3;
    return 3 + x % hi;
}

std::vector<int64_t> prompt(const model::LlavaConfig& c, int64_t textTokens, int64_t seed) {
    std::vector<int64_t> p{1};
    for (int64_t i = 0; i < textTokens / 2; ++i)
        p.push_back(textId(c, seed * 131 + i * 17));
    for (int64_t i = 0; i < c.imageSeqLength(); ++i)
        p.push_back(c.imageTokenId);
    for (int64_t i = 0; i < textTokens - textTokens / 2; ++i)
        p.push_back(textId(c, seed * 71 + i * 29));
    return p;
}

}  // namespace

int main(int argc, char** argv) {
    std::string modelName = "100m", device = "cpu", dtype = "float32", batchesArg = "1,16";
    int64_t newTokens = 32, textTokens = 50, repeats = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--model") modelName = v;
        else if (k == "--device") device = v;
        else if (k == "--dtype") dtype = v;
        else if (k == "--new-tokens") newTokens = std::stoll(v);
        else if (k == "--text-tokens") textTokens = std::stoll(v);
        else if (k == "--batches") batchesArg = v;
        else if (k == "--repeats") repeats = std::stoll(v);
        else { std::cerr << "unknown option " << k << "\n"; return 2; }
    }
    try {
        model::configureThreads();
        model::ComputeOptions o;
        o.device = model::parseDevice(device);
        o.dtype = model::parseDType(dtype, o.device);
        model::LlavaModel m{nullptr};
        model::LlavaConfig cfg;
        auto t0 = Clock::now();
        if (std::filesystem::is_directory(modelName)) {
            auto loaded = model::loadLlava(modelName, o);
            m = loaded.model;
            cfg = loaded.config;
        } else {
            cfg = bench::benchConfig(modelName);
            m = model::randomLlava(cfg, o, 1, 0.02);
        }
        sync(o.device);
        const double loadSeconds = seconds(t0, Clock::now());
        int64_t params = 0;
        for (const auto& p : m->parameters())
            params += p.numel();
        torch::NoGradGuard noGrad;
        util::Json out = {{"bench", "engine"}, {"model", modelName}, {"device", device}, {"dtype", dtype},
                          {"threads", torch::get_num_threads()}, {"parameters", params},
                          {"load_or_init_s", loadSeconds}, {"new_tokens", newTokens}};
        const int64_t side = cfg.vision.imageSize;
        auto pixels = [&](int64_t n) { return torch::randn({n, 3, side, side}).to(o.device); };

        // Prefill: vision tower + projector + decoder over the whole prompt, last-position logits.
        {
            auto p = prompt(cfg, textTokens, 0);
            auto ids = torch::tensor(p).unsqueeze(0).to(o.device);
            auto run = [&] {
                auto f = m->imageFeatures(pixels(1));
                auto e = m->embedInputs(ids, f);
                auto mask = torch::ones_like(ids);
                auto h = m->hidden(e, model::positionsFromMask(mask), model::causalMask(mask, ids.size(1), e.scalar_type()));
                return m->logits(h.select(1, h.size(1) - 1));
            };
            run();
            sync(o.device);
            auto a = Clock::now();
            for (int64_t r = 0; r < repeats; ++r)
                run();
            sync(o.device);
            out["prompt_tokens"] = p.size();
            out["prefill_ms"] = seconds(a, Clock::now()) / repeats * 1000;
        }

        // Decode throughput per batch size (forced length: EOS never stops a row).
        std::stringstream bs(batchesArg);
        std::string tok;
        model::Generator gen(m);
        model::SamplingOptions greedy;
        greedy.maxNewTokens = greedy.minNewTokens = newTokens;
        while (std::getline(bs, tok, ',')) {
            const int64_t b = std::stoll(tok);
            std::vector<std::vector<int64_t>> prompts;
            for (int64_t i = 0; i < b; ++i)
                prompts.push_back(prompt(cfg, textTokens, i));
            auto feats = m->imageFeatures(pixels(b));
            model::SamplingOptions warm = greedy;
            warm.maxNewTokens = warm.minNewTokens = 2;
            gen.generate(prompts, feats, warm);
            model::GenerationStats st;
            sync(o.device);
            auto a = Clock::now();
            gen.generate(prompts, feats, greedy, &st);
            sync(o.device);
            const double total = seconds(a, Clock::now());
            const std::string key = "bs" + std::to_string(b);
            out["decode_" + key + "_tok_s"] = static_cast<double>(st.newTokens) / st.decodeSeconds;
            out["generate_" + key + "_tok_s"] = static_cast<double>(st.newTokens) / total;
            out["generate_" + key + "_prefill_ms"] = st.prefillSeconds * 1000;
        }

        // Baseline in the same run: batch-1 greedy decoding without a KV cache.
        {
            auto p = prompt(cfg, textTokens, 0);
            auto f = m->imageFeatures(pixels(1));
            const int64_t steps = std::min<int64_t>(newTokens, 8);
            sync(o.device);
            auto a = Clock::now();
            std::vector<int64_t> seq = p;
            for (int64_t s = 0; s < steps; ++s) {
                auto last = m->forwardLogits(torch::tensor(seq), torch::Tensor(), f)[0][-1];
                if (cfg.imageTokenId < last.size(0))
                    last[cfg.imageTokenId] = -1e30;  // a generated image token would need image features
                seq.push_back(last.argmax().item<int64_t>());
            }
            sync(o.device);
            const double tps = static_cast<double>(steps) / seconds(a, Clock::now());
            out["baseline_no_cache_bs1_tok_s"] = tps;
            if (out.contains("decode_bs1_tok_s"))
                out["ratio_decode_bs1_vs_no_cache"] = out["decode_bs1_tok_s"].get<double>() / tps;
        }

        // Scorer: log-probs of 4 responses of 64 tokens after image prompts.
        {
            model::Scorer scorer(m);
            std::vector<model::ScoreItem> items;
            for (int64_t i = 0; i < 4; ++i) {
                model::ScoreItem it;
                it.prompt = prompt(cfg, textTokens, i);
                for (int64_t t = 0; t < 64; ++t)
                    it.response.push_back(textId(cfg, i * 37 + t * 11));
                items.push_back(it);
            }
            auto f = m->imageFeatures(pixels(4));
            scorer.score(items, f);
            sync(o.device);
            auto a = Clock::now();
            for (int64_t r = 0; r < repeats; ++r)
                scorer.score(items, f);
            sync(o.device);
            const double dt = seconds(a, Clock::now()) / repeats;
            int64_t tokens = 0;
            for (const auto& it : items)
                tokens += static_cast<int64_t>(it.prompt.size() + it.response.size());
            out["scorer_tokens_per_s"] = tokens / dt;
        }
        std::cout << out.dump(1) << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "engine_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
