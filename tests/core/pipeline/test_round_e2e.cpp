// End to end with a real (tiny, random) model: the demo model and generated images through the
// engine, a SIGKILL in the middle of a CLI round and its resumption, and pair export/import.
#include "pipeline/DemoWorkspace.h"
#include "pipeline/EngineModel.h"
#include "pipeline/PairExchange.h"
#include "pipeline/RoundGenerator.h"
#include "store/Workspace.h"
#include "util/Error.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <signal.h>

using namespace sena;
using namespace sena::pipeline;
namespace fs = std::filesystem;

class TestRoundEndToEnd : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    std::string m_model, m_images;

    fs::path tmp(const std::string& name) const { return fs::path(m_tmp.path().toStdString()) / name; }

    RoundConfig smallRound() const {
        RoundConfig cfg;
        cfg.modelDir = m_model;
        cfg.maxNewTokens = 10;
        cfg.maxNewTokensSelfCheck = 12;
        cfg.batchImages = 2;
        cfg.device = "cpu";
        cfg.dtype = "float32";
        return cfg;
    }

    static std::string sena() { return std::string(SENA_BINARY_DIR) + "/app/cli/sena"; }

private slots:
    void initTestCase() {
        model::configureThreads();
        m_model = tmp("model").string();
        m_images = tmp("images").string();
        const auto images = writeDemoImages(m_images, 5);
        writeDemoModel(m_model, images, 120);
    }

    void engineRoundLinksEveryRecord() {
        auto ws = store::Workspace::create(tmp("ws").string());
        QCOMPARE(ws.importImages(m_images).imported, size_t(5));
        EngineModelOptions eo;
        EngineModel engine(m_model, eo);
        RoundGenerator gen(ws, engine, smallRound());
        const int64_t round = gen.createRound();
        gen.run(round);
        auto s = ws.rounds().summary(round);
        QCOMPARE(s.status, store::RoundStatus::Generated);
        QCOMPARE(s.stagesDone[RoundGenerator::kImageDone], int64_t(5));
        QVERIFY(s.questions >= 5);
        // Every generation of an image prompt carries the expanded image tokens in its token count.
        for (const auto& g : ws.generations().forImage(round, ws.rounds().images(round).front())) {
            QVERIFY(g.promptTokens.value_or(0) > 0);
            QVERIFY(!g.prompt.empty());
            if (g.kind == store::GenerationKind::CorruptedAnswer) {
                QCOMPARE(g.corruptionSpec.value_or(""), std::string("diffusion:t=600"));
                QVERIFY(g.corruptionSeed.has_value());
            }
        }
        // Each image's clean features were computed once; rejected answers need their own.
        const auto& st = engine.stats();
        QVERIFY(st.featureCacheHits > 0);
        QCOMPARE(st.featureComputations, int64_t(5) + 2 * s.questionsKept);
        for (const auto& p : ws.pairs().find({})) {
            QVERIFY(p.chosenGenerationId && p.rejectedGenerationId && p.questionId);
            QCOMPARE(ws.generations().get(*p.rejectedGenerationId)->text.find(p.rejected) != std::string::npos ||
                         p.rejected.empty(),
                     true);
        }
        // The recorded model identity is the content hash, stable across loads.
        QCOMPARE(ws.rounds().get(round)->generatorModelHash, modelContentHash(m_model));
    }

    void killedCliRoundResumesWithoutLossOrDuplicates() {
        // Reference: the same round uninterrupted.
        auto run = [&](const std::string& ws, QProcess& p) {
            p.start(QString::fromStdString(sena()),
                    {"round", "generate", QString::fromStdString(ws), "--model", QString::fromStdString(m_model),
                     "--max-new-tokens", "10", "--max-new-tokens-check", "12", "--batch-images", "1", "--dtype",
                     "float32", "--threads", "1"});
        };
        for (const char* name : {"ref", "killed"}) {
            auto ws = store::Workspace::create(tmp(std::string("cli-") + name).string());
            ws.importImages(m_images);
        }
        QProcess ref;
        run(tmp("cli-ref").string(), ref);
        QVERIFY2(ref.waitForFinished(300000), "reference run timed out");
        QVERIFY2(ref.exitCode() == 0, ref.readAllStandardError().constData());

        QProcess victim;
        run(tmp("cli-killed").string(), victim);
        QVERIFY(victim.waitForStarted());
        // Kill as soon as at least one image is committed but before the round ends.
        bool killed = false;
        for (int i = 0; i < 6000 && victim.state() == QProcess::Running; ++i) {
            QTest::qWait(20);
            try {
                auto ws = store::Workspace::open(tmp("cli-killed").string(), {true});
                auto latest = ws.rounds().latest();
                if (latest && ws.progress().doneCounts(latest->id)[RoundGenerator::kImageDone] >= 1) {
                    ::kill(static_cast<pid_t>(victim.processId()), SIGKILL);
                    killed = true;
                    break;
                }
            } catch (const Error&) {
                // the database may be mid-creation; poll again
            }
        }
        victim.waitForFinished(30000);
        QVERIFY2(killed, "the run finished before it could be killed");
        {
            auto ws = store::Workspace::open(tmp("cli-killed").string(), {true});
            auto s = ws.rounds().summary(ws.rounds().latest()->id);
            QVERIFY(s.stagesDone[RoundGenerator::kImageDone] < 5);
        }
        QProcess resume;
        run(tmp("cli-killed").string(), resume);
        QVERIFY(resume.waitForFinished(300000));
        QVERIFY2(resume.exitCode() == 0, resume.readAllStandardError().constData());

        auto a = store::Workspace::open(tmp("cli-killed").string());
        auto b = store::Workspace::open(tmp("cli-ref").string());
        QCOMPARE(a.rounds().list().size(), size_t(1));  // resumed, not a second round
        auto sa = a.rounds().summary(1), sb = b.rounds().summary(1);
        QCOMPARE(sa.pairs, sb.pairs);
        QCOMPARE(sa.questions, sb.questions);
        QCOMPARE(sa.generations, sb.generations);
        // No duplicates: one des and one gen pair per kept question.
        std::set<std::pair<int64_t, int>> seen;
        for (const auto& p : a.pairs().find({}))
            QVERIFY(seen.insert({*p.questionId, static_cast<int>(p.type)}).second);
        // Greedy decoding with per-image seeds reproduces the uninterrupted texts.
        auto pa = a.pairs().find({}), pb = b.pairs().find({});
        std::multiset<std::string> ta, tb;
        for (const auto& p : pa)
            ta.insert(p.prompt + "|" + p.chosen + "|" + p.rejected);
        for (const auto& p : pb)
            tb.insert(p.prompt + "|" + p.chosen + "|" + p.rejected);
        QVERIFY(ta == tb);
    }

    void exportImportRoundTrip() {
        auto ws = store::Workspace::open(tmp("ws").string());
        const int64_t before = ws.pairs().count({});
        QVERIFY(before > 0);
        for (auto format : {ExchangeFormat::Trl, ExchangeFormat::LlamaFactory, ExchangeFormat::Sena}) {
            ExportOptions o;
            o.format = format;
            o.includeFiltered = true;
            const std::string file = tmp(std::string("export-") + exchangeFormatName(format) + ".json").string();
            auto out = exportPairs(ws, file, o);
            QCOMPARE(out.pairs, before);
            auto target = store::Workspace::create(tmp(std::string("import-") + exchangeFormatName(format)).string());
            auto in = importPairs(target, file, format, m_images);
            QCOMPARE(in.pairs, before);
            QCOMPARE(in.skipped, int64_t(0));
            auto src = ws.pairs().find({}), dst = target.pairs().find({});
            std::multiset<std::string> a, b;
            for (const auto& p : src)
                a.insert(p.effectivePrompt() + "|" + p.effectiveChosen() + "|" + p.effectiveRejected());
            for (const auto& p : dst)
                b.insert(p.prompt + "|" + p.chosen + "|" + p.rejected);
            QVERIFY(a == b);
        }
        // Conversational TRL and images outside the root.
        ExportOptions conv;
        conv.conversational = true;
        conv.includeFiltered = true;
        exportPairs(ws, tmp("conv.jsonl").string(), conv);
        auto t2 = store::Workspace::create(tmp("import-conv").string());
        QCOMPARE(importPairs(t2, tmp("conv.jsonl").string(), ExchangeFormat::Trl, m_images).pairs, before);
        auto t3 = store::Workspace::create(tmp("import-outside").string());
        QVERIFY_THROWS_EXCEPTION(InputError, importPairs(t3, tmp("conv.jsonl").string(), ExchangeFormat::Trl,
                                                         tmp("model").string()));
        // A broken line is skipped and reported; the rest imports.
        {
            std::ofstream f(tmp("broken.jsonl"));
            f << "{not json}\n" << R"({"images": ["nowhere.png"], "prompt": "q", "chosen": "a", "rejected": "b"})" << "\n";
        }
        std::ifstream good(tmp("export-trl.json"));
        std::string line;
        std::getline(good, line);
        std::ofstream(tmp("broken.jsonl"), std::ios::app) << line << "\n";
        auto t4 = store::Workspace::create(tmp("import-broken").string());
        auto r = importPairs(t4, tmp("broken.jsonl").string(), ExchangeFormat::Trl, m_images);
        QCOMPARE(r.pairs, int64_t(1));
        QCOMPARE(r.skipped, int64_t(2));
    }
};

QTEST_GUILESS_MAIN(TestRoundEndToEnd)
#include "test_round_e2e.moc"
