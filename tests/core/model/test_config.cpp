// config.json resolution: HF class defaults, both spellings of renamed fields, refusals by name.
#include "model/LlavaConfig.h"
#include "util/Error.h"

#include <QtTest>

using namespace sena::model;
using sena::util::Json;

namespace {
QString refusal(const Json& j) {
    try {
        LlavaConfig::fromJson(j, "config.json");
    } catch (const sena::ConfigError& e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("ACCEPTED");
}
}  // namespace

class TestConfig : public QObject {
    Q_OBJECT
private slots:
    void llava15WrittenWithOnlyNonDefaults() {
        // As the released llava-1.5-7b-hf config: HF wrote only values that differ from defaults.
        Json j = Json::parse(R"({
          "architectures": ["LlavaForConditionalGeneration"], "ignore_index": -100,
          "image_token_index": 32000, "model_type": "llava", "pad_token_id": 32001,
          "projector_hidden_act": "gelu",
          "text_config": {"_name_or_path": "lmsys/vicuna-7b-v1.5", "architectures": ["LlamaForCausalLM"],
                          "max_position_embeddings": 4096, "model_type": "llama", "rms_norm_eps": 1e-05,
                          "torch_dtype": "float16", "vocab_size": 32064},
          "tie_word_embeddings": false, "torch_dtype": "float16", "transformers_version": "4.36.0.dev0",
          "vision_config": {"hidden_size": 1024, "image_size": 336, "intermediate_size": 4096,
                            "model_type": "clip_vision_model", "num_attention_heads": 16,
                            "num_hidden_layers": 24, "patch_size": 14, "projection_dim": 768, "vocab_size": 32000},
          "vision_feature_layer": -2, "vision_feature_select_strategy": "default"})");
        auto c = LlavaConfig::fromJson(j, "llava-1.5-7b-hf/config.json");
        QCOMPARE(c.text.hiddenSize, int64_t(4096));
        QCOMPARE(c.text.numLayers, int64_t(32));
        QCOMPARE(c.text.numHeads, int64_t(32));
        QCOMPARE(c.text.numKvHeads, int64_t(32));
        QCOMPARE(c.text.intermediateSize, int64_t(11008));
        QCOMPARE(c.text.vocabSize, int64_t(32064));
        QCOMPARE(c.text.rmsNormEps, 1e-5);
        QCOMPARE(c.text.rope.theta, 10000.0);
        QCOMPARE(c.text.headDim, int64_t(128));
        QCOMPARE(c.text.tieWordEmbeddings, false);
        QCOMPARE(c.vision.act, Activation::QuickGelu);
        QCOMPARE(c.vision.layerNormEps, 1e-5);
        QCOMPARE(c.vision.imageSize, int64_t(336));
        QCOMPARE(c.imageSeqLength(), int64_t(576));
        QCOMPARE(c.visionLayersNeeded(), int64_t(23));
        QCOMPARE(c.projectorAct, Activation::Gelu);
        QCOMPARE(c.dtype, std::string("float16"));
        QCOMPARE(c.imageTokenId, int64_t(32000));
    }

    void emptyLlavaConfigTakesClassDefaults() {
        auto c = LlavaConfig::fromJson(Json{{"model_type", "llava"}}, "config.json");
        QCOMPARE(c.vision.hiddenSize, int64_t(1024));  // LLaVA's default tower: CLIP-L/336
        QCOMPARE(c.vision.patchSize, int64_t(14));
        QCOMPARE(c.text.rmsNormEps, 1e-6);  // LlamaConfig's own default
        QCOMPARE(c.text.maxPositions, int64_t(2048));
        QCOMPARE(c.imageTokenId, int64_t(32000));
        // An explicit CLIP vision config without sizes takes CLIPVisionConfig's defaults instead.
        auto d = LlavaConfig::fromJson(Json{{"model_type", "llava"}, {"vision_config", {{"model_type", "clip_vision_model"}}}},
                                       "config.json");
        QCOMPARE(d.vision.hiddenSize, int64_t(768));
        QCOMPARE(d.vision.patchSize, int64_t(32));
    }

    void fixtureConfig() {
        auto c = LlavaConfig::fromFile(std::string(SENA_FIXTURES_DIR) + "/hf/tiny-llava-llama-clip/config.json");
        QCOMPARE(c.text.numKvHeads, int64_t(2));
        QCOMPARE(c.text.headDim, int64_t(16));
        QCOMPARE(c.imageSeqLength(), int64_t(16));
        QCOMPARE(c.text.rope.theta, 10000.0);
        QCOMPARE(c.text.eosTokenIds, std::vector<int64_t>{2});
    }

    void qwen2SiglipFullFeatures() {
        Json j = {{"model_type", "llava"}, {"image_token_id", 151646}, {"vision_feature_layer", -1},
                  {"vision_feature_select_strategy", "full"}, {"dtype", "bfloat16"},
                  {"text_config", {{"model_type", "qwen2"}, {"hidden_size", 896}, {"num_attention_heads", 14},
                                   {"num_key_value_heads", 2}, {"tie_word_embeddings", true},
                                   {"rope_theta", 1000000.0}}},
                  {"vision_config", {{"model_type", "siglip_vision_model"}, {"hidden_size", 1152}, {"image_size", 384},
                                     {"patch_size", 14}, {"num_hidden_layers", 26}, {"num_attention_heads", 16},
                                     {"intermediate_size", 4304}}}};
        auto c = LlavaConfig::fromJson(j, "config.json");
        QCOMPARE(c.text.qkvBias, true);
        QCOMPARE(c.text.oBias, false);
        QCOMPARE(c.text.vocabSize, int64_t(151936));
        QCOMPARE(c.text.headDim, int64_t(64));
        QCOMPARE(c.text.tieWordEmbeddings, true);
        QCOMPARE(c.text.rope.theta, 1e6);
        QCOMPARE(c.vision.act, Activation::GeluTanh);
        QCOMPARE(c.vision.layerNormEps, 1e-6);
        QCOMPARE(c.imageSeqLength(), int64_t(729));
        QCOMPARE(c.visionLayersNeeded(), int64_t(26));
        QCOMPARE(c.imageTokenId, int64_t(151646));
        QCOMPARE(c.dtype, std::string("bfloat16"));
    }

    void ropeSpellingsAndTypes() {
        Json a = {{"model_type", "llava"}, {"text_config", {{"rope_parameters", {{"rope_theta", 500000.0}, {"rope_type", "default"}}}}}};
        QCOMPARE(LlavaConfig::fromJson(a, "c").text.rope.theta, 500000.0);
        Json b = {{"model_type", "llava"},
                  {"text_config", {{"rope_theta", 500000.0},
                                   {"rope_scaling", {{"rope_type", "llama3"}, {"factor", 8.0}, {"low_freq_factor", 1.0},
                                                     {"high_freq_factor", 4.0}, {"original_max_position_embeddings", 8192}}}}}};
        auto rb = LlavaConfig::fromJson(b, "c").text.rope;
        QCOMPARE(rb.type, std::string("llama3"));
        QCOMPARE(rb.factor, 8.0);
        Json y = {{"model_type", "llava"}, {"text_config", {{"rope_scaling", {{"type", "yarn"}, {"factor", 4.0}}}}}};
        QVERIFY(refusal(y).contains("rope type 'yarn'"));
    }

    void featureLayerListAndTiePrecedence() {
        Json j = {{"model_type", "llava"}, {"vision_feature_layer", {-2, -5}}, {"tie_word_embeddings", false},
                  {"text_config", {{"tie_word_embeddings", true}}}};
        auto c = LlavaConfig::fromJson(j, "c");
        QVERIFY(c.featureLayerIsList);
        QCOMPARE(c.featureLayerIndices(), (std::vector<int64_t>{23, 20}));
        QCOMPARE(c.projectorInputSize(), int64_t(2048));
        QCOMPARE(c.text.tieWordEmbeddings, true);  // the text config's tie wins
        QCOMPARE(LlavaConfig::fromJson(Json{{"model_type", "llava"}, {"torch_dtype", "bfloat16"}}, "c").dtype,
                 std::string("bfloat16"));
    }

    void refusals_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown model type") << R"({"model_type":"llava_next"})" << "model_type 'llava_next'";
        QTest::newRow("no model type") << R"({})" << "'model_type' is missing";
        QTest::newRow("unknown architecture") << R"({"model_type":"llava","architectures":["Blip2Model"]})" << "Blip2Model";
        QTest::newRow("unknown text model") << R"({"model_type":"llava","text_config":{"model_type":"gemma"}})" << "'gemma'";
        QTest::newRow("unknown vision model") << R"({"model_type":"llava","vision_config":{"model_type":"eva"}})" << "'eva'";
        QTest::newRow("string hidden size") << R"({"model_type":"llava","text_config":{"hidden_size":"4096"}})" << "'hidden_size' must be an integer";
        QTest::newRow("negative layers") << R"({"model_type":"llava","text_config":{"num_hidden_layers":-1}})" << "positive";
        QTest::newRow("bool eps") << R"({"model_type":"llava","text_config":{"rms_norm_eps":true}})" << "'rms_norm_eps' must be a number";
        QTest::newRow("heads not dividing") << R"({"model_type":"llava","text_config":{"hidden_size":100}})" << "not divisible";
        QTest::newRow("kv heads not dividing") << R"({"model_type":"llava","text_config":{"num_key_value_heads":5}})" << "multiple";
        QTest::newRow("bad strategy") << R"({"model_type":"llava","vision_feature_select_strategy":"cls"})" << "'cls'";
        QTest::newRow("feature layer out of range") << R"({"model_type":"llava","vision_feature_layer":-40})" << "hidden state";
        QTest::newRow("negative image token") << R"({"model_type":"llava","image_token_index":-5})" << "is negative";
        QTest::newRow("bad activation") << R"({"model_type":"llava","projector_hidden_act":"mish"})" << "'mish'";
        QTest::newRow("bad dtype") << R"({"model_type":"llava","dtype":"int8"})" << "'int8'";
        QTest::newRow("text config not object") << R"({"model_type":"llava","text_config":[1]})" << "must be an object";
        QTest::newRow("patch larger than image") << R"({"model_type":"llava","vision_config":{"image_size":10,"patch_size":14}})" << "exceeds image_size";
    }
    void refusals() {
        QFETCH(QString, json);
        QFETCH(QString, says);
        const QString msg = refusal(Json::parse(json.toStdString()));
        QVERIFY2(msg.contains(says), qPrintable(msg));
    }

    void resolvedJsonIsComplete() {
        auto c = LlavaConfig::fromJson(Json{{"model_type", "llava"}}, "c");
        auto j = c.toJson();
        QCOMPARE(j["text_config"]["num_key_value_heads"].get<int64_t>(), int64_t(32));
        QCOMPARE(j["image_seq_length"].get<int64_t>(), int64_t(576));
        // Round trip: the resolved form re-resolves to the same values.
        Json again = j;
        again["text_config"]["rope_theta"] = c.text.rope.theta;
        QCOMPARE(LlavaConfig::fromJson(again, "again").toJson()["text_config"]["hidden_size"], j["text_config"]["hidden_size"]);
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "test_config.moc"
