// The SENA generation pipeline with a scripted model: every stage, record and link, resumption.
#include "ScriptedModel.h"
#include "image/corruption/CorruptionChain.h"
#include "pipeline/PairFilter.h"
#include "pipeline/PromptSet.h"
#include "pipeline/RoundGenerator.h"
#include "pipeline/TextRules.h"
#include "store/Workspace.h"
#include "util/Error.h"

#include <QTemporaryDir>
#include <QtTest>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <set>

using namespace sena;
using namespace sena::pipeline;
namespace fs = std::filesystem;

namespace {

void writeImages(const fs::path& dir, int count) {
    fs::create_directories(dir);
    for (int i = 0; i < count; ++i) {
        cv::Mat m(40 + i, 60, CV_8UC3, cv::Scalar(20 * i, 100, 200 - 10 * i));
        cv::rectangle(m, cv::Point(5 + i, 5), cv::Point(30, 25 + i), cv::Scalar(250, 10 * i, 0), cv::FILLED);
        cv::imwrite((dir / ("img" + std::to_string(i) + ".png")).string(), m);
    }
}

// Replies: the first check of each image replaces its question once (paper mode must re-check),
// image 1's question asks for a name, image 2's check yields two questions, the first improvement
// reply lacks the prefix, and corrupted answers say something else.
std::string scriptedReply(const VlmImage* image, const VlmRequest& r, const PromptSet& p) {
    const std::string key = image ? image->key : "text-only";
    if (r.userText == p.selfQuestion)
        return key == "2" ? "What is on the left" : "What color is the box?";
    if (r.userText.find("QUESTION:") != std::string::npos) {  // a self-check prompt
        if (r.userText.find("What color is the box?") != std::string::npos)
            return "QUESTION: Which color does the large box have?";
        if (r.userText.find("Which color does the large box have?") != std::string::npos)
            return key == "1" ? "QUESTION: What is the name of this box?" : "QUESTION: Which color does the large box have?";
        return "QUESTION: How many boxes are there? Is the box red? This sentence is not a question.";
    }
    if (r.userText.find("Improved Answer:") != std::string::npos) {
        if (r.userText.find("How many boxes") != std::string::npos)
            return "I think it is one.";  // no prefix: the clean answer is kept
        return "Improved Answer: a red box on blue ground";
    }
    if (!r.corruption.empty())
        return "a blurry green shape " + std::to_string(r.corruptionSeed % 97);
    if (r.userText.find("single word") != std::string::npos)
        return "red";
    return "A red box on a blue background.";
}

}  // namespace

class TestPipeline : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

    fs::path tmp(const std::string& name) const { return fs::path(m_tmp.path().toStdString()) / name; }

private slots:
    void parsesQuestionsLikeSena() {
        auto q = parseQuestions("QUESTION: What is this? And where?\nQUESTION: What is this?\nNo question here.", "QUESTION:");
        QCOMPARE(q, (std::vector<std::string>{"What is this?", "And where?"}));
        QVERIFY(parseQuestions("There is nothing to ask.", "QUESTION:").empty());
        QCOMPARE(parseQuestions("question: \"Is it red?\"", "QUESTION:"), std::vector<std::string>{"Is it red?"});
        QCOMPARE(parseImprovedAnswer("  Improved Answer: two dogs\nBecause...", "Improved Answer:"), std::string("two dogs"));
        QCOMPARE(parseImprovedAnswer("The answer is two dogs", "Improved Answer:"), std::string());
        QVERIFY(isYesNo(" Yes.") && isYesNo("NO") && !isYesNo("Yes, two"));
    }

    void filtersFireWithReasons() {
        FilterSettings all;
        auto passed = applyFilters(all, "What color is the car?", "a red car", "a blue bus");
        QVERIFY(passed.passed);
        auto check = [&](const char* filter, const std::string& q, const std::string& c, const std::string& r) {
            auto res = applyFilters(all, q, c, r);
            bool fired = false;
            for (const auto& v : res.verdicts)
                if (std::string(filterName(v.kind)) == filter)
                    fired = v.fired && !v.reason.empty();
            QVERIFY2(fired && !res.passed, filter);
        };
        check("name", "What is the name of the dog?", "Rex", "a cat");
        check("repetition", "Q?", "The dog runs. The dog runs.", "a cat");
        std::string many;
        for (int i = 0; i < 31; ++i)
            many += "very ";
        check("repetition", "Q?", many + "red", "blue");
        check("non_alnum", "Q?", "!!! ??? ...", "blue");
        check("non_alnum", "Q?", "", "blue");
        check("identical", "Q?", "blue sky", " blue sky ");
        check("yes_no", "Q?", "Yes", "a cat");
        check("rejected_in_chosen", "Q?", "A big red car parked", "red car");
        // Disabled filters do not run; unknown names are refused.
        auto none = FilterSettings::parse("none");
        QVERIFY(applyFilters(none, "name?", "x", "x").passed);
        QCOMPARE(FilterSettings::parse("identical,yes_no").toString(), std::string("identical,yes_no"));
        QVERIFY_THROWS_EXCEPTION(ConfigError, FilterSettings::parse("identical,bogus"));
        // CJK answers are not "non-alphanumeric".
        QVERIFY(applyFilters(FilterSettings::parse("non_alnum"), "Q?", "一只猫", "两只狗").passed);
    }

    void promptSetsAreValidated() {
        auto p = PromptSet::builtin();
        QVERIFY(p.captionPrompts.size() >= 10);
        auto j = p.toJson();
        j["improve_with_description"] = "no placeholders";
        QVERIFY_THROWS_EXCEPTION(ConfigError, PromptSet::fromJson(j, "custom.json"));
        j = p.toJson();
        j.erase("self_question");
        QVERIFY_THROWS_EXCEPTION(ConfigError, PromptSet::fromJson(j, "custom.json"));
        QCOMPARE(PromptSet::fromJson(p.toJson(), "again").toJson(), p.toJson());
    }

    void paperRoundRecordsEveryStage() {
        writeImages(tmp("images"), 3);
        auto ws = store::Workspace::create(tmp("ws").string());
        ws.importImages(tmp("images").string());
        RoundConfig cfg;
        cfg.batchImages = 2;
        cfg.corruption = "blur:sigma=2+diffusion:t=600";
        const PromptSet prompts = cfg.prompts;
        test::ScriptedModel model([&](const VlmImage* i, const VlmRequest& r) { return scriptedReply(i, r, prompts); });
        RoundGenerator gen(ws, model, cfg);
        const int64_t round = gen.createRound();
        auto progress = gen.run(round);
        QCOMPARE(progress.imagesDone, int64_t(3));

        // Paper mode: every self-check sees the image; a replaced question is checked again.
        int checks = 0;
        for (const auto& r : model.log)
            if (r.userText.find("QUESTION:") != std::string::npos) {
                QVERIFY(r.imageIndex >= 0);
                ++checks;
            }
        QCOMPARE(checks, 6);  // every image's first question is replaced once, so each is checked twice

        auto summary = ws.rounds().summary(round);
        QCOMPARE(summary.status, store::RoundStatus::Generated);
        QCOMPARE(summary.questions, int64_t(4));       // 1 + 1 + 2
        QCOMPARE(summary.questionsKept, int64_t(3));   // the "name" question is dropped
        QCOMPARE(summary.pairs, int64_t(6));           // a des and a gen pair per kept question
        QCOMPARE(summary.pairsByType["des"], int64_t(3));
        QCOMPARE(summary.questionFilterHits["name"], int64_t(1));

        auto pairs = ws.pairs().find({});
        for (const auto& p : pairs) {
            QVERIFY(p.questionId && p.chosenGenerationId && p.rejectedGenerationId);
            auto rejected = ws.generations().get(*p.rejectedGenerationId);
            QVERIFY(rejected && rejected->kind == store::GenerationKind::CorruptedAnswer);
            QCOMPARE(rejected->corruptionSpec.value_or(""), std::string("blur:sigma=2+diffusion:t=600"));
            QVERIFY(rejected->corruptionSeed.has_value());
            QCOMPARE(rejected->text, p.rejected);
            auto chosen = ws.generations().get(*p.chosenGenerationId);
            QVERIFY(chosen && chosen->kind == store::GenerationKind::ImprovedAnswer);
            QCOMPARE(chosen->questionId, p.questionId);
            if (p.type == store::PairType::General) {
                auto q = ws.questions().get(*p.questionId);
                QVERIFY(p.prompt.rfind(q->finalQuestion, 0) == 0);
                // Missing "Improved Answer:" prefix: the clean answer is kept as chosen.
                QCOMPARE(p.chosen, std::string(q->finalQuestion.find("How many") == 0 ? "red" : "a red box on blue ground"));
            }
        }
        // Two different seeds per question (fresh noise per rejected generation).
        std::set<int64_t> seeds;
        for (const auto& r : model.log)
            if (!r.corruption.empty())
                seeds.insert(static_cast<int64_t>(r.corruptionSeed));
        QCOMPARE(seeds.size(), size_t(6));
        // The full trace of the replaced question is stored.
        auto q0 = ws.questions().forRound(round);
        bool sawRecheck = false;
        for (const auto& q : q0)
            if (q.attempts == 2 && q.firstQuestion == "What color is the box?" &&
                q.finalQuestion == "Which color does the large box have?")
                sawRecheck = true;
        QVERIFY(sawRecheck);
        // The round's config is stored for reproducibility.
        auto rr = ws.rounds().get(round);
        QVERIFY(rr->configJson.find("blur:sigma=2+diffusion:t=600") != std::string::npos);
        QCOMPARE(rr->generatorModelHash, std::string("scripted-hash"));
    }

    void codeModeChecksTextOnlyOnce() {
        writeImages(tmp("images-code"), 2);
        auto ws = store::Workspace::create(tmp("ws-code").string());
        ws.importImages(tmp("images-code").string());
        RoundConfig cfg;
        cfg.selfCheck = SelfCheckMode::Code;
        const PromptSet prompts = cfg.prompts;
        test::ScriptedModel model([&](const VlmImage* i, const VlmRequest& r) { return scriptedReply(i, r, prompts); });
        RoundGenerator gen(ws, model, cfg);
        gen.run(gen.createRound());
        int checks = 0;
        for (const auto& r : model.log)
            if (r.userText.find("QUESTION:") != std::string::npos) {
                QCOMPARE(r.imageIndex, -1);
                ++checks;
            }
        QCOMPARE(checks, 2);
        for (const auto& q : ws.questions().forRound(1))
            QCOMPARE(q.mode, store::QuestionMode::Code);
    }

    void cancelAndResumeLoseNothingAndDuplicateNothing() {
        writeImages(tmp("images-resume"), 5);
        const PromptSet prompts = PromptSet::builtin();
        auto rule = [&](const VlmImage* i, const VlmRequest& r) { return scriptedReply(i, r, prompts); };
        RoundConfig cfg;
        cfg.batchImages = 2;
        // Uninterrupted reference.
        auto ref = store::Workspace::create(tmp("ws-ref").string());
        ref.importImages(tmp("images-resume").string());
        test::ScriptedModel m1(rule);
        RoundGenerator g1(ref, m1, cfg);
        g1.run(g1.createRound());
        // Cancelled after the first batch, then resumed.
        auto ws = store::Workspace::create(tmp("ws-resume").string());
        ws.importImages(tmp("images-resume").string());
        test::ScriptedModel m2(rule);
        RoundGenerator g2(ws, m2, cfg);
        const int64_t round = g2.createRound();
        int batches = 0;
        QVERIFY_THROWS_EXCEPTION(Cancelled, g2.run(round, [&](const GenerationProgress& p) {
            if (p.stage.empty() || p.imagesDone == 0)
                return true;
            return ++batches < 1;
        }));
        QCOMPARE(ws.rounds().get(round)->status, store::RoundStatus::Cancelled);
        const auto partial = ws.rounds().summary(round);
        QVERIFY(partial.pairs > 0 && partial.pairs < ref.rounds().summary(1).pairs);
        test::ScriptedModel m3(rule);
        RoundGenerator g3(ws, m3, cfg);
        g3.run(round);
        const auto a = ws.rounds().summary(round), b = ref.rounds().summary(1);
        QCOMPARE(a.pairs, b.pairs);
        QCOMPARE(a.questions, b.questions);
        QCOMPARE(a.generations, b.generations);
        // Same texts and seeds as the uninterrupted run (deterministic per image).
        auto pa = ws.pairs().find({}), pb = ref.pairs().find({});
        QCOMPARE(pa.size(), pb.size());
        for (size_t i = 0; i < pa.size(); ++i) {
            QCOMPARE(pa[i].chosen, pb[i].chosen);
            QCOMPARE(pa[i].rejected, pb[i].rejected);
        }
        // Running a finished round again does nothing.
        test::ScriptedModel m4(rule);
        RoundGenerator g4(ws, m4, cfg);
        g4.run(round);
        QCOMPARE(m4.calls, 0);
        QCOMPARE(ws.rounds().summary(round).pairs, b.pairs);
    }

    void shardsMergeIntoOneRound() {
        writeImages(tmp("images-shard"), 5);
        const PromptSet prompts = PromptSet::builtin();
        auto rule = [&](const VlmImage* i, const VlmRequest& r) { return scriptedReply(i, r, prompts); };
        auto ws = store::Workspace::create(tmp("ws-shard").string());
        ws.importImages(tmp("images-shard").string());
        RoundConfig cfg;
        test::ScriptedModel m0(rule), m1(rule);
        RoundGenerator g0(ws, m0, cfg), g1(ws, m1, cfg);
        g0.setShard(0, 2);
        g1.setShard(1, 2);
        const int64_t round = g0.createRound();
        auto p0 = g0.run(round);
        QCOMPARE(ws.rounds().get(round)->status, store::RoundStatus::Generating);  // shard 1 still pending
        g1.run(round);
        QCOMPARE(ws.rounds().get(round)->status, store::RoundStatus::Generated);
        QVERIFY(p0.imagesDone < 5);
        QCOMPARE(ws.rounds().summary(round).stagesDone[RoundGenerator::kImageDone], int64_t(5));
        QVERIFY_THROWS_EXCEPTION(ConfigError, g0.setShard(2, 2));
    }

    void seededPresetsParse() {
        auto ws = store::Workspace::create(tmp("ws-presets").string());
        const auto presets = ws.presets().list();
        QVERIFY(presets.size() >= 5);
        for (const auto& p : presets)
            image::CorruptionChain::parse(p.spec);  // throws on a preset the library cannot run
    }

    void badCorruptionSpecIsRefusedBeforeWork() {
        auto ws = store::Workspace::create(tmp("ws-bad").string());
        RoundConfig cfg;
        cfg.corruption = "diffusion:t=5000";
        test::ScriptedModel model([](const VlmImage*, const VlmRequest&) { return std::string(); });
        QVERIFY_THROWS_EXCEPTION(ConfigError, RoundGenerator(ws, model, cfg));
        cfg.corruption = "diffusion:t=600";
        RoundGenerator gen(ws, model, cfg);
        QVERIFY_THROWS_EXCEPTION(InputError, gen.createRound());  // no images imported
    }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "test_pipeline.moc"
