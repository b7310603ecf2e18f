// Trainer building blocks: loss arithmetic against hand-computed numbers, collation (masking,
// truncation that never cuts image tokens), log-probs against the engine's Scorer, a
// finite-difference gradient check of the full objective in float64, gradient checkpointing,
// schedules and AdamW against LibTorch's.
#include "TrainFixtures.h"
#include "model/Scorer.h"
#include "train/AdamW.h"
#include "train/GradientCheckpoint.h"
#include "train/LrSchedule.h"
#include "util/Error.h"

#include <QtTest>
#include <torch/optim/adamw.h>

using namespace sena::train;
using namespace sena::train::testing;

int runTrainerTests(int argc, char** argv);  // test_trainer.cpp

namespace {
torch::Tensor t(std::vector<double> v) { return torch::tensor(v, torch::kFloat64); }

void expectClose(const torch::Tensor& actual, std::vector<double> expected, double tol = 1e-9) {
    QCOMPARE(actual.numel(), static_cast<int64_t>(expected.size()));
    auto a = actual.to(torch::kFloat64).contiguous();
    for (size_t i = 0; i < expected.size(); ++i) {
        const double got = a[static_cast<int64_t>(i)].item<double>();
        if (std::abs(got - expected[i]) > tol)
            QFAIL(qPrintable(QString("element %1: got %2, expected %3").arg(i).arg(got, 0, 'g', 12).arg(expected[i], 0, 'g', 12)));
    }
}

DpoLossTerms lossOf(DpoLossOptions o, torch::Tensor nll = t({1.2, 0.7})) {
    // ρ_c = (0.5, 0), ρ_r = (−0.5, 0.5): z = (1, −0.5).
    DpoLoss loss(o);
    return loss(t({-1, -2}), t({-3, -1}), t({-1.5, -2}), t({-2.5, -1.5}), nll,
                torch::tensor({1, 0}, torch::kLong).to(torch::kBool));
}

// Full objective (total loss) of one collated batch.
torch::Tensor objective(sena::model::LlavaModel& m, const PreferenceBatch& batch, const DpoLoss& loss, bool checkpoint) {
    auto lp = sequenceLogps(*m, batch, {checkpoint});
    auto b = batch.pairs;
    auto nll = -lp.chosen() / lp.tokens.narrow(0, 0, b);
    return loss(lp.chosen(), lp.rejected(), batch.referenceChosen, batch.referenceRejected, nll, batch.isDescription)
        .total();
}
}  // namespace

class TestTrainParts : public QObject {
    Q_OBJECT
private slots:
    void sigmoidLossRewardsAndIca() {
        auto r = lossOf({});
        expectClose(r.dpo, {0.6443966600735709, 0.7184596480132863});
        expectClose(r.chosenRewards, {0.05, 0.0});
        expectClose(r.rejectedRewards, {-0.05, 0.05});
        expectClose(r.ica, {1.2, 0.0});  // des pairs only: pair 1 is a gen pair
        // mean(DPO) + λ·mean over ALL pairs of ICA: ICA's weight is the des share (½ here).
        expectClose(r.total().unsqueeze(0), {(0.6443966600735709 + 0.7184596480132863) / 2 + 0.6});
        DpoLossOptions o;
        o.icaWeight = 2.5;
        expectClose(lossOf(o).total().unsqueeze(0), {(0.6443966600735709 + 0.7184596480132863) / 2 + 2.5 * 0.6});
        o.icaWeight = 0;
        expectClose(lossOf(o).total().unsqueeze(0), {(0.6443966600735709 + 0.7184596480132863) / 2});
    }

    void icaScopeAll() {
        DpoLossOptions o;
        o.icaScope = IcaScope::All;
        auto r = lossOf(o);
        expectClose(r.ica, {1.2, 0.7});
        expectClose(r.total().unsqueeze(0), {(0.6443966600735709 + 0.7184596480132863) / 2 + 0.95});
    }

    void lossVariants() {
        DpoLossOptions o;
        o.icaWeight = 0;
        o.labelSmoothing = 0.1;
        expectClose(lossOf(o).dpo, {0.6543966600735709, 0.7134596480132863});
        o.type = PreferenceLossType::Robust;
        expectClose(lossOf(o).dpo, {0.6318966600735709, 0.7247096480132862});
        o.labelSmoothing = 0;
        o.type = PreferenceLossType::Hinge;
        expectClose(lossOf(o).dpo, {0.9, 1.05});
        o.type = PreferenceLossType::Ipo;
        expectClose(lossOf(o).dpo, {16.0, 30.25});
        // Refused settings are named.
        o.type = PreferenceLossType::Robust;
        o.labelSmoothing = 0.5;
        QVERIFY_EXCEPTION_THROWN(DpoLoss{o}, sena::ConfigError);
        o.type = PreferenceLossType::Hinge;
        o.labelSmoothing = 0.1;
        QVERIFY_EXCEPTION_THROWN(DpoLoss{o}, sena::ConfigError);
        QVERIFY_EXCEPTION_THROWN(parsePreferenceLossType("kto"), sena::ConfigError);
    }

    void collateLayoutAndMasks() {
        auto c = smallConfig();
        auto ex = makeExamples(c, 2, 3);
        auto batch = collate({&ex[0], &ex[1]}, c, {});
        const int64_t s = c.imageSeqLength();
        QCOMPARE(batch.ids.size(0), 4);
        QCOMPARE(batch.pixels.size(0), 2);  // one image per example, reused for both rows
        const std::vector<const std::vector<int64_t>*> responses{&ex[0].chosen, &ex[1].chosen, &ex[0].rejected,
                                                                 &ex[1].rejected};
        int64_t site = 0;
        const int64_t len = batch.ids.size(1);
        for (int64_t r = 0; r < 4; ++r) {
            const auto& ex0 = ex[r % 2];
            const auto p = static_cast<int64_t>(ex0.prompt.size());
            const auto n = static_cast<int64_t>(responses[r]->size());
            QCOMPARE(batch.attentionMask[r].sum().item<int64_t>(), p + n);  // right-padded
            QCOMPARE(batch.ids[r].eq(c.imageTokenId).sum().item<int64_t>(), s);
            for (int64_t i = 0; i < n; ++i, ++site) {
                QCOMPARE(batch.targetRow[site].item<int64_t>(), r);
                QCOMPARE(batch.predictIndex[site].item<int64_t>(), r * len + p + i - 1);
                QCOMPARE(batch.targets[site].item<int64_t>(), (*responses[r])[i]);
            }
        }
        QCOMPARE(site, batch.targets.size(0));  // no prompt, image or pad position is scored
    }

    void truncationNeverCutsImageTokens() {
        auto c = smallConfig();
        auto ex = makeExamples(c, 1, 4);
        const auto p = static_cast<int64_t>(ex[0].prompt.size());
        CollateOptions o;
        o.maxLength = p + 2;
        auto batch = collate({&ex[0]}, c, o);
        QCOMPARE(batch.ids.size(1), p + 2);
        QCOMPARE(batch.ids[0].eq(c.imageTokenId).sum().item<int64_t>(), c.imageSeqLength());
        QCOMPARE(batch.ids[0][p].item<int64_t>(), ex[0].chosen[0]);  // keep-start
        QCOMPARE(batch.truncatedResponses, 2);
        expectClose(batch.responseTokens, {2, 2});
        o.maxLength = p;  // no room for a response: refused, never cut into the prompt
        try {
            collate({&ex[0]}, c, o);
            QFAIL("a prompt filling max_length was accepted");
        } catch (const sena::InputError& e) {
            QVERIFY2(QString(e.what()).contains("never truncated"), e.what());
            QVERIFY(QString(e.what()).contains("pair 100"));
        }
        auto broken = ex[0];
        broken.prompt.erase(broken.prompt.begin() + 2);  // one image token short
        QVERIFY_EXCEPTION_THROWN(collate({&broken}, c, {}), sena::InputError);
    }

    void logpsMatchScorer() {
        auto m = smallModel();
        auto ex = makeExamples(m->config(), 3, 6);
        std::vector<const PreferenceExample*> items{&ex[0], &ex[1], &ex[2]};
        auto batch = collate(items, m->config(), {});
        torch::NoGradGuard noGrad;
        auto lp = sequenceLogps(*m, batch, {});
        sena::model::Scorer scorer(m);
        for (int side = 0; side < 2; ++side)
            for (int i = 0; i < 3; ++i) {
                sena::model::ScoreItem item{ex[i].prompt, side == 0 ? ex[i].chosen : ex[i].rejected};
                auto ref = scorer.score({item}, m->imageFeatures(ex[i].pixels.unsqueeze(0)));
                QVERIFY(std::abs(lp.sums[side * 3 + i].item<double>() - ref[0].sum) < 1e-4);
            }
        // Reference scores are the same numbers, and with LoRA they come from the base.
        auto refs = computeReferenceLogps(m, ex, 2, {});
        QVERIFY(std::abs(refs[1].rejected - lp.sums[4].item<double>()) < 1e-4);
        QCOMPARE(refs[2].chosenTokens, static_cast<int64_t>(ex[2].chosen.size()));
        sena::model::LoraConfig lc;
        lc.initLoraWeights = "false";  // non-zero B: the adapted model differs from the base
        sena::model::attachLora(m, lc, 3);
        auto withLora = sequenceLogps(*m, batch, {});
        QVERIFY((withLora.sums - lp.sums).abs().max().item<double>() > 1e-3);
        auto refsLora = computeReferenceLogps(m, ex, 2, {});
        QVERIFY(std::abs(refsLora[1].rejected - refs[1].rejected) < 1e-6);
        QVERIFY(sena::model::loraModules(m).size() > 0);
        auto again = sequenceLogps(*m, batch, {});  // adapters are back on afterwards
        QVERIFY((again.sums - withLora.sums).abs().max().item<double>() < 1e-6);
    }

    void finiteDifferenceGradientFloat64() {
        auto m = smallModel(torch::kFloat64, 9);
        auto ex = makeExamples(m->config(), 3, 8);
        for (auto& e : ex) {
            e.pixels = e.pixels.to(torch::kFloat64);
            e.reference = ReferenceLogps{-20.0 - e.pairId % 3, -21.0, 0, 0};
        }
        auto batch = collate({&ex[0], &ex[1], &ex[2]}, m->config(), {});
        DpoLossOptions lo;
        lo.beta = 0.5;
        DpoLoss loss(lo);
        for (auto& p : m->parameters())
            p.set_requires_grad(true);
        objective(m, batch, loss, false).backward();
        auto params = m->named_parameters();
        const std::vector<std::string> names{"language_model.layers.0.self_attn.q_proj.weight",
                                             "language_model.layers.1.mlp.down_proj.weight",
                                             "multi_modal_projector.linear_1.weight", "lm_head.weight",
                                             "vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight"};
        // The attention softmax runs in float32 even for a float64 model (HF's eager rule), which
        // puts a ~1e-7 relative noise floor under the loss. Single entries are therefore checked
        // loosely (a missing or wrong path is off by O(1)); the directional derivative along a
        // random unit direction over all parameters has a large signal and is checked tightly.
        double worst = 0;
        for (const auto& name : names) {
            auto p = params[name];
            QVERIFY2(p.defined(), name.c_str());
            auto grad = p.grad().clone();
            auto flat = p.detach().view({-1});
            for (int64_t k : {int64_t{0}, p.numel() / 3, p.numel() - 1}) {
                const double h = 5e-3, orig = flat[k].item<double>();
                torch::NoGradGuard noGrad;
                flat[k] = orig + h;
                const double up = objective(m, batch, loss, false).item<double>();
                flat[k] = orig - h;
                const double down = objective(m, batch, loss, false).item<double>();
                flat[k] = orig;
                const double fd = (up - down) / (2 * h), an = grad.view({-1})[k].item<double>();
                const double err = std::abs(fd - an) / std::max(1e-3, std::abs(fd) + std::abs(an));
                worst = std::max(worst, err);
                QVERIFY2(err < 2e-2, qPrintable(QString("%1[%2]: analytic %3 vs numeric %4")
                                                     .arg(name.c_str()).arg(k).arg(an, 0, 'g', 10).arg(fd, 0, 'g', 10)));
            }
        }
        auto gen = at::detail::createCPUGenerator(17);
        std::vector<torch::Tensor> all, dirs;
        double analytic = 0, norm2 = 0;
        for (auto& p : m->parameters()) {
            all.push_back(p);
            dirs.push_back(at::normal(0.0, 1.0, p.sizes(), gen).to(torch::kFloat64));
            norm2 += dirs.back().pow(2).sum().item<double>();
        }
        for (size_t i = 0; i < all.size(); ++i) {
            dirs[i] /= std::sqrt(norm2);
            analytic += (all[i].grad() * dirs[i]).sum().item<double>();
        }
        auto along = [&](double step) {
            torch::NoGradGuard noGrad;
            for (size_t i = 0; i < all.size(); ++i)
                all[i].add_(dirs[i], step);
            const double v = objective(m, batch, loss, false).item<double>();
            for (size_t i = 0; i < all.size(); ++i)
                all[i].sub_(dirs[i], step);
            return v;
        };
        // Richardson extrapolation of two central differences cancels the O(h²) term, so a step
        // large enough to sit far above the float32 noise floor stays exact to O(h⁴).
        auto central = [&](double step) { return (along(step) - along(-step)) / (2 * step); };
        const double h = 4e-2;
        const double numeric = (4 * central(h / 2) - central(h)) / 3;
        const double dirErr = std::abs(numeric - analytic) / std::abs(analytic);
        qInfo("finite differences: entries worst relative error %.3g; directional %.10g vs %.10g (relative %.3g)",
              worst, analytic, numeric, dirErr);
        QVERIFY(std::abs(analytic) > 1e-2);
        QVERIFY(dirErr < 1e-4);
    }

    void gradientCheckpointingGivesSameGradients() {
        auto m = smallModel(torch::kFloat64, 10);
        sena::model::LoraConfig lc;
        lc.initLoraWeights = "false";
        lc.loraDropout = 0.3;  // the recomputation must replay the same dropout masks
        sena::model::attachLora(m, lc, 5, torch::kFloat64);
        m->train(true);
        auto ex = makeExamples(m->config(), 2, 9);
        for (auto& e : ex) {
            e.pixels = e.pixels.to(torch::kFloat64);
            e.reference = ReferenceLogps{-20.0, -21.0, 0, 0};
        }
        auto batch = collate({&ex[0], &ex[1]}, m->config(), {});
        DpoLoss loss({});
        auto lora = sena::model::loraParameters(m);
        std::vector<torch::Tensor> plain, checkpointed;
        for (bool checkpoint : {false, true}) {
            for (auto& p : lora)
                p.mutable_grad() = torch::Tensor();
            torch::manual_seed(123);
            const auto recomputed = checkpointRecomputations();
            objective(m, batch, loss, checkpoint).backward();
            // Each of the 2 decoder layers is re-run in backward only when checkpointing.
            QCOMPARE(checkpointRecomputations() - recomputed, checkpoint ? int64_t{2} : int64_t{0});
            for (auto& p : lora)
                (checkpoint ? checkpointed : plain).push_back(p.grad().clone());
        }
        double diff = 0, scale = 0;
        for (size_t i = 0; i < lora.size(); ++i) {
            diff = std::max(diff, (plain[i] - checkpointed[i]).abs().max().item<double>());
            scale = std::max(scale, plain[i].abs().max().item<double>());
        }
        qInfo("checkpointed vs plain gradients: max|diff| %.3g (max|grad| %.3g)", diff, scale);
        QVERIFY(scale > 0);
        QVERIFY(diff < 1e-12 * std::max(1.0, scale));
    }

    void schedules() {
        ScheduleOptions o;
        o.warmupRatio = 0.25;  // ceil(0.25 · 10) = 3 warm-up steps
        LrSchedule constant(1.0, 10, o);
        QCOMPARE(constant.warmupSteps(), 3);
        QCOMPARE(constant.at(0), 0.0);
        QCOMPARE(constant.at(2), 2.0 / 3.0);
        QCOMPARE(constant.at(9), 1.0);
        o.type = ScheduleType::Linear;
        LrSchedule linear(1.0, 10, o);
        QCOMPARE(linear.at(3), 1.0);
        QVERIFY(std::abs(linear.at(8) - 2.0 / 7.0) < 1e-12);
        o.type = ScheduleType::Cosine;
        o.warmupSteps = 0;
        LrSchedule cosine(2.0, 10, o);
        QVERIFY(std::abs(cosine.at(5) - 1.0) < 1e-12);
        QVERIFY(std::abs(cosine.at(10) - 0.0) < 1e-12);
    }

    void adamwMatchesLibTorch() {
        auto gen = at::detail::createCPUGenerator(1);
        auto a = at::normal(0.0, 1.0, {5, 4}, gen).set_requires_grad(true);
        auto b = a.detach().clone().set_requires_grad(true);
        AdamWOptions o;
        o.weightDecay = 0.1;
        AdamW mine({"w"}, {a}, o);
        torch::optim::AdamW theirs({b}, torch::optim::AdamWOptions(0.01).weight_decay(0.1));
        for (int step = 0; step < 5; ++step) {
            auto g = at::normal(0.0, 1.0, {5, 4}, gen);
            a.mutable_grad() = g.clone();
            b.mutable_grad() = g.clone();
            mine.step(0.01);
            theirs.step();
        }
        QVERIFY((a - b).abs().max().item<double>() < 1e-6);
        // bf16 parameters keep float32 master weights in the optimizer state.
        auto low = torch::ones({3}, torch::kBFloat16).set_requires_grad(true);
        AdamW lowOpt({"low"}, {low}, o);
        low.mutable_grad() = torch::full({3}, 1e-3, torch::kBFloat16);
        lowOpt.step(1e-4);
        auto state = lowOpt.state();
        QCOMPARE(state.back().first, std::string("low.master"));
        QCOMPARE(state.back().second.scalar_type(), torch::kFloat32);
        QVERIFY(state.back().second[0].item<double>() < 1.0);  // the update survives in fp32
    }
};

int main(int argc, char** argv) {
    torch::set_num_threads(2);
    TestTrainParts parts;
    int failed = QTest::qExec(&parts, argc, argv);
    failed += runTrainerTests(argc, argv);
    return failed;
}

#include "test_train.moc"
