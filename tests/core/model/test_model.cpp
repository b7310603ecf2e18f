// Engine behaviour: parity with transformers' references, KV cache, batching, sampling, scoring.
#include "model/Generator.h"
#include "model/Layers.h"
#include "model/ParityCheck.h"
#include "model/Scorer.h"
#include "model/WeightLoader.h"
#include "util/Error.h"

#include <QtTest>
#include <torch/torch.h>

using namespace sena::model;

namespace {
const std::string kFixture = std::string(SENA_FIXTURES_DIR) + "/hf/tiny-llava-llama-clip";

// A small random LLaVA (Llama text, CLIP vision) for properties that need no reference.
LlavaConfig smallConfig(const std::string& textType = "llama") {
    sena::util::Json j = {
        {"model_type", "llava"},
        {"image_token_index", 90},
        {"vision_feature_layer", -2},
        {"text_config",
         {{"model_type", textType}, {"vocab_size", 96}, {"hidden_size", 32}, {"intermediate_size", 64},
          {"num_hidden_layers", 2}, {"num_attention_heads", 4}, {"num_key_value_heads", 2},
          {"max_position_embeddings", 128}, {"rms_norm_eps", 1e-6}}},
        {"vision_config",
         {{"model_type", "clip_vision_model"}, {"hidden_size", 24}, {"intermediate_size", 48},
          {"num_hidden_layers", 2}, {"num_attention_heads", 2}, {"image_size", 28}, {"patch_size", 14}}}};
    return LlavaConfig::fromJson(j, "test config");
}

std::vector<int64_t> promptWithImage(const LlavaConfig& c, std::vector<int64_t> before, std::vector<int64_t> after) {
    std::vector<int64_t> p = std::move(before);
    for (int64_t i = 0; i < c.imageSeqLength(); ++i)
        p.push_back(c.imageTokenId);
    p.insert(p.end(), after.begin(), after.end());
    return p;
}
}  // namespace

class TestModel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { configureThreads(); }

    void parityFloat32() {
        ParityOptions o;
        auto results = ParityCheck::run(kFixture, o, nullptr);
        QVERIFY(results.size() >= 8);
        for (const auto& r : results) {
            qInfo("%s: max|diff| %.3g matched %lld/%lld %s", r.name.c_str(), r.maxAbsDiff,
                  static_cast<long long>(r.matched), static_cast<long long>(r.total), r.passed ? "ok" : "FAIL");
            QVERIFY2(r.passed, r.name.c_str());
        }
    }

    void parityReferenceAttentionPath() {
        // The eager attention (used on LibTorch 1.x) and SDPA (2.x) must both match.
        setReferenceAttention(true);
        ParityOptions o;
        auto results = ParityCheck::run(kFixture, o, nullptr);
        setReferenceAttention(false);
        for (const auto& r : results)
            QVERIFY2(r.passed, r.name.c_str());
    }

    void parityBfloat16() {
        ParityOptions o;
        o.compute.dtype = torch::kBFloat16;
        auto results = ParityCheck::run(kFixture, o, nullptr);
        for (const auto& r : results) {
            qInfo("bf16 %s: max|diff| %.3g (tol %.3g) matched %lld/%lld", r.name.c_str(), r.maxAbsDiff, r.tolerance,
                  static_cast<long long>(r.matched), static_cast<long long>(r.total));
            QVERIFY2(r.passed, r.name.c_str());
        }
    }

    void parityDetectsAWrongModel() {
        // A check that cannot fail proves nothing: a tighter tolerance than float32 noise must fail.
        ParityOptions o;
        o.tolerance = 1e-12;
        auto results = ParityCheck::run(kFixture, o, nullptr);
        bool anyFailed = false;
        for (const auto& r : results)
            anyFailed = anyFailed || (r.kind == "max_abs" && !r.passed);
        QVERIFY(anyFailed);
    }

    void kvCacheDecodeEqualsFullRecomputation() {
        auto c = smallConfig();
        auto model = randomLlava(c, {}, 7, 0.2);
        torch::NoGradGuard g;
        auto features = model->imageFeatures(torch::randn({1, 3, 28, 28}));
        auto prompt = promptWithImage(c, {1, 5, 9}, {11, 12});
        Generator gen(model);
        SamplingOptions o;
        o.maxNewTokens = 12;
        o.returnLogprobs = true;
        auto out = gen.generate({prompt}, features, o)[0];
        QCOMPARE(static_cast<int64_t>(out.tokens.size()), o.maxNewTokens);
        std::vector<int64_t> seq = prompt;
        for (size_t i = 0; i < out.tokens.size(); ++i) {
            auto logits = model->forwardLogits(torch::tensor(seq), torch::Tensor(), features)[0].select(0, -1);
            QCOMPARE(logits.argmax().item<int64_t>(), out.tokens[i]);
            const float full = logits.log_softmax(-1)[out.tokens[i]].item<float>();
            QVERIFY(std::abs(full - out.logprobs[i]) < 1e-4);
            seq.push_back(out.tokens[i]);
        }
    }

    void batchEqualsRowsAlone() {
        for (const std::string arch : {"llama", "qwen2"}) {
            auto c = smallConfig(arch);
            auto model = randomLlava(c, {}, 11, 0.2);
            torch::NoGradGuard g;
            auto features = model->imageFeatures(torch::randn({3, 3, 28, 28}));
            std::vector<std::vector<int64_t>> prompts = {promptWithImage(c, {1, 4}, {7, 8, 9, 10, 11}),
                                                         promptWithImage(c, {1}, {3}),
                                                         promptWithImage(c, {1, 2, 3, 4, 5, 6}, {})};
            Generator gen(model);
            SamplingOptions o;
            o.maxNewTokens = 10;
            o.returnLogprobs = true;
            auto batch = gen.generate(prompts, features, o);
            for (int64_t r = 0; r < 3; ++r) {
                auto alone = gen.generate({prompts[r]}, features.narrow(0, r, 1), o)[0];
                QCOMPARE(batch[r].tokens, alone.tokens);
                for (size_t i = 0; i < alone.logprobs.size(); ++i)
                    QVERIFY(std::abs(batch[r].logprobs[i] - alone.logprobs[i]) < 1e-4);
            }
        }
    }

    void sharedPrefixEqualsSeparatePrompts() {
        auto c = smallConfig();
        auto model = randomLlava(c, {}, 13, 0.2);
        torch::NoGradGuard g;
        auto features = model->imageFeatures(torch::randn({1, 3, 28, 28}));
        std::vector<std::vector<int64_t>> prompts = {promptWithImage(c, {1, 4, 5}, {7, 8, 9, 10, 11}),
                                                     promptWithImage(c, {1, 4, 5}, {3}),
                                                     promptWithImage(c, {1, 4, 5}, {7, 8, 2})};
        auto prefix = Generator::commonPrefix(prompts);
        QCOMPARE(static_cast<int64_t>(prefix.size()), 3 + c.imageSeqLength());
        std::vector<std::vector<int64_t>> suffixes;
        for (const auto& p : prompts)
            suffixes.emplace_back(p.begin() + static_cast<std::ptrdiff_t>(prefix.size()), p.end());
        Generator gen(model);
        for (double penalty : {1.0, 1.3}) {
            SamplingOptions o;
            o.maxNewTokens = 10;
            o.returnLogprobs = true;
            o.repetitionPenalty = penalty;
            auto shared = gen.generateShared(prefix, features, suffixes, o);
            auto separate = gen.generate(prompts, features.expand({3, -1, -1}).contiguous(), o);
            for (size_t r = 0; r < prompts.size(); ++r) {
                QCOMPARE(shared[r].tokens, separate[r].tokens);
                for (size_t i = 0; i < shared[r].logprobs.size(); ++i)
                    QVERIFY(std::abs(shared[r].logprobs[i] - separate[r].logprobs[i]) < 1e-4);
            }
        }
        // Image tokens after the prefix would have no features: refused.
        QVERIFY_THROWS_EXCEPTION(sena::InputError,
                                 gen.generateShared({1, 4}, torch::Tensor(), {promptWithImage(c, {}, {3})}, {}));
    }

    void eosStopsARowAndPadsIt() {
        auto c = smallConfig();
        auto model = randomLlava(c, {}, 3, 0.2);
        auto features = model->imageFeatures(torch::randn({1, 3, 28, 28}));
        auto prompt = promptWithImage(c, {1}, {2, 3});
        Generator gen(model);
        SamplingOptions o;
        o.maxNewTokens = 8;
        auto free = gen.generate({prompt}, features, o)[0];
        o.eosTokenIds = {free.tokens[2]};
        auto stopped = gen.generate({prompt}, features, o)[0];
        // Stops at the first occurrence of the EOS id, which is included.
        size_t first = 0;
        while (free.tokens[first] != o.eosTokenIds[0])
            ++first;
        QCOMPARE(stopped.tokens.size(), first + 1);
        QCOMPARE(stopped.finish, FinishReason::EndOfSequence);
        o.minNewTokens = 8;
        auto forced = gen.generate({prompt}, features, o)[0];
        QCOMPARE(forced.tokens.size(), size_t(8));
        QVERIFY(std::find(forced.tokens.begin(), forced.tokens.end(), o.eosTokenIds[0]) == forced.tokens.end());
    }

    void stopStringsNeedAndUseADecoder() {
        auto c = smallConfig();
        auto model = randomLlava(c, {}, 3, 0.2);
        auto features = model->imageFeatures(torch::randn({1, 3, 28, 28}));
        auto prompt = promptWithImage(c, {1}, {2});
        Generator gen(model);
        SamplingOptions o;
        o.maxNewTokens = 6;
        o.stopStrings = {"<3>"};
        QVERIFY_THROWS_EXCEPTION(sena::InputError, gen.generate({prompt}, features, o));
        gen.setDecoder([](const std::vector<int64_t>& ids) {
            std::string s;
            for (auto id : ids)
                s += "<" + std::to_string(id % 4) + ">";
            return s;
        });
        auto out = gen.generate({prompt}, features, o)[0];
        if (out.finish == FinishReason::StopString)
            QCOMPARE(out.tokens.back() % 4, int64_t(3));
        else
            for (auto t : out.tokens)
                QVERIFY(t % 4 != 3);
    }

    void samplingIsSeededAndFiltersWork() {
        auto c = smallConfig();
        auto model = randomLlava(c, {}, 5, 0.2);
        auto features = model->imageFeatures(torch::randn({1, 3, 28, 28}));
        auto prompt = promptWithImage(c, {1}, {2});
        Generator gen(model);
        SamplingOptions greedy;
        greedy.maxNewTokens = 10;
        auto g = gen.generate({prompt}, features, greedy)[0].tokens;
        SamplingOptions s = greedy;
        s.doSample = true;
        s.temperature = 1.5;
        s.seed = 42;
        auto a = gen.generate({prompt}, features, s)[0].tokens;
        auto b = gen.generate({prompt}, features, s)[0].tokens;
        QCOMPARE(a, b);
        s.seed = 43;
        bool differs = false;
        for (int i = 0; i < 5 && !differs; ++i, ++s.seed)
            differs = gen.generate({prompt}, features, s)[0].tokens != a;
        QVERIFY(differs);
        s.topK = 1;  // top-1 sampling is greedy
        QCOMPARE(gen.generate({prompt}, features, s)[0].tokens, g);
        s.topK = 0;
        s.topP = 1e-6;  // nucleus smaller than the top token is greedy too
        QCOMPARE(gen.generate({prompt}, features, s)[0].tokens, g);
    }

    void logitsProcessorsMatchHandComputedValues() {
        auto scores = torch::tensor({{2.0f, -1.0f, 0.5f, 1.0f}});
        auto seq = torch::tensor({{0, 1}}, torch::kLong);
        SamplingOptions o;
        o.repetitionPenalty = 2.0;
        auto p = Generator::processScores(scores.clone(), seq, 0, o);
        QCOMPARE(p[0][0].item<float>(), 1.0f);   // positive: divided
        QCOMPARE(p[0][1].item<float>(), -2.0f);  // negative: multiplied
        QCOMPARE(p[0][2].item<float>(), 0.5f);
        o = {};
        o.doSample = true;
        o.temperature = 0.5;
        o.topK = 2;
        p = Generator::processScores(scores.clone(), seq, 0, o);
        QCOMPARE(p[0][0].item<float>(), 4.0f);
        QCOMPARE(p[0][3].item<float>(), 2.0f);
        QVERIFY(std::isinf(p[0][1].item<float>()) && std::isinf(p[0][2].item<float>()));
        o = {};
        o.doSample = true;
        o.topP = 0.7;  // probs ≈ .57 .03 .13 .21 (desc .57 .21 .13 .03): keep {0, 3}
        p = Generator::processScores(scores.clone(), seq, 0, o);
        QVERIFY(!std::isinf(p[0][0].item<float>()) && !std::isinf(p[0][3].item<float>()));
        QVERIFY(std::isinf(p[0][1].item<float>()) && std::isinf(p[0][2].item<float>()));
        o = {};
        o.minNewTokens = 3;
        o.eosTokenIds = {0};
        p = Generator::processScores(scores.clone(), seq, 1, o);
        QVERIFY(std::isinf(p[0][0].item<float>()));
        p = Generator::processScores(scores.clone(), seq, 3, o);
        QCOMPARE(p[0][0].item<float>(), 2.0f);
    }

    void scorerMatchesForwardAndBatches() {
        auto c = smallConfig();
        auto model = randomLlava(c, {}, 9, 0.2);
        torch::NoGradGuard g;
        auto features = model->imageFeatures(torch::randn({2, 3, 28, 28}));
        std::vector<ScoreItem> items = {{promptWithImage(c, {1, 2}, {3}), {4, 5, 6}},
                                        {promptWithImage(c, {1}, {}), {7, 8, 9, 10, 11}}};
        Scorer scorer(model);
        auto batch = scorer.score(items, features);
        for (int r = 0; r < 2; ++r) {
            auto full = items[r].prompt;
            full.insert(full.end(), items[r].response.begin(), items[r].response.end());
            auto logp = model->forwardLogits(torch::tensor(full), torch::Tensor(), features.narrow(0, r, 1))[0]
                            .log_softmax(-1);
            double sum = 0;
            for (size_t i = 0; i < items[r].response.size(); ++i) {
                const float want = logp[items[r].prompt.size() + i - 1][items[r].response[i]].item<float>();
                QVERIFY(std::abs(want - batch[r].tokenLogprobs[i]) < 1e-4);
                sum += want;
            }
            QVERIFY(std::abs(sum - batch[r].sum) < 1e-3);
            QVERIFY(std::abs(batch[r].mean - batch[r].sum / items[r].response.size()) < 1e-9);
        }
    }

    void imageTokenCountMismatchFailsLoudly() {
        auto c = smallConfig();
        auto model = randomLlava(c, {}, 1, 0.2);
        auto features = model->imageFeatures(torch::randn({1, 3, 28, 28}));
        auto prompt = promptWithImage(c, {1}, {2});
        prompt.erase(prompt.begin() + 2);  // one image token cut, as a truncating collator would
        try {
            model->forwardLogits(torch::tensor(prompt), torch::Tensor(), features);
            QFAIL("a truncated image must be refused");
        } catch (const sena::InputError& e) {
            QVERIFY(std::string(e.what()).find("image-token positions") != std::string::npos);
        }
    }

    void parameterCountsMatchTheModules() {
        for (const std::string arch : {"llama", "mistral", "qwen2"}) {
            auto c = smallConfig(arch);
            auto model = randomLlava(c, {}, 1);
            int64_t n = 0;
            for (const auto& p : model->parameters())
                n += p.numel();
            QCOMPARE(countParameters(c).total(), n);
        }
    }
};

int runWeightTests(int argc, char** argv);

int main(int argc, char** argv) {
    TestModel model;
    int status = QTest::qExec(&model, argc, argv);
    return status | runWeightTests(argc, argv);
}

#include "test_model.moc"
