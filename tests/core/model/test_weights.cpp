// Checkpoint loading: key layouts, shards, stored dtypes, and clean refusals of broken checkpoints.
#include "model/Safetensors.h"
#include "model/TensorIO.h"
#include "model/WeightLoader.h"
#include "util/Error.h"

#include <QTemporaryDir>
#include <QtTest>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <functional>

using namespace sena::model;
namespace fs = std::filesystem;

namespace {
const fs::path kFixture = fs::path(SENA_FIXTURES_DIR) / "hf/tiny-llava-llama-clip";

using Tensors = std::map<std::string, torch::Tensor>;

Tensors fixtureTensors() {
    SafetensorsFile f((kFixture / "model.safetensors").string());
    Tensors out;
    for (const auto& t : f.tensors())
        out[t.name] = toTensor(t);
    return out;
}

sena::util::Json fixtureConfig() { return sena::util::readJsonFile((kFixture / "config.json").string()); }

void writeModel(const fs::path& dir, const Tensors& tensors, const sena::util::Json& config) {
    fs::create_directories(dir);
    SafetensorsWriter w;
    for (const auto& [k, v] : tensors)
        addTensor(w, k, v);
    w.write((dir / "model.safetensors").string());
    std::ofstream(dir / "config.json") << config.dump(1);
}

Tensors renamed(const Tensors& in, const std::function<std::string(const std::string&)>& f) {
    Tensors out;
    for (const auto& [k, v] : in)
        out[f(k)] = v;
    return out;
}

std::string toCurrentLayout(const std::string& k) {
    if (k.rfind("language_model.model.", 0) == 0)
        return "model.language_model." + k.substr(21);
    if (k.rfind("language_model.lm_head.", 0) == 0)
        return "lm_head." + k.substr(23);
    return "model." + k;
}

torch::Tensor referenceLogits(LlavaModel model) {
    torch::NoGradGuard g;
    auto pixels = torch::linspace(-1, 1, 3 * 56 * 56).view({1, 3, 56, 56});
    auto features = model->imageFeatures(pixels);
    std::vector<int64_t> ids = {1, 5, 6};
    for (int i = 0; i < 16; ++i)
        ids.push_back(380);
    ids.push_back(7);
    return model->forwardLogits(torch::tensor(ids), torch::Tensor(), features);
}

template <typename E>
QString expectError(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const E& e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        return QStringLiteral("WRONG EXCEPTION TYPE: ") + e.what();
    }
    return QStringLiteral("NO EXCEPTION");
}
}  // namespace

class TestWeights : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    torch::Tensor m_reference;

    fs::path dir(const char* name) const { return fs::path(m_tmp.path().toStdString()) / name; }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        auto loaded = loadLlava(kFixture.string(), {});
        QCOMPARE(loaded.report.layout, CheckpointLayout::LegacyHf);
        QCOMPARE(loaded.report.storedDType, std::string("F32"));
        m_reference = referenceLogits(loaded.model);
    }

    void currentLayoutLoadsTheSameModel() {
        writeModel(dir("current"), renamed(fixtureTensors(), toCurrentLayout), fixtureConfig());
        auto loaded = loadLlava(dir("current").string(), {});
        QCOMPARE(loaded.report.layout, CheckpointLayout::Current);
        QVERIFY(torch::equal(referenceLogits(loaded.model), m_reference));
    }

    void shardedCheckpointLoads() {
        auto tensors = renamed(fixtureTensors(), toCurrentLayout);
        const auto d = dir("sharded");
        fs::create_directories(d);
        SafetensorsWriter a, b;
        sena::util::Json map = sena::util::Json::object();
        int i = 0;
        for (const auto& [k, v] : tensors) {
            const bool first = (i++ % 2) == 0;
            addTensor(first ? a : b, k, v);
            map[k] = first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
        }
        a.write((d / "model-00001-of-00002.safetensors").string());
        b.write((d / "model-00002-of-00002.safetensors").string());
        std::ofstream(d / "model.safetensors.index.json") << sena::util::Json{{"metadata", {{"total_size", 0}}},
                                                                               {"weight_map", map}}.dump();
        std::ofstream(d / "config.json") << fixtureConfig().dump();
        auto loaded = loadLlava(d.string(), {});
        QCOMPARE(loaded.report.shards, size_t(2));
        QVERIFY(torch::equal(referenceLogits(loaded.model), m_reference));
        fs::remove(d / "model-00002-of-00002.safetensors");
        QVERIFY(expectError<sena::FormatError>([&] { loadLlava(d.string(), {}); }).contains("missing"));
    }

    void bfloat16WeightsLoadIntoFloat32() {
        Tensors t = fixtureTensors();
        for (auto& [k, v] : t)
            v = v.to(torch::kBFloat16);
        writeModel(dir("bf16"), t, fixtureConfig());
        auto loaded = loadLlava(dir("bf16").string(), {});
        QCOMPARE(loaded.report.storedDType, std::string("BF16"));
        const double diff = (referenceLogits(loaded.model) - m_reference).abs().max().item<double>();
        QVERIFY2(diff > 0 && diff < 0.5, qPrintable(QString::number(diff)));
    }

    void tiedHeadUsesTheEmbeddings() {
        Tensors t = fixtureTensors();
        t.erase("language_model.lm_head.weight");
        auto cfg = fixtureConfig();
        cfg["text_config"]["tie_word_embeddings"] = true;
        writeModel(dir("tied"), t, cfg);
        auto loaded = loadLlava(dir("tied").string(), {});
        QVERIFY(!loaded.model->lm_head);
        torch::NoGradGuard g;
        auto h = torch::randn({2, 64});
        QVERIFY(torch::allclose(loaded.model->logits(h),
                                torch::matmul(h, t["language_model.model.embed_tokens.weight"].t())));
    }

    void missingTensorIsNamed() {
        Tensors t = fixtureTensors();
        t.erase("language_model.model.layers.1.mlp.up_proj.weight");
        writeModel(dir("missing"), t, fixtureConfig());
        auto msg = expectError<sena::WeightsError>([&] { loadLlava(dir("missing").string(), {}); });
        QVERIFY2(msg.contains("language_model.layers.1.mlp.up_proj.weight") && msg.contains("lacks"), qPrintable(msg));
    }

    void unexpectedTensorIsNamed() {
        Tensors t = fixtureTensors();
        t["language_model.model.layers.7.mlp.up_proj.weight"] = torch::zeros({2, 2});
        writeModel(dir("unexpected"), t, fixtureConfig());
        auto msg = expectError<sena::WeightsError>([&] { loadLlava(dir("unexpected").string(), {}); });
        QVERIFY2(msg.contains("layers.7.mlp.up_proj") && msg.contains("does not use"), qPrintable(msg));
    }

    void configThatDisagreesWithWeights() {
        auto cfg = fixtureConfig();
        cfg["text_config"]["intermediate_size"] = 160;
        writeModel(dir("disagree"), fixtureTensors(), cfg);
        auto msg = expectError<sena::WeightsError>([&] { loadLlava(dir("disagree").string(), {}); });
        QVERIFY2(msg.contains("disagree with config.json") && msg.contains("[176, 64]"), qPrintable(msg));
        cfg = fixtureConfig();
        cfg["text_config"]["num_hidden_layers"] = 2;
        writeModel(dir("fewer-layers"), fixtureTensors(), cfg);
        msg = expectError<sena::WeightsError>([&] { loadLlava(dir("fewer-layers").string(), {}); });
        QVERIFY2(msg.contains("layers.2."), qPrintable(msg));
    }

    void unusedVisionWeightsAreReportedNotLoaded() {
        auto loaded = loadLlava(kFixture.string(), {});
        // Feature layer −2 of 3: the last encoder layer and post_layernorm are never read.
        bool sawLastLayer = false, sawPostNorm = false;
        for (const auto& s : loaded.report.ignored) {
            sawLastLayer = sawLastLayer || s.find("encoder.layers.2.") != std::string::npos;
            sawPostNorm = sawPostNorm || s.find("post_layernorm") != std::string::npos;
        }
        QVERIFY(sawLastLayer && sawPostNorm);
    }

    void brokenFoldersGiveClearErrors() {
        QVERIFY(expectError<sena::ConfigError>([&] { loadLlava(dir("nowhere").string(), {}); }).contains("not a folder"));
        fs::create_directories(dir("noconfig"));
        QVERIFY(expectError<sena::ConfigError>([&] { loadLlava(dir("noconfig").string(), {}); }).contains("config.json"));
        auto cfg = fixtureConfig();
        cfg["model_type"] = "llava_onevision";
        writeModel(dir("arch"), fixtureTensors(), cfg);
        QVERIFY(expectError<sena::ConfigError>([&] { loadLlava(dir("arch").string(), {}); }).contains("llava_onevision"));
        // Truncated weights file.
        writeModel(dir("truncated"), fixtureTensors(), fixtureConfig());
        const auto file = dir("truncated") / "model.safetensors";
        fs::resize_file(file, fs::file_size(file) / 2);
        QVERIFY(expectError<sena::FormatError>([&] { loadLlava(dir("truncated").string(), {}); }).contains("truncated"));
        // Empty weights file, and a folder with no weights.
        writeModel(dir("empty"), fixtureTensors(), fixtureConfig());
        fs::resize_file(dir("empty") / "model.safetensors", 0);
        QVERIFY(expectError<sena::FormatError>([&] { loadLlava(dir("empty").string(), {}); }).contains("0 bytes"));
        fs::remove(dir("empty") / "model.safetensors");
        QVERIFY(expectError<sena::FormatError>([&] { loadLlava(dir("empty").string(), {}); }).contains("neither"));
    }

    void layoutMapping() {
        QCOMPARE(internalName("language_model.model.norm.weight", CheckpointLayout::LegacyHf),
                 std::string("language_model.norm.weight"));
        QCOMPARE(internalName("language_model.lm_head.weight", CheckpointLayout::LegacyHf), std::string("lm_head.weight"));
        QCOMPARE(internalName("model.vision_tower.vision_model.pre_layrnorm.bias", CheckpointLayout::Current),
                 std::string("vision_tower.vision_model.pre_layrnorm.bias"));
        QCOMPARE(internalName("model.mm_projector.2.weight", CheckpointLayout::OriginalLlava),
                 std::string("multi_modal_projector.linear_2.weight"));
        QCOMPARE(internalName("model.layers.0.self_attn.q_proj.weight", CheckpointLayout::OriginalLlava),
                 std::string("language_model.layers.0.self_attn.q_proj.weight"));
        QVERIFY(internalName("model.layers.0.self_attn.rotary_emb.inv_freq", CheckpointLayout::OriginalLlava).empty());
        // transformers 5 drops the "vision_model." level; older files keep it.
        QCOMPARE(internalName("vision_tower.embeddings.class_embedding", CheckpointLayout::LegacyHf),
                 std::string("vision_tower.vision_model.embeddings.class_embedding"));
        QCOMPARE(internalName("vision_tower.vision_model.embeddings.class_embedding", CheckpointLayout::LegacyHf),
                 std::string("vision_tower.vision_model.embeddings.class_embedding"));
        QCOMPARE(detectLayout({"model.mm_projector.0.weight", "model.layers.0.mlp.up_proj.weight"}),
                 CheckpointLayout::OriginalLlava);
    }
};

int runWeightTests(int argc, char** argv) {
    TestWeights t;
    return QTest::qExec(&t, argc, argv);
}

#include "test_weights.moc"
