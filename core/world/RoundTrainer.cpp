#include "world/RoundTrainer.h"

#include "image/ImageLoader.h"
#include "image/ImagePreprocessor.h"
#include "model/CheckpointWriter.h"
#include "model/LoraAdapter.h"
#include "pipeline/EngineModel.h"
#include "pipeline/RoundConfig.h"
#include "pipeline/RoundGenerator.h"
#include "store/Transaction.h"
#include "store/Workspace.h"
#include "text/Tokenizer.h"
#include "train/Distributed.h"
#include "train/SequenceLogps.h"
#include "util/Error.h"
#include "util/Sha256.h"

#include <torch/torch.h>

#include <filesystem>

namespace sena::world {
namespace fs = std::filesystem;
using util::Json;

TrainConfig TrainConfig::defaults() {
    TrainConfig c;
    auto& t = c.trainer;
    t.mode = train::FinetuneMode::Lora;
    t.lora.r = 64;
    t.lora.loraAlpha = 16;
    t.lora.loraDropout = 0;
    t.learningRate = 2e-4;
    t.perDeviceBatch = 2;
    t.gradientAccumulation = 4;
    t.maxGradNorm = 1.0;
    t.schedule.warmupRatio = 0.03;
    t.collate.maxLength = 2048;
    t.saveEverySteps = 50;
    t.saveTotalLimit = 2;
    return c;
}

util::Json TrainConfig::toJson() const {
    const auto& t = trainer;
    return {{"mode", t.mode == train::FinetuneMode::Lora ? "lora" : "full"},
            {"lora_r", t.lora.r},
            {"lora_alpha", t.lora.loraAlpha},
            {"lora_dropout", t.lora.loraDropout},
            {"lora_targets", t.lora.targetRegex},
            {"train_vision_tower", t.trainVisionTower},
            {"loss", train::lossTypeName(t.loss.type)},
            {"beta", t.loss.beta},
            {"label_smoothing", t.loss.labelSmoothing},
            {"ica_weight", t.loss.icaWeight},
            {"ica_scope", t.loss.icaScope == train::IcaScope::Descriptions ? "des" : "all"},
            {"learning_rate", t.learningRate},
            {"weight_decay", t.adam.weightDecay},
            {"schedule", t.schedule.type == train::ScheduleType::Constant ? "constant"
                         : t.schedule.type == train::ScheduleType::Linear ? "linear"
                                                                          : "cosine"},
            {"warmup_ratio", t.schedule.warmupRatio},
            {"epochs", t.epochs},
            {"max_steps", t.maxSteps},
            {"batch", t.perDeviceBatch},
            {"grad_accum", t.gradientAccumulation},
            {"max_grad_norm", t.maxGradNorm},
            {"max_length", t.collate.maxLength},
            {"seed", t.seed},
            {"gradient_checkpointing", t.gradientCheckpointing},
            {"save_every", t.saveEverySteps},
            {"device", device},
            {"dtype", dtype},
            {"score_batch", scoreBatch}};
}

TrainConfig TrainConfig::fromJson(const util::Json& json, const std::string& where) {
    TrainConfig c = defaults();
    util::JsonObject o(json, where);
    const Json known = c.toJson();
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!known.contains(it.key()))
            throw ConfigError(where + ": unknown training setting '" + it.key() + "'");
    auto& t = c.trainer;
    const std::string mode = o.string("mode", "lora");
    if (mode != "lora" && mode != "full")
        throw ConfigError(where + ": mode must be lora or full");
    t.mode = mode == "lora" ? train::FinetuneMode::Lora : train::FinetuneMode::Full;
    if (t.mode == train::FinetuneMode::Full && !o.has("learning_rate"))
        t.learningRate = 2e-6;  // SENA's full fine-tuning rate
    t.lora.r = o.integer("lora_r", t.lora.r);
    t.lora.loraAlpha = o.number("lora_alpha", t.lora.loraAlpha);
    t.lora.loraDropout = o.number("lora_dropout", t.lora.loraDropout);
    t.lora.targetRegex = o.string("lora_targets", t.lora.targetRegex);
    t.trainVisionTower = o.boolean("train_vision_tower", false);
    t.loss.type = train::parsePreferenceLossType(o.string("loss", "sigmoid"));
    t.loss.beta = o.number("beta", t.loss.beta);
    t.loss.labelSmoothing = o.number("label_smoothing", 0);
    t.loss.icaWeight = o.number("ica_weight", 1);
    t.loss.icaScope = train::parseIcaScope(o.string("ica_scope", "des"));
    t.learningRate = o.number("learning_rate", t.learningRate);
    t.adam.weightDecay = o.number("weight_decay", 0);
    t.schedule.type = train::parseScheduleType(o.string("schedule", "constant"));
    t.schedule.warmupRatio = o.number("warmup_ratio", t.schedule.warmupRatio);
    t.epochs = o.integer("epochs", t.epochs);
    t.maxSteps = o.integer("max_steps", t.maxSteps);
    t.perDeviceBatch = o.integer("batch", t.perDeviceBatch);
    t.gradientAccumulation = o.integer("grad_accum", t.gradientAccumulation);
    t.maxGradNorm = o.number("max_grad_norm", t.maxGradNorm);
    t.collate.maxLength = o.integer("max_length", t.collate.maxLength);
    t.seed = static_cast<uint64_t>(o.integer("seed", static_cast<int64_t>(t.seed)));
    t.gradientCheckpointing = o.boolean("gradient_checkpointing", false);
    t.saveEverySteps = o.integer("save_every", t.saveEverySteps);
    c.device = o.string("device", c.device);
    c.dtype = o.string("dtype", c.dtype);
    c.scoreBatch = o.integer("score_batch", c.scoreBatch);
    t.loss.validate();
    t.validate();
    return c;
}

struct RoundTrainer::Prepared {
    store::RoundRecord round;
    std::string modelDir, modelHash;
    std::unique_ptr<pipeline::EngineModel> engine;
    std::vector<train::PreferenceExample> examples;
    std::vector<std::string> hashes;
};

RoundTrainer::RoundTrainer(store::Workspace& workspace, TrainConfig config) : m_ws(workspace), m_config(std::move(config)) {}

std::vector<int64_t> RoundTrainer::trainingPairs(int64_t roundId) {
    std::vector<int64_t> ids;
    store::PairQuery q;
    q.filter.roundId = roundId;
    q.limit = 1000;
    for (q.offset = 0;; q.offset += q.limit) {
        auto page = m_ws.pairs().find(q);
        for (const auto& p : page) {
            const bool curated = p.curation == store::Curation::Accepted || p.curation == store::Curation::Edited;
            if (curated || (p.curation == store::Curation::Pending && p.passed))
                ids.push_back(p.id);
        }
        if (static_cast<int64_t>(page.size()) < q.limit)
            break;
    }
    return ids;
}

RoundTrainer::Prepared RoundTrainer::prepare(int64_t roundId) {
    Prepared pr;
    auto round = m_ws.rounds().get(roundId);
    if (!round)
        throw InputError("round " + std::to_string(roundId) + " does not exist");
    pr.round = *round;
    pipeline::RoundConfig rc;
    try {
        rc = pipeline::RoundConfig::fromJson(Json::parse(round->configJson), "round config");
    } catch (const Json::exception&) {
    }
    pr.modelDir = round->generatorModelPath;
    if (pr.modelDir.empty() || !fs::exists(fs::path(pr.modelDir) / "config.json"))
        pr.modelDir = m_ws.setting("default_model").value_or("");
    if (pr.modelDir.empty())
        throw ConfigError("round " + std::to_string(round->index) +
                          " names no model to train (imported pairs?): create the workspace with --model DIR");
    pipeline::EngineModelOptions eo;
    eo.compute.device = model::parseDevice(m_config.device);
    eo.compute.dtype = model::parseDType(m_config.dtype, eo.compute.device);
    eo.chatTemplate = rc.chatTemplate;
    eo.systemPrompt = rc.systemPrompt;
    eo.cacheFeatures = false;
    pr.engine = std::make_unique<pipeline::EngineModel>(pr.modelDir, eo);
    pr.modelHash = pr.engine->modelHash();
    const auto& tok = pr.engine->tokenizer();
    const auto& cfg = pr.engine->model()->config();
    int64_t eos = tok.eosId() ? *tok.eosId() : (cfg.text.eosTokenIds.empty() ? -1 : cfg.text.eosTokenIds[0]);
    // A response is tokenised as it follows its prompt (so merges across the boundary match what
    // the model would generate), and ends with the end-of-sequence token so the model learns to stop.
    auto responseIds = [&](const std::string& rendered, const std::string& text) {
        const auto p = tok.encode(rendered, true);
        const auto f = tok.encode(rendered + " " + text, true);
        std::vector<int64_t> r;
        if (f.size() > p.size() && std::equal(p.begin(), p.end(), f.begin()))
            r.assign(f.begin() + static_cast<std::ptrdiff_t>(p.size()), f.end());
        else
            for (int id : tok.encode(" " + text, false))
                r.push_back(id);
        if (eos >= 0)
            r.push_back(eos);
        return r;
    };
    for (int64_t id : trainingPairs(roundId)) {
        auto pair = m_ws.pairs().get(id);
        auto img = m_ws.images().get(pair->imageId);
        if (!img)
            continue;
        auto [rendered, promptIds] = pr.engine->encode(pair->effectivePrompt(), true);
        train::PreferenceExample ex;
        ex.pairId = id;
        ex.prompt = promptIds;
        ex.chosen = responseIds(rendered, pair->effectiveChosen());
        ex.rejected = responseIds(rendered, pair->effectiveRejected());
        ex.isDescription = pair->type == store::PairType::Description;
        auto pv = pr.engine->preprocessor().preprocess(image::loadImage(img->absolutePath()));
        ex.pixels = torch::from_blob(pv.data.data(), {pv.channels, pv.height, pv.width}, torch::kFloat32).clone();
        pr.examples.push_back(std::move(ex));
        // The cache key: what is scored (rendered prompt, both texts) and how (the max length).
        util::Sha256 sha;
        sha.update(rendered + "\x1f" + pair->effectiveChosen() + "\x1f" + pair->effectiveRejected() + "\x1f" +
                   std::to_string(m_config.trainer.collate.maxLength));
        pr.hashes.push_back(sha.hexDigest());
    }
    if (pr.examples.empty())
        throw InputError("round " + std::to_string(round->index) +
                         " has no pairs to train on (every pair was filtered or rejected)");
    return pr;
}

ScoreSummary RoundTrainer::score(int64_t roundId, const TrainingCallback& progress, const std::atomic<bool>* cancel) {
    Prepared pr = prepare(roundId);
    ScoreSummary s;
    s.pairs = static_cast<int64_t>(pr.examples.size());
    auto training = m_ws.training();
    std::vector<size_t> missing;
    for (size_t i = 0; i < pr.examples.size(); ++i) {
        if (auto c = training.cachedReference(pr.modelHash, pr.hashes[i])) {
            ++s.cached;
            // Keep the pair's own columns in step with the cache (an edit may have changed them).
            m_ws.pairs().setReference(pr.examples[i].pairId,
                                      {c->chosenSum, c->chosenSum / std::max<int64_t>(1, c->chosenTokens), c->rejectedSum,
                                       c->rejectedSum / std::max<int64_t>(1, c->rejectedTokens), pr.modelHash});
        } else {
            missing.push_back(i);
        }
    }
    m_ws.rounds().setStatus(roundId, store::RoundStatus::Scoring);
    auto model = pr.engine->model();
    const size_t chunk = static_cast<size_t>(std::max<int64_t>(1, m_config.scoreBatch)) * 4;
    for (size_t start = 0; start < missing.size(); start += chunk) {
        if ((cancel && cancel->load()) || (progress && !progress({"scoring", s.cached + s.computed, s.pairs, {}})))
            throw Cancelled();
        std::vector<train::PreferenceExample> batch;
        for (size_t k = start; k < std::min(missing.size(), start + chunk); ++k)
            batch.push_back(pr.examples[missing[k]]);
        auto refs = train::computeReferenceLogps(model, batch, m_config.scoreBatch, m_config.trainer.collate);
        store::Transaction tx(m_ws.database());
        for (size_t k = 0; k < refs.size(); ++k) {
            const size_t i = missing[start + k];
            const auto& r = refs[k];
            training.cacheReference(pr.modelHash, pr.hashes[i], {r.chosen, r.rejected, r.chosenTokens, r.rejectedTokens});
            m_ws.pairs().setReference(pr.examples[i].pairId,
                                      {r.chosen, r.chosen / std::max<int64_t>(1, r.chosenTokens), r.rejected,
                                       r.rejected / std::max<int64_t>(1, r.rejectedTokens), pr.modelHash});
            ++s.computed;
        }
        tx.commit();
    }
    return s;
}

int64_t RoundTrainer::train(int64_t roundId, const TrainingCallback& progress, const std::atomic<bool>* cancel) {
    score(roundId, progress, cancel);
    Prepared pr = prepare(roundId);
    auto training = m_ws.training();
    for (size_t i = 0; i < pr.examples.size(); ++i) {
        auto c = training.cachedReference(pr.modelHash, pr.hashes[i]);
        if (!c)
            throw Error("pair " + std::to_string(pr.examples[i].pairId) + " lost its reference scores; run sena round score");
        pr.examples[i].reference = train::ReferenceLogps{c->chosenSum, c->rejectedSum, c->chosenTokens, c->rejectedTokens};
    }
    const fs::path roundDir = fs::path(m_ws.checkpointsFolder()) / ("round-" + std::to_string(pr.round.index));
    train::TrainerOptions options = m_config.trainer;
    options.outputDir = (roundDir / "train").string();
    options.resume = true;
    const auto env = train::DistributedEnv::fromEnvironment();
    std::shared_ptr<train::Communicator> comm;
    if (env.worldSize > 1)
        comm = train::connect(env, pr.engine->model()->device());
    const bool leader = env.rank == 0;
    int64_t runId = 0;
    if (leader) {
        auto previous = training.latestRun(roundId);
        if (previous && previous->status != "finished" && previous->outputDir == options.outputDir)
            runId = previous->id;  // resuming the interrupted run: same metrics table
        else
            runId = training.createRun(roundId, m_config.toJson().dump(), options.outputDir);
        m_ws.rounds().setStatus(roundId, store::RoundStatus::Training);
    }
    train::DpoTrainer trainer(pr.engine->model(), options, comm);
    std::optional<train::StepMetrics> last;
    trainer.setMetricsSink([&](const train::StepMetrics& m) {
        last = m;
        if (leader)
            training.recordStep(runId, m.step, m.totalSteps, m.named(), m.pairIds);
    });
    trainer.setProgress([&](int64_t step, int64_t total) {
        if (cancel && cancel->load())
            return false;
        return !progress || progress({"training", step, total, last});
    });
    train::TrainResult result;
    try {
        result = trainer.train(pr.examples);
    } catch (const std::exception& e) {
        if (leader) {
            training.finishRun(runId, "failed", std::nullopt, std::string(e.what()));
            m_ws.rounds().setStatus(roundId, store::RoundStatus::Failed, std::string(e.what()));
        }
        throw;
    }
    if (result.cancelled) {
        if (leader) {
            training.finishRun(runId, "cancelled", std::nullopt);
            m_ws.rounds().setStatus(roundId, store::RoundStatus::Cancelled);
        }
        throw Cancelled();
    }
    if (!leader)
        return runId;
    // θ(k): a complete Hugging Face checkpoint, the generator and reference of the next round.
    auto model = pr.engine->model();
    if (options.mode == train::FinetuneMode::Lora) {
        model::saveLoraAdapter(model, options.lora, (roundDir / "adapter").string());
        model::mergeLora(model);
    }
    model::HfSaveOptions save;
    save.overwrite = true;
    model::saveHfCheckpoint(model, pr.modelDir, (roundDir / "model").string(), save);
    training.finishRun(runId, "finished", (roundDir / "model").string());
    m_ws.rounds().setStatus(roundId, store::RoundStatus::Trained);
    return runId;
}

int64_t RoundTrainer::nextRound(store::Workspace& ws, int64_t roundId, int64_t limit) {
    auto round = ws.rounds().get(roundId);
    if (!round)
        throw InputError("round " + std::to_string(roundId) + " does not exist");
    auto run = ws.training().latestRun(roundId);
    if (!run || run->status != "finished" || !run->modelOut)
        throw InputError("round " + std::to_string(round->index) + " has no finished training run; run sena round train first");
    pipeline::RoundConfig cfg = pipeline::RoundConfig::fromJson(Json::parse(round->configJson), "round config");
    cfg.limit = limit;
    return pipeline::RoundGenerator::createRound(ws, cfg, *run->modelOut, pipeline::modelContentHash(*run->modelOut), roundId);
}

}  // namespace sena::world
