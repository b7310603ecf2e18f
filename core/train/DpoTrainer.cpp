#include "train/DpoTrainer.h"

#include "model/LoraAdapter.h"
#include "train/SequenceLogps.h"
#include "train/TrainCheckpoint.h"
#include "util/Json.h"

#include <ATen/Context.h>
#include <torch/torch.h>

#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <random>

namespace sena::train {
namespace {
// Reduced per step across micro-batches and ranks (summed, then divided by the pair count).
enum Sum { Loss, Dpo, Ica, RewC, RewR, Acc, LogpC, LogpR, LogitC, TokC, LogitR, TokR, Pairs, Tokens, SumCount };

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }
}  // namespace

struct DpoTrainer::StepSums {
    std::array<double, SumCount> v{};
};

void TrainerOptions::validate() const {
    if (perDeviceBatch <= 0 || gradientAccumulation <= 0)
        throw ConfigError("per_device_batch and gradient_accumulation must be positive");
    if (epochs <= 0 && maxSteps <= 0)
        throw ConfigError("train for at least one epoch or set max_steps");
    if (!(learningRate >= 0))
        throw ConfigError("learning rate must not be negative");
    if (saveEverySteps < 0)
        throw ConfigError("save_steps must not be negative");
    if (collate.maxLength <= 1)
        throw ConfigError("max_length must exceed 1");
    if (mode == FinetuneMode::Lora && trainVisionTower)
        throw ConfigError("train_vision_tower applies to full fine-tuning; target vision layers in the LoRA config");
    loss.validate();
}

DpoTrainer::DpoTrainer(model::LlavaModel model, TrainerOptions options, std::shared_ptr<Communicator> comm)
    : m_model(std::move(model)), m_options(std::move(options)), m_comm(std::move(comm)), m_loss(m_options.loss) {
    m_options.validate();
    if (!m_comm)
        m_comm = singleProcess();
    selectTrainable();
    m_optimizer = std::make_unique<AdamW>(m_names, m_params, m_options.adam);
}

void DpoTrainer::selectTrainable() {
    for (auto& p : m_model->parameters())
        p.set_requires_grad(false);
    if (m_options.mode == FinetuneMode::Lora) {
        if (model::loraModules(m_model).empty())
            model::attachLora(m_model, m_options.lora, m_options.seed, torch::kFloat32);
        model::setLoraEnabled(m_model, true);
        for (auto& p : model::loraParameters(m_model))
            p.set_requires_grad(true);
    } else {
        auto enable = [](torch::nn::Module& m) {
            for (auto& p : m.parameters())
                p.set_requires_grad(true);
        };
        enable(*m_model->language_model);
        enable(*m_model->multi_modal_projector);
        if (m_model->lm_head)
            enable(*m_model->lm_head);
        if (m_options.trainVisionTower)
            enable(*m_model->vision_tower);
    }
    for (const auto& item : m_model->named_parameters(true))
        if (item.value().requires_grad()) {
            m_names.push_back(item.key());
            m_params.push_back(item.value());
        }
    if (m_params.empty())
        throw ConfigError("nothing to train: no parameter is trainable with these settings");
}

std::string DpoTrainer::settingsJson(int64_t examples) const {
    const auto& o = m_options;
    util::Json j = {{"mode", o.mode == FinetuneMode::Lora ? "lora" : "full"},
                    {"lora_r", o.lora.r},
                    {"lora_alpha", o.lora.loraAlpha},
                    {"train_vision_tower", o.trainVisionTower},
                    {"loss", lossTypeName(o.loss.type)},
                    {"beta", o.loss.beta},
                    {"label_smoothing", o.loss.labelSmoothing},
                    {"ica_weight", o.loss.icaWeight},
                    {"ica_scope", o.loss.icaScope == IcaScope::All ? "all" : "des"},
                    {"max_length", o.collate.maxLength},
                    {"learning_rate", o.learningRate},
                    {"adam", {o.adam.beta1, o.adam.beta2, o.adam.eps, o.adam.weightDecay}},
                    {"schedule", static_cast<int>(o.schedule.type)},
                    {"warmup_ratio", o.schedule.warmupRatio},
                    {"warmup_steps", o.schedule.warmupSteps},
                    {"epochs", o.epochs},
                    {"max_steps", o.maxSteps},
                    {"global_batch", o.globalBatch(m_comm->worldSize())},
                    {"max_grad_norm", o.maxGradNorm},
                    {"seed", o.seed},
                    {"shuffle", o.shuffle},
                    {"examples", examples},
                    {"trainable", m_names}};
    return j.dump();
}

std::vector<int64_t> DpoTrainer::stepIndices(int64_t step, int64_t examples) const {
    const int64_t g = m_options.globalBatch(m_comm->worldSize());
    const int64_t perEpoch = (examples + g - 1) / g;
    const int64_t epoch = step / perEpoch, k = step % perEpoch;
    std::vector<int64_t> order(examples);
    for (int64_t i = 0; i < examples; ++i)
        order[i] = i;
    if (m_options.shuffle) {
        // Fisher–Yates on mt19937_64 (fully specified by the standard, unlike std::shuffle), so the
        // order is the same on every platform, rank and resume.
        std::mt19937_64 rng(m_options.seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(epoch));
        for (int64_t i = examples - 1; i > 0; --i)
            std::swap(order[i], order[rng() % static_cast<uint64_t>(i + 1)]);
    }
    const int64_t begin = k * g, end = std::min(examples, begin + g);
    return {order.begin() + begin, order.begin() + end};
}

void DpoTrainer::runMicroBatch(const std::vector<const PreferenceExample*>& items, double scale, StepSums& sums) {
    for (const auto* e : items)
        if (!e->reference)
            throw InputError("pair " + std::to_string(e->pairId) +
                             " has no reference log-probs; score the pairs with computeReferenceLogps (θ(k−1)) first");
    auto batch = collate(items, m_model->config(), m_options.collate);
    auto lp = sequenceLogps(*m_model, batch, {m_options.gradientCheckpointing});
    const int64_t b = batch.pairs;
    auto tokC = lp.tokens.narrow(0, 0, b), tokR = lp.tokens.narrow(0, b, b);
    auto polC = lp.chosen(), polR = lp.rejected();
    auto refC = batch.referenceChosen.to(polC.device(), polC.scalar_type());
    auto refR = batch.referenceRejected.to(polC.device(), polC.scalar_type());
    if (m_loss.usesMeanLogps()) {
        polC = polC / tokC;
        polR = polR / tokR;
        refC = refC / tokC;
        refR = refR / tokR;
    }
    auto nll = -lp.chosen() / tokC;
    auto terms = m_loss(polC, polR, refC, refR, nll, batch.isDescription);
    (terms.perPair.sum() * scale).backward();

    auto total = [](const torch::Tensor& t) { return t.detach().to(torch::kFloat64).sum().item<double>(); };
    auto& v = sums.v;
    v[Loss] += total(terms.perPair);
    v[Dpo] += total(terms.dpo);
    v[Ica] += total(terms.ica);
    v[RewC] += total(terms.chosenRewards);
    v[RewR] += total(terms.rejectedRewards);
    v[Acc] += total((terms.chosenRewards > terms.rejectedRewards).to(torch::kFloat64));
    v[LogpC] += total(polC);
    v[LogpR] += total(polR);
    v[LogitC] += total(lp.logitSums.narrow(0, 0, b));
    v[LogitR] += total(lp.logitSums.narrow(0, b, b));
    v[TokC] += total(tokC);
    v[TokR] += total(tokR);
    v[Pairs] += static_cast<double>(b);
    v[Tokens] += static_cast<double>(batch.tokens);
}

std::string DpoTrainer::saveCheckpoint(int64_t step, int64_t totalSteps, int64_t examples) {
    if (m_options.outputDir.empty())
        return {};
    if (m_comm->rank() == 0) {
        TrainCheckpointState s;
        s.step = step;
        s.totalSteps = totalSteps;
        s.optimizerStep = m_optimizer->stepCount();
        s.seed = m_options.seed;
        s.examples = examples;
        s.globalBatch = m_options.globalBatch(m_comm->worldSize());
        s.settings = settingsJson(examples);
        for (size_t i = 0; i < m_params.size(); ++i)
            s.trainable.emplace_back(m_names[i], m_params[i]);
        s.optimizer = m_optimizer->state();
        s.optimizer.emplace_back("rng.cpu", at::detail::getDefaultCPUGenerator().get_state());
        m_lastCheckpoint = writeTrainCheckpoint(m_options.outputDir, s, m_options.saveTotalLimit);
    }
    m_lastCheckpointStep = step;
    m_comm->barrier();  // no rank runs ahead of a checkpoint it might need
    return m_lastCheckpoint;
}

bool DpoTrainer::stopRequested(int64_t step, int64_t total) {
    bool stop = (m_cancel && m_cancel->load()) || (m_progress && !m_progress(step, total));
    if (m_comm->worldSize() > 1) {  // every rank must leave at the same step
        std::vector<torch::Tensor> flag{torch::full({1}, stop ? 1.0f : 0.0f)};
        m_comm->allReduceSum(flag);
        stop = flag[0].item<float>() > 0;
    }
    return stop;
}

TrainResult DpoTrainer::train(const std::vector<PreferenceExample>& examples) {
    if (examples.empty())
        throw InputError("no preference pairs to train on");
    const auto n = static_cast<int64_t>(examples.size());
    const int world = m_comm->worldSize(), rank = m_comm->rank();
    const int64_t g = m_options.globalBatch(world);
    const int64_t perEpoch = (n + g - 1) / g;
    int64_t total = perEpoch * std::max<int64_t>(m_options.epochs, 1);
    if (m_options.maxSteps > 0)
        total = m_options.epochs > 0 ? std::min(total, m_options.maxSteps) : m_options.maxSteps;
    LrSchedule schedule(m_options.learningRate, total, m_options.schedule);

    TrainResult result;
    result.totalSteps = total;
    int64_t start = 0;
    const auto latest = m_options.resume && !m_options.outputDir.empty() ? latestTrainCheckpoint(m_options.outputDir)
                                                                          : std::nullopt;
    if (latest) {
        auto s = readTrainCheckpoint(*latest);
        const auto now = settingsJson(n);
        if (s.settings != now)
            throw ConfigError("checkpoint " + *latest + " was written with other settings; resume needs the same ones "
                              "(or a fresh output folder).\n  checkpoint: " + s.settings + "\n  now:        " + now);
        std::map<std::string, torch::Tensor> saved(s.trainable.begin(), s.trainable.end());
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < m_params.size(); ++i) {
            auto it = saved.find(m_names[i]);
            if (it == saved.end() || it->second.sizes() != m_params[i].sizes())
                throw WeightsError("checkpoint " + *latest + " lacks a matching tensor '" + m_names[i] + "'");
            m_params[i].copy_(it->second);
        }
        NamedTensors optimizerState;
        for (auto& [name, t] : s.optimizer) {
            if (name == "rng.cpu") {
                at::Generator cpu = at::detail::getDefaultCPUGenerator();  // a handle on the default generator
                cpu.set_state(t);
            } else {
                optimizerState.emplace_back(name, t);
            }
        }
        m_optimizer->loadState(optimizerState, s.optimizerStep);
        start = result.resumedFrom = s.step;
        m_lastCheckpoint = *latest;
        m_lastCheckpointStep = s.step;
    } else {
        torch::manual_seed(m_options.seed);
        // Ranks start from rank 0's trainable weights (e.g. LoRA initialised on one rank).
        std::vector<torch::Tensor> params;
        for (auto& p : m_params)
            params.push_back(p.detach());
        broadcastBucketed(*m_comm, params, 0);
    }

    const bool wasTraining = m_model->is_training();
    m_model->train(true);
    result.steps = start;
    for (int64_t step = start; step < total; ++step) {
        if (stopRequested(step, total)) {
            result.cancelled = true;
            break;
        }
        const auto t0 = std::chrono::steady_clock::now();
        const auto indices = stepIndices(step, n);
        const double scale = 1.0 / static_cast<double>(indices.size());
        std::vector<const PreferenceExample*> local;
        for (size_t j = static_cast<size_t>(rank); j < indices.size(); j += static_cast<size_t>(world))
            local.push_back(&examples[indices[j]]);
        for (auto& p : m_params)
            p.mutable_grad() = torch::Tensor();
        StepSums sums;
        try {
            for (size_t i = 0; i < local.size(); i += static_cast<size_t>(m_options.perDeviceBatch)) {
                if (world == 1 && m_cancel && m_cancel->load())
                    break;  // the partial step is discarded below
                std::vector<const PreferenceExample*> micro(
                    local.begin() + i, local.begin() + std::min(local.size(), i + m_options.perDeviceBatch));
                runMicroBatch(micro, scale, sums);
            }
        } catch (const c10::Error& e) {
            const std::string what = e.what();
            // CUDA: "CUDA out of memory" (c10::OutOfMemoryError on 2.x); CPU: "not enough memory".
            if (what.find("out of memory") == std::string::npos && what.find("not enough memory") == std::string::npos)
                throw;
            throw Error("step " + std::to_string(step + 1) + " ran out of memory on " + m_model->device().str() +
                        ": lower per_device_batch (raise gradient_accumulation to keep the global batch), turn on "
                        "gradient checkpointing, train LoRA instead of the full model, use bfloat16 or a shorter "
                        "max_length (" + firstLine(what) + ")");
        } catch (const std::bad_alloc&) {
            throw Error("step " + std::to_string(step + 1) + " ran out of host memory: lower per_device_batch, turn "
                        "on gradient checkpointing or train LoRA instead of the full model");
        }
        if (world == 1 && m_cancel && m_cancel->load()) {
            result.cancelled = true;
            break;
        }
        std::vector<torch::Tensor> grads;
        for (auto& p : m_params) {
            if (!p.grad().defined())  // a rank without pairs in a short last batch still takes part
                p.mutable_grad() = torch::zeros_like(p);
            grads.push_back(p.grad());
        }
        allReduceSumBucketed(*m_comm, grads);
        std::vector<torch::Tensor> reduced{torch::tensor(std::vector<double>(sums.v.begin(), sums.v.end()),
                                                         torch::kFloat64)};
        m_comm->allReduceSum(reduced);
        auto r = reduced[0];
        auto v = [&](Sum k) { return r[k].item<double>(); };

        double gradNorm;
        {
            torch::NoGradGuard noGrad;
            std::vector<torch::Tensor> norms;
            for (const auto& gr : grads)
                norms.push_back(gr.to(torch::kFloat64).norm());
            gradNorm = torch::stack(norms).norm().item<double>();
            const double pairs = v(Pairs);
            if (!std::isfinite(gradNorm) || !std::isfinite(v(Loss) / pairs))
                throw TrainingDiverged("training diverged at step " + std::to_string(step + 1) + ": loss " +
                                       std::to_string(v(Loss) / pairs) + ", gradient norm " + std::to_string(gradNorm) +
                                       "; the weights were not updated. Last good checkpoint: " +
                                       (m_lastCheckpoint.empty() ? std::string("none") : m_lastCheckpoint) +
                                       ". Lower the learning rate, check the reference log-probs, or clip harder");
            if (m_options.maxGradNorm > 0) {
                const double coef = m_options.maxGradNorm / (gradNorm + 1e-6);
                if (coef < 1)
                    for (auto& gr : grads)
                        gr.mul_(coef);
            }
        }
        const double lr = schedule.at(step);
        m_optimizer->step(lr);
        result.steps = step + 1;

        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        StepMetrics m;
        const double pairs = v(Pairs);
        m.step = step + 1;
        m.totalSteps = total;
        m.epoch = static_cast<double>(step + 1) / static_cast<double>(perEpoch);
        m.loss = v(Loss) / pairs;
        m.dpoLoss = v(Dpo) / pairs;
        m.icaLoss = v(Ica) / pairs;
        m.rewardsChosen = v(RewC) / pairs;
        m.rewardsRejected = v(RewR) / pairs;
        m.rewardsAccuracies = v(Acc) / pairs;
        m.rewardsMargins = m.rewardsChosen - m.rewardsRejected;
        m.logpsChosen = v(LogpC) / pairs;
        m.logpsRejected = v(LogpR) / pairs;
        m.logitsChosen = v(LogitC) / v(TokC);
        m.logitsRejected = v(LogitR) / v(TokR);
        m.gradNorm = gradNorm;
        m.learningRate = lr;
        m.tokensPerSecond = seconds > 0 ? v(Tokens) / seconds : 0;
        m.pairs = static_cast<int64_t>(pairs);
        for (auto i : indices)
            m.pairIds.push_back(examples[i].pairId);
        result.last = m;
        if (m_sink && rank == 0)
            m_sink(m);
        if (m_options.saveEverySteps > 0 && (step + 1) % m_options.saveEverySteps == 0 && step + 1 < total)
            saveCheckpoint(step + 1, total, n);
    }
    for (auto& p : m_params)
        p.mutable_grad() = torch::Tensor();
    m_model->train(wasTraining);
    if (result.steps > start && m_lastCheckpointStep != result.steps && (!result.cancelled || m_options.checkpointOnCancel))
        saveCheckpoint(result.steps, total, n);
    result.lastCheckpoint = m_lastCheckpoint;
    return result;
}

}  // namespace sena::train
