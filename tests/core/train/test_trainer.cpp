// The trainer end to end on a tiny model: overfitting with LoRA and full fine-tuning, ICA scope,
// metrics, exact resume after cancellation, the two-process Gloo run, the NaN guard, bf16 LoRA.
#include "TrainFixtures.h"
#include "model/Safetensors.h"
#include "model/TensorIO.h"
#include "train/TrainCheckpoint.h"
#include "util/Error.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace sena::train;
using namespace sena::train::testing;
namespace fs = std::filesystem;

namespace {
std::vector<torch::Tensor> snapshot(const DpoTrainer& t) {
    std::vector<torch::Tensor> out;
    for (const auto& p : t.trainableParameters())
        out.push_back(p.detach().clone());
    return out;
}

double maxDiff(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
    double d = 0;
    for (size_t i = 0; i < a.size(); ++i)
        d = std::max(d, (a[i].to(torch::kFloat64) - b[i].to(torch::kFloat64)).abs().max().item<double>());
    return d;
}

struct Run {
    std::vector<StepMetrics> metrics;
    TrainResult result;
};

Run overfit(FinetuneMode mode, double lr, torch::ScalarType dtype = torch::kFloat32) {
    auto m = smallModel(dtype);
    auto ex = makeExamples(m->config(), 4, 21);
    attachReferences(m, ex);
    TrainerOptions o;
    o.mode = mode;
    o.lora.r = 4;
    o.lora.loraAlpha = 8;
    o.learningRate = lr;
    o.perDeviceBatch = 2;
    o.gradientAccumulation = 2;
    o.epochs = 25;
    o.loss.icaWeight = 0;  // pure preference learning: margins must open
    DpoTrainer trainer(m, o);
    Run run;
    trainer.setMetricsSink([&](const StepMetrics& s) { run.metrics.push_back(s); });
    run.result = trainer.train(ex);
    return run;
}
}  // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private slots:
    void loraOverfitsSmallSet() {
        auto run = overfit(FinetuneMode::Lora, 2e-2);
        const auto& first = run.metrics.front();
        const auto& last = run.metrics.back();
        qInfo("LoRA: loss %.4f → %.4f, margin %.4f → %.4f, accuracy %.2f → %.2f, %lld steps", first.loss, last.loss,
              first.rewardsMargins, last.rewardsMargins, first.rewardsAccuracies, last.rewardsAccuracies,
              static_cast<long long>(run.metrics.size()));
        QCOMPARE(run.result.steps, int64_t{25});
        QVERIFY(std::abs(first.rewardsMargins) < 1e-6);  // LoRA starts at the reference (B = 0)
        QCOMPARE(last.rewardsAccuracies, 1.0);
        QVERIFY(last.rewardsMargins > 1.0);
        QVERIFY(last.loss < 0.3 * first.loss);
    }

    void fullFinetuneOverfitsSmallSet() {
        auto run = overfit(FinetuneMode::Full, 3e-3);
        const auto& first = run.metrics.front();
        const auto& last = run.metrics.back();
        qInfo("full: loss %.4f → %.4f, margin %.4f → %.4f", first.loss, last.loss, first.rewardsMargins,
              last.rewardsMargins);
        QCOMPARE(last.rewardsAccuracies, 1.0);
        QVERIFY(last.rewardsMargins > 1.0);
    }

    void bf16BaseWithFloat32Adapters() {
        auto run = overfit(FinetuneMode::Lora, 2e-2, torch::kBFloat16);
        const auto& last = run.metrics.back();
        qInfo("bf16 LoRA: loss %.4f → %.4f, accuracy %.2f", run.metrics.front().loss, last.loss, last.rewardsAccuracies);
        QVERIFY(last.loss < run.metrics.front().loss);
        QVERIFY(last.rewardsMargins > 0.5);
    }

    void metricsNamesAndIcaScope() {
        auto m = smallModel();
        auto ex = makeExamples(m->config(), 6, 31);  // pairs 100 and 103 are des pairs
        attachReferences(m, ex);
        // The ICA term at the reference point is the mean chosen NLL, known from the references.
        double desNll = 0, allNll = 0;
        for (const auto& e : ex) {
            const double nll = -e.reference->chosen / static_cast<double>(e.chosen.size());
            allNll += nll / 6;
            desNll += e.isDescription ? nll / 6 : 0;
        }
        for (auto scope : {IcaScope::Descriptions, IcaScope::All}) {
            TrainerOptions o;
            o.perDeviceBatch = 3;
            o.gradientAccumulation = 2;
            o.maxSteps = 1;
            o.learningRate = 0;
            o.loss.icaScope = scope;
            DpoTrainer trainer(smallModel(), o);
            StepMetrics got;
            trainer.setMetricsSink([&](const StepMetrics& s) { got = s; });
            trainer.train(ex);
            const double expected = scope == IcaScope::All ? allNll : desNll;
            QVERIFY2(std::abs(got.icaLoss - expected) < 1e-4,
                     qPrintable(QString("ica %1 vs %2").arg(got.icaLoss).arg(expected)));
            QVERIFY(std::abs(got.loss - (got.dpoLoss + got.icaLoss)) < 1e-6);
            QVERIFY(std::abs(got.dpoLoss - std::log(2.0)) < 1e-5);  // policy = reference: −log σ(0)
            QCOMPARE(got.pairIds.size(), size_t{6});
            QCOMPARE(got.named().size(), size_t{15});
            QCOMPARE(QString::fromStdString(got.named()[3].first), QString("rewards/chosen"));
            QVERIFY(got.tokensPerSecond > 0 && got.gradNorm > 0 && got.epoch == 1.0);
        }
    }

    void resumeAfterCancelEqualsUninterruptedRun() {
        QTemporaryDir dirA, dirB;
        auto options = [](const QString& dir) {
            TrainerOptions o;
            o.lora.r = 4;
            o.lora.loraDropout = 0.1;  // the generator state must survive the resume
            o.learningRate = 1e-2;
            o.perDeviceBatch = 2;
            o.gradientAccumulation = 2;
            o.epochs = 3;  // 6 examples / 4 per step → 2 steps an epoch, the last one short
            o.schedule.type = ScheduleType::Cosine;
            o.schedule.warmupSteps = 2;
            o.saveEverySteps = 2;
            o.outputDir = dir.toStdString();
            return o;
        };
        auto build = [](std::vector<PreferenceExample>& ex) {
            auto m = smallModel();
            ex = makeExamples(m->config(), 6, 41);
            attachReferences(m, ex);
            return m;
        };
        std::vector<PreferenceExample> ex;
        auto modelA = build(ex);
        DpoTrainer straight(modelA, options(dirA.path()));
        auto full = straight.train(ex);
        QCOMPARE(full.steps, int64_t{6});

        auto modelB = build(ex);
        std::atomic<bool> cancel{false};
        {
            DpoTrainer first(modelB, options(dirB.path()));
            first.setCancelFlag(&cancel);
            first.setMetricsSink([&](const StepMetrics& s) { cancel = s.step == 3; });
            auto part = first.train(ex);
            QVERIFY(part.cancelled);
            QCOMPARE(part.steps, int64_t{3});
            QVERIFY(QString::fromStdString(part.lastCheckpoint).endsWith("checkpoint-3"));
        }
        auto modelC = build(ex);  // a fresh process: new model, fresh LoRA init, then resume
        DpoTrainer second(modelC, options(dirB.path()));
        auto rest = second.train(ex);
        QCOMPARE(rest.resumedFrom, int64_t{3});
        QCOMPARE(rest.steps, int64_t{6});
        const double d = maxDiff(snapshot(straight), snapshot(second));
        qInfo("resumed vs uninterrupted: max|diff| %.3g", d);
        QVERIFY(d <= 1e-6);
        // Changing the settings under an existing checkpoint is refused.
        auto other = options(dirB.path());
        other.learningRate = 5e-3;
        other.maxSteps = 7;
        DpoTrainer mismatched(build(ex), other);
        QVERIFY_EXCEPTION_THROWN(mismatched.train(ex), sena::ConfigError);
    }

    void twoProcessGlooEqualsOneProcess() {
        if (!glooAvailable())
            QSKIP("built without the gloo headers (libgloo-dev)");
        QTemporaryDir dir;
        const QString out = dir.filePath("rank0.safetensors");
        std::vector<QProcess*> procs;
        for (int rank = 0; rank < 2; ++rank) {
            auto* p = new QProcess(this);
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert("RANK", QString::number(rank));
            env.insert("WORLD_SIZE", "2");
            env.insert("LOCAL_RANK", QString::number(rank));
            env.insert("MASTER_ADDR", "127.0.0.1");
            env.insert("SENA_DIST_INIT", "file://" + dir.filePath("store"));
            env.insert("OMP_NUM_THREADS", "1");
            p->setProcessEnvironment(env);
            p->setProcessChannelMode(QProcess::MergedChannels);
            p->start(SENA_TRAIN_WORKER, {out});
            procs.push_back(p);
        }
        for (auto* p : procs) {
            QVERIFY(p->waitForFinished(120000));
            const QString log = QString::fromUtf8(p->readAll());
            qInfo("%s", qPrintable(log.trimmed()));
            QVERIFY2(p->exitCode() == 0, qPrintable(log));
        }
        auto m = smallModel();
        auto ex = makeExamples(m->config(), 6, 5);
        attachReferences(m, ex);
        DpoTrainer single(m, ddpOptions(1));
        single.train(ex);
        sena::model::SafetensorsFile file(out.toStdString());
        std::vector<torch::Tensor> ranked;
        for (const auto& name : single.trainableNames())
            ranked.push_back(sena::model::toTensor(file.tensor(name)));
        auto before = smallModel();
        double moved = 0;
        auto initial = before->named_parameters();
        for (size_t i = 0; i < ranked.size(); ++i)
            moved = std::max(moved, (ranked[i] - initial[single.trainableNames()[i]]).abs().max().item<double>());
        const double d = maxDiff(snapshot(single), ranked);
        qInfo("2 ranks vs 1 process: max|diff| %.3g (weights moved by up to %.3g)", d, moved);
        QVERIFY(moved > 1e-3);
        QVERIFY(d < 1e-5);
    }

    void nanGuardStopsAndKeepsLastGoodCheckpoint() {
        auto m = smallModel();
        auto ex = makeExamples(m->config(), 4, 51);
        attachReferences(m, ex);
        {  // A poisoned reference is caught at the first step, before any update.
            auto poisoned = ex;
            poisoned[2].reference->rejected = std::nan("");
            TrainerOptions o;
            o.perDeviceBatch = 4;
            DpoTrainer trainer(smallModel(), o);
            auto before = snapshot(trainer);
            try {
                trainer.train(poisoned);
                QFAIL("a NaN reference trained silently");
            } catch (const TrainingDiverged& e) {
                QVERIFY2(QString(e.what()).contains("step 1"), e.what());
            }
            QCOMPARE(maxDiff(before, snapshot(trainer)), 0.0);
        }
        QTemporaryDir dir;
        TrainerOptions o;
        o.mode = FinetuneMode::Full;
        o.perDeviceBatch = 4;
        o.learningRate = 1e30;  // blows the weights up after the first update
        o.maxGradNorm = 0;
        o.epochs = 5;
        o.saveEverySteps = 1;
        o.outputDir = dir.path().toStdString();
        DpoTrainer trainer(smallModel(), o);
        QString message;
        try {
            trainer.train(ex);
        } catch (const TrainingDiverged& e) {
            message = e.what();
        }
        qInfo("%s", qPrintable(message));
        QVERIFY2(message.contains("step 2") && message.contains("checkpoint-1"), qPrintable(message));
        auto latest = latestTrainCheckpoint(dir.path().toStdString());
        QVERIFY(latest && QString::fromStdString(*latest).endsWith("checkpoint-1"));
        for (const auto& [name, t] : readTrainCheckpoint(*latest).trainable)
            QVERIFY2(torch::isfinite(t).all().item<bool>(), name.c_str());
    }

    void gradientCheckpointingTrainsTheSame() {
        auto run = [](bool checkpoint) {
            auto m = smallModel();
            auto ex = makeExamples(m->config(), 4, 61);
            attachReferences(m, ex);
            TrainerOptions o;
            o.perDeviceBatch = 2;
            o.learningRate = 1e-2;
            o.maxSteps = 3;
            o.gradientCheckpointing = checkpoint;
            DpoTrainer t(m, o);
            t.train(ex);
            return snapshot(t);
        };
        const double d = maxDiff(run(false), run(true));
        qInfo("gradient checkpointing vs plain after 3 steps: max|diff| %.3g", d);
        QVERIFY(d < 1e-6);
    }

    void missingReferencesAreNamed() {
        auto m = smallModel();
        auto ex = makeExamples(m->config(), 2, 71);
        DpoTrainer trainer(m, {});
        try {
            trainer.train(ex);
            QFAIL("trained without reference log-probs");
        } catch (const sena::InputError& e) {
            QVERIFY(QString(e.what()).contains("computeReferenceLogps"));
        }
    }

    void stepIndicesCoverEachEpochOnce() {
        TrainerOptions o;
        o.perDeviceBatch = 3;
        DpoTrainer trainer(smallModel(), o);
        std::vector<int> seen(10, 0);
        for (int64_t s = 0; s < 4; ++s)  // ceil(10 / 3) steps per epoch
            for (auto i : trainer.stepIndices(s, 10))
                ++seen[i];
        for (int c : seen)
            QCOMPARE(c, 1);
        QVERIFY(trainer.stepIndices(0, 10) != trainer.stepIndices(4, 10));  // reshuffled each epoch
    }
};

int runTrainerTests(int argc, char** argv) {
    TestTrainer t;
    return QTest::qExec(&t, argc, argv);
}

#include "test_trainer.moc"
