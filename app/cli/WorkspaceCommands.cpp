// sena workspace init|import, sena round generate|status, sena pairs list, sena demo.
#include "CliSupport.h"
#include "Commands.h"
#include "pipeline/DemoWorkspace.h"
#include "pipeline/EngineModel.h"
#include "pipeline/RoundGenerator.h"
#include "store/Workspace.h"
#include "train/Distributed.h"
#include "util/Error.h"

#include <chrono>
#include <csignal>
#include <thread>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace sena::cli {
namespace fs = std::filesystem;

namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void onInterrupt(int) { g_interrupted = true; }

void printImport(const store::ImportSummary& s) {
    std::printf("imported %zu new, %zu duplicates, %zu unchanged, %zu failed (of %zu files)\n", s.imported, s.duplicates,
                s.unchanged, s.failed, s.found);
    for (size_t i = 0; i < s.failures.size() && i < 20; ++i)
        std::printf("  failed: %s: %s\n", s.failures[i].path.c_str(), s.failures[i].message.c_str());
}

store::ImportSummary importWithProgress(store::Workspace& ws, const std::string& dir) {
    return ws.importImages(dir, [](const store::ImportProgress& p) {
        if (p.total > 0 && (p.processed % 50 == 0 || p.processed == p.total))
            std::fprintf(stderr, "\rimporting %zu/%zu", p.processed, p.total);
        if (p.processed == p.total)
            std::fprintf(stderr, "\n");
        return !g_interrupted.load();
    });
}

util::Json summaryJson(const store::RoundSummary& s) {
    return {{"round", s.roundIndex},
            {"round_id", s.roundId},
            {"status", store::toString(s.status)},
            {"images", s.images},
            {"stages_done", s.stagesDone},
            {"questions", s.questions},
            {"questions_kept", s.questionsKept},
            {"question_filters", s.questionFilterHits},
            {"generations", s.generations},
            {"pairs", s.pairs},
            {"pairs_passed", s.pairsPassed},
            {"pairs_scored", s.pairsScored},
            {"pairs_by_type", s.pairsByType},
            {"curation", s.pairsByCuration},
            {"pair_filters", s.pairFilterHits}};
}

void printSummary(const store::RoundSummary& s) {
    std::printf("round %d (%s): %lld images, %lld done\n", s.roundIndex, store::toString(s.status),
                static_cast<long long>(s.images),
                static_cast<long long>(s.stagesDone.count(pipeline::RoundGenerator::kImageDone)
                                           ? s.stagesDone.at(pipeline::RoundGenerator::kImageDone)
                                           : 0));
    std::printf("  questions  %lld (%lld kept)", static_cast<long long>(s.questions), static_cast<long long>(s.questionsKept));
    for (const auto& [f, n] : s.questionFilterHits)
        std::printf(", %s %lld", f.c_str(), static_cast<long long>(n));
    std::printf("\n  generations");
    for (const auto& [k, n] : s.generations)
        std::printf(" %s %lld", k.c_str(), static_cast<long long>(n));
    std::printf("\n  pairs      %lld (%lld pass the filters, %lld scored)", static_cast<long long>(s.pairs),
                static_cast<long long>(s.pairsPassed), static_cast<long long>(s.pairsScored));
    for (const auto& [t, n] : s.pairsByType)
        std::printf(", %s %lld", t.c_str(), static_cast<long long>(n));
    std::printf("\n  filters   ");
    for (const auto& [f, n] : s.pairFilterHits)
        std::printf(" %s %lld", f.c_str(), static_cast<long long>(n));
    std::printf("\n  curation  ");
    for (const auto& [c, n] : s.pairsByCuration)
        std::printf(" %s %lld", c.c_str(), static_cast<long long>(n));
    std::printf("\n");
}

}  // namespace

void registerWorkspaceCommands(CLI::App& app) {
    auto* ws = app.add_subcommand("workspace", "Create workspaces and import images");
    ws->require_subcommand(1);
    {
        auto* init = ws->add_subcommand("init", "Create a workspace and import a folder of images");
        auto dir = std::make_shared<std::string>(), images = std::make_shared<std::string>(),
             model = std::make_shared<std::string>();
        init->add_option("workspace", *dir, "Workspace folder (created)")->required();
        init->add_option("--images", *images, "Folder of images to import (recursively)")->required();
        init->add_option("--model", *model, "Base model folder to record as the default generator");
        init->callback([dir, images, model] {
            if (!model->empty() && !fs::exists(fs::path(*model) / "config.json"))
                throw ConfigError("'" + *model + "' has no config.json; point --model at a Hugging Face LLaVA folder");
            auto w = store::Workspace::create(*dir);
            if (!model->empty())
                w.setSetting("default_model", fs::absolute(*model).string());
            printImport(importWithProgress(w, *images));
            std::printf("workspace %s\n", w.folder().c_str());
        });
    }
    {
        auto* imp = ws->add_subcommand("import", "Import (or re-scan) a folder of images into a workspace");
        auto dir = std::make_shared<std::string>(), images = std::make_shared<std::string>();
        imp->add_option("workspace", *dir, "Workspace folder")->required();
        imp->add_option("images", *images, "Folder of images")->required();
        imp->callback([dir, images] {
            auto w = store::Workspace::open(*dir);
            printImport(importWithProgress(w, *images));
        });
    }

    auto* round = app.add_subcommand("round", "Generate and inspect SENA rounds");
    round->require_subcommand(1);
    {
        auto* gen = round->add_subcommand("generate", "Generate (or resume) a round: questions, answers, preference pairs");
        struct Args {
            std::string ws, model, prompts, corruption = "diffusion:t=600", selfCheck = "paper", filters = "all",
                                                template_;
            ComputeFlags compute;
            int64_t limit = -1, batch = 8, batchImages = 4, maxNew = 512, maxNewCheck = 1024, round = 0;
            int attempts = 2;
            uint64_t seed = 0;
            bool json = false;
        };
        auto a = std::make_shared<Args>();
        a->compute.dtype = "bfloat16";
        gen->add_option("workspace", a->ws, "Workspace folder")->required();
        gen->add_option("--model", a->model, "Generator model folder (default: the workspace's base model)");
        gen->add_option("--limit", a->limit, "At most this many images in a new round");
        gen->add_option("--prompts", a->prompts, "Prompt set JSON (default: the built-in set)");
        gen->add_option("--corruption", a->corruption, "Corruption chain for the rejected side")->capture_default_str();
        gen->add_option("--self-check", a->selfCheck, "paper (sees the image, may regenerate) or code (text only, one pass)")
            ->capture_default_str();
        gen->add_option("--attempts", a->attempts, "Paper mode: self-checks per question")->capture_default_str();
        gen->add_option("--filters", a->filters, "all, none, or a comma list of filter names")->capture_default_str();
        gen->add_option("--template", a->template_, "Chat template (built-in name or JSON file)");
        gen->add_option("--batch", a->batch, "Rows per model call")->capture_default_str();
        gen->add_option("--batch-images", a->batchImages, "Images processed and committed together")->capture_default_str();
        gen->add_option("--max-new-tokens", a->maxNew, "Token limit of answers")->capture_default_str();
        gen->add_option("--max-new-tokens-check", a->maxNewCheck, "Token limit of self-check replies")->capture_default_str();
        gen->add_option("--seed", a->seed, "Seed of caption-prompt draws and corruption noise")->capture_default_str();
        gen->add_option("--round", a->round, "Resume this round index instead of starting a new one");
        a->compute.add(gen);
        gen->add_flag("--json", a->json, "Print the final status as JSON");
        gen->callback([a] {
            auto w = store::Workspace::open(a->ws);
            std::string modelDir = a->model.empty() ? w.setting("default_model").value_or("") : a->model;
            // Launched as several processes (RANK/WORLD_SIZE): rank 0 creates the round, every rank
            // generates the images of its shard.
            const auto env = train::DistributedEnv::fromEnvironment();
            if (env.worldSize > 1 && env.rank > 0 && a->round == 0) {
                for (int i = 0; i < 6000; ++i) {
                    auto latest = w.rounds().latest();
                    if (latest && (latest->status == store::RoundStatus::Created ||
                                   latest->status == store::RoundStatus::Generating))
                        break;
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                }
            }
            std::optional<store::RoundRecord> resume;
            if (a->round > 0) {
                resume = w.rounds().byIndex(static_cast<int>(a->round));
                if (!resume)
                    throw InputError("the workspace has no round " + std::to_string(a->round));
            } else if (auto latest = w.rounds().latest(); latest && !store::isFinal(latest->status) &&
                                                          latest->status != store::RoundStatus::Generated) {
                resume = latest;  // an interrupted round resumes by default
            }
            pipeline::RoundConfig cfg;
            if (resume) {
                cfg = pipeline::RoundConfig::fromJson(util::Json::parse(resume->configJson), "round config");
                if (modelDir.empty())
                    modelDir = cfg.modelDir;
                std::fprintf(stderr, "resuming round %d\n", resume->index);
            } else {
                if (!a->prompts.empty())
                    cfg.prompts = pipeline::PromptSet::fromFile(a->prompts);
                cfg.corruption = a->corruption;
                cfg.selfCheck = pipeline::parseSelfCheckMode(a->selfCheck);
                cfg.maxAttempts = a->attempts;
                cfg.filters = pipeline::FilterSettings::parse(a->filters);
                cfg.chatTemplate = a->template_;
                cfg.batchSize = a->batch;
                cfg.batchImages = a->batchImages;
                cfg.maxNewTokens = a->maxNew;
                cfg.maxNewTokensSelfCheck = a->maxNewCheck;
                cfg.seed = a->seed;
                cfg.limit = a->limit;
                cfg.device = a->compute.device;
                cfg.dtype = a->compute.dtype;
            }
            if (modelDir.empty())
                throw ConfigError("no generator model: pass --model DIR (or create the workspace with --model)");
            cfg.modelDir = fs::absolute(modelDir).string();
            ComputeFlags flags = a->compute;
            if (resume) {
                flags.device = cfg.device;
                flags.dtype = cfg.dtype;
            }
            pipeline::EngineModelOptions eo;
            eo.compute = flags.resolve();
            eo.chatTemplate = cfg.chatTemplate;
            eo.systemPrompt = cfg.systemPrompt;
            eo.batchSize = cfg.batchSize;
            pipeline::EngineModel engine(cfg.modelDir, eo);
            pipeline::RoundGenerator generator(w, engine, cfg);
            if (env.worldSize > 1)
                generator.setShard(env.rank, env.worldSize);
            const int64_t roundId = resume ? resume->id : generator.createRound(w.rounds().latest() ? std::optional<int64_t>(w.rounds().latest()->id) : std::nullopt);
            std::signal(SIGINT, onInterrupt);
            std::signal(SIGTERM, onInterrupt);
            try {
                generator.run(roundId, [](const pipeline::GenerationProgress& p) {
                    std::fprintf(stderr, "\r[%lld/%lld images] %lld pairs (%lld pass), %.1f tok/s, ETA %.0f s  %-32s",
                                 static_cast<long long>(p.imagesDone), static_cast<long long>(p.imagesTotal),
                                 static_cast<long long>(p.pairsMade), static_cast<long long>(p.pairsPassed),
                                 p.tokensPerSecond, p.etaSeconds, p.stage.c_str());
                    return true;
                }, &g_interrupted);
            } catch (const Cancelled&) {
                std::fprintf(stderr, "\ninterrupted: everything committed is kept; run the same command to resume\n");
                throw Error("round interrupted");
            }
            std::fprintf(stderr, "\n");
            auto s = w.rounds().summary(roundId);
            if (a->json)
                std::cout << summaryJson(s).dump(1) << "\n";
            else
                printSummary(s);
        });
    }
    {
        auto* status = round->add_subcommand("status", "Counts per stage, filter and curation state");
        auto dir = std::make_shared<std::string>();
        auto index = std::make_shared<int64_t>(0);
        auto json = std::make_shared<bool>(false);
        status->add_option("workspace", *dir, "Workspace folder")->required();
        status->add_option("--round", *index, "Round index (default: every round)");
        status->add_flag("--json", *json, "Print JSON");
        status->callback([dir, index, json] {
            auto w = store::Workspace::open(*dir, {true});
            util::Json all = util::Json::array();
            for (const auto& r : w.rounds().list()) {
                if (*index > 0 && r.index != *index)
                    continue;
                auto s = w.rounds().summary(r.id);
                if (*json)
                    all.push_back(summaryJson(s));
                else
                    printSummary(s);
            }
            if (*json)
                std::cout << util::Json{{"workspace", w.folder()}, {"images", w.images().count()}, {"rounds", all}}.dump(1)
                          << "\n";
            else if (w.rounds().list().empty())
                std::printf("no rounds yet; %lld images (run: sena round generate %s --model DIR)\n",
                            static_cast<long long>(w.images().count()), dir->c_str());
        });
    }

    {
        auto* demo = app.add_subcommand("demo", "Create the built-in demo (tiny model, images, workspace, one round)");
        auto dir = std::make_shared<std::string>();
        demo->add_option("folder", *dir, "Where to create it")->required();
        demo->callback([dir] {
            auto paths = pipeline::createDemoWorkspace(*dir, [](const std::string& step, double f) {
                std::fprintf(stderr, "\r[%3.0f%%] %-48s", f * 100, step.c_str());
                return true;
            });
            std::fprintf(stderr, "\n");
            std::printf("demo model     %s\ndemo images    %s\ndemo workspace %s\n", paths.model.c_str(),
                        paths.images.c_str(), paths.workspace.c_str());
        });
    }
}

}  // namespace sena::cli
