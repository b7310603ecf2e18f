// sena round score|train|next and sena run: the optimisation half of SENA rounds.
#include "CliSupport.h"
#include "Commands.h"
#include "pipeline/EngineModel.h"
#include "pipeline/RoundGenerator.h"
#include "store/Workspace.h"
#include "util/Error.h"
#include "world/RoundTrainer.h"

#include <csignal>
#include <cstdio>
#include <filesystem>

namespace sena::cli {
namespace fs = std::filesystem;

namespace {
std::atomic<bool> g_stop{false};
extern "C" void onStop(int) { g_stop = true; }

struct TrainArgs {
    std::string ws, config, device, dtype;
    int64_t round = 0, maxSteps = -1;

    void add(CLI::App* cmd) {
        cmd->add_option("workspace", ws, "Workspace folder")->required();
        cmd->add_option("--round", round, "Round index (default: the latest)");
        cmd->add_option("--config", config, "Training settings JSON (see README: lora/full, loss, lr, batch, …)");
        cmd->add_option("--max-steps", maxSteps, "Stop after this many optimizer steps");
        cmd->add_option("--device", device, "cpu, cuda or cuda:N (default: the config's, else cpu)");
        cmd->add_option("--dtype", dtype, "float32 or bfloat16 (default: the config's, else float32)");
    }
    world::TrainConfig resolve() const {
        world::TrainConfig c = config.empty() ? world::TrainConfig::defaults()
                                              : world::TrainConfig::fromJson(util::readJsonFile(config), config);
        if (maxSteps > 0)
            c.trainer.maxSteps = maxSteps;
        if (!device.empty())
            c.device = device;
        if (!dtype.empty())
            c.dtype = dtype;
        model::configureThreads();
        return c;
    }
    int64_t roundId(store::Workspace& w) const {
        auto r = round > 0 ? w.rounds().byIndex(static_cast<int>(round)) : w.rounds().latest();
        if (!r)
            throw InputError(round > 0 ? "the workspace has no round " + std::to_string(round)
                                       : std::string("the workspace has no round yet: run sena round generate first"));
        return r->id;
    }
};

bool report(const world::TrainingProgress& p) {
    if (p.phase == "training" && p.last)
        std::fprintf(stderr, "\r[step %lld/%lld] loss %.4f  dpo %.4f  ica %.4f  acc %.2f  margin %.3f  %.0f tok/s   ",
                     static_cast<long long>(p.last->step), static_cast<long long>(p.last->totalSteps), p.last->loss,
                     p.last->dpoLoss, p.last->icaLoss, p.last->rewardsAccuracies, p.last->rewardsMargins,
                     p.last->tokensPerSecond);
    else
        std::fprintf(stderr, "\r[%s %lld/%lld]   ", p.phase.c_str(), static_cast<long long>(p.done),
                     static_cast<long long>(p.total));
    return !g_stop.load();
}

void trainRound(store::Workspace& w, const TrainArgs& a, int64_t roundId) {
    world::RoundTrainer trainer(w, a.resolve());
    std::signal(SIGINT, onStop);
    std::signal(SIGTERM, onStop);
    try {
        const int64_t run = trainer.train(roundId, report, &g_stop);
        auto r = w.training().run(run);
        std::fprintf(stderr, "\n");
        std::printf("trained round %d: %lld steps, model %s\n", w.rounds().get(roundId)->index,
                    static_cast<long long>(r->steps), r->modelOut.value_or("-").c_str());
    } catch (const Cancelled&) {
        std::fprintf(stderr, "\ninterrupted: the last checkpoint is kept; run the same command to resume\n");
        throw Error("training interrupted");
    }
}
}  // namespace

void registerTrainCommands(CLI::App& app) {
    auto* round = app.get_subcommand("round");
    {
        auto* cmd = round->add_subcommand("score", "Reference log-probs of the round's training pairs (cached)");
        auto a = std::make_shared<TrainArgs>();
        a->add(cmd);
        cmd->callback([a] {
            auto w = store::Workspace::open(a->ws);
            world::RoundTrainer trainer(w, a->resolve());
            auto s = trainer.score(a->roundId(w), report, &g_stop);
            std::fprintf(stderr, "\n");
            std::printf("scored %lld pairs: %lld from the cache, %lld computed\n", static_cast<long long>(s.pairs),
                        static_cast<long long>(s.cached), static_cast<long long>(s.computed));
        });
    }
    {
        auto* cmd = round->add_subcommand("train", "DPO + ICA training of the round; writes θ(k) and every step's metrics");
        auto a = std::make_shared<TrainArgs>();
        a->add(cmd);
        cmd->callback([a] {
            auto w = store::Workspace::open(a->ws);
            trainRound(w, *a, a->roundId(w));
        });
    }
    {
        auto* cmd = round->add_subcommand("next", "Start the next round with the trained model as generator and reference");
        auto dir = std::make_shared<std::string>();
        auto limit = std::make_shared<int64_t>(-1);
        cmd->add_option("workspace", *dir, "Workspace folder")->required();
        cmd->add_option("--limit", *limit, "At most this many new images");
        cmd->callback([dir, limit] {
            auto w = store::Workspace::open(*dir);
            auto latest = w.rounds().latest();
            if (!latest)
                throw InputError("the workspace has no round yet");
            const int64_t id = world::RoundTrainer::nextRound(w, latest->id, *limit);
            std::printf("round %d created with %zu images; run: sena round generate %s\n", w.rounds().get(id)->index,
                        w.rounds().images(id).size(), dir->c_str());
        });
    }
    {
        auto* cmd = app.add_subcommand("run", "The whole loop: generate → score → train → next, for N rounds");
        auto a = std::make_shared<TrainArgs>();
        auto rounds = std::make_shared<int64_t>(1);
        auto model = std::make_shared<std::string>();
        auto limit = std::make_shared<int64_t>(-1);
        a->add(cmd);
        cmd->add_option("--rounds", *rounds, "Rounds to run")->capture_default_str();
        cmd->add_option("--model", *model, "Base model for the first round (default: the workspace's)");
        cmd->add_option("--limit", *limit, "Images per round");
        cmd->callback([a, rounds, model, limit] {
            auto w = store::Workspace::open(a->ws);
            const auto tc = a->resolve();
            for (int64_t k = 0; k < *rounds; ++k) {
                auto latest = w.rounds().latest();
                if (latest && latest->status == store::RoundStatus::Trained) {
                    if (k == 0 && !w.training().latestRun(latest->id))
                        throw Error("inconsistent workspace: a trained round without a training run");
                    world::RoundTrainer::nextRound(w, latest->id, *limit);
                    latest = w.rounds().latest();
                }
                // Generate (a new round, or the pending one).
                pipeline::RoundConfig cfg;
                std::string modelDir = *model;
                if (latest && latest->status != store::RoundStatus::Generated &&
                    latest->status != store::RoundStatus::Scoring && latest->status != store::RoundStatus::Training &&
                    latest->status != store::RoundStatus::Trained) {
                    cfg = pipeline::RoundConfig::fromJson(util::Json::parse(latest->configJson), "round config");
                    modelDir = cfg.modelDir;
                } else if (!latest) {
                    if (modelDir.empty())
                        modelDir = w.setting("default_model").value_or("");
                    if (modelDir.empty())
                        throw ConfigError("no base model: pass --model DIR");
                    cfg.limit = *limit;
                }
                int64_t roundId = latest ? latest->id : 0;
                if (!latest || (latest->status != store::RoundStatus::Generated &&
                                latest->status != store::RoundStatus::Scoring &&
                                latest->status != store::RoundStatus::Training)) {
                    cfg.modelDir = fs::absolute(modelDir).string();
                    pipeline::EngineModelOptions eo;
                    eo.compute.device = model::parseDevice(tc.device);
                    eo.compute.dtype = model::parseDType(tc.dtype, eo.compute.device);
                    eo.chatTemplate = cfg.chatTemplate;
                    pipeline::EngineModel engine(cfg.modelDir, eo);
                    pipeline::RoundGenerator gen(w, engine, cfg);
                    if (!latest)
                        roundId = gen.createRound();
                    std::fprintf(stderr, "round %d: generating\n", w.rounds().get(roundId)->index);
                    gen.run(roundId, {}, &g_stop);
                }
                std::fprintf(stderr, "round %d: scoring and training\n", w.rounds().get(roundId)->index);
                trainRound(w, *a, roundId);
            }
        });
    }
}

}  // namespace sena::cli
