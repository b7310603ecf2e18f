// LoRA adapters in PEFT's format (parity with PEFT, key spellings, targeting, scaling, save/load),
// merging, and full HF checkpoints written from a merged model.
#include "model/CheckpointWriter.h"
#include "model/LoraAdapter.h"
#include "model/ParityCheck.h"
#include "model/Safetensors.h"
#include "model/TensorIO.h"
#include "model/WeightLoader.h"
#include "util/Error.h"
#include "util/Json.h"

#include <QTemporaryDir>
#include <QtTest>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

using namespace sena::model;
namespace fs = std::filesystem;
using sena::util::Json;

namespace {
const fs::path kBase = fs::path(SENA_FIXTURES_DIR) / "hf/tiny-llava-llama-clip";
const fs::path kLora = fs::path(SENA_FIXTURES_DIR) / "hf/tiny-llava-llama-clip-lora";

using Tensors = std::map<std::string, torch::Tensor>;

Tensors readTensors(const fs::path& file) {
    SafetensorsFile f(file.string());
    Tensors out;
    for (const auto& t : f.tensors())
        out[t.name] = toTensor(t);
    return out;
}

std::string readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

Json fixtureAdapterConfig() { return sena::util::readJsonFile((kLora / "adapter_config.json").string()); }

void writeAdapter(const fs::path& dir, const Tensors& tensors, const std::string& configText) {
    fs::create_directories(dir);
    SafetensorsWriter w;
    for (const auto& [k, v] : tensors)
        addTensor(w, k, v);
    w.write((dir / "adapter_model.safetensors").string());
    std::ofstream(dir / "adapter_config.json") << configText;
}

Tensors renamed(const Tensors& in, const std::function<std::string(const std::string&)>& f) {
    Tensors out;
    for (const auto& [k, v] : in)
        out[f(k)] = v;
    return out;
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
    return s;
}

LlavaModel baseModel(torch::ScalarType dtype = torch::kFloat32) {
    ComputeOptions o;
    o.dtype = dtype;
    return loadLlava(kBase.string(), o).model;
}

// Logits [29, 384] of the fixture's prompt and image (the inputs of both expected files).
torch::Tensor fixtureLogits(LlavaModel model) {
    torch::NoGradGuard g;
    static const Json expected = sena::util::readJsonFile((kBase / "expected.json").string());
    static const torch::Tensor pixels = readTensors(kBase / "expected.safetensors").at("pixel_values");
    auto ids = torch::tensor(expected.at("input_ids").get<std::vector<int64_t>>(), torch::kLong);
    auto features = model->imageFeatures(pixels.unsqueeze(0).to(model->dtype()));
    return model->forwardLogits(ids, torch::Tensor(), features)[0];
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

LinearImpl& linearAt(LlavaModel& model, const std::string& name) {
    for (const auto& item : model->named_modules())
        if (item.key() == name)
            return *std::dynamic_pointer_cast<LinearImpl>(item.value());
    throw std::runtime_error("no module " + name);
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
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

// A list replaces the default SENA regex: the list is used whenever it is non-empty.
LoraConfig listConfig(std::vector<std::string> names) {
    LoraConfig c;
    c.targetModules = std::move(names);
    return c;
}
}  // namespace

class TestLora : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    torch::Tensor m_baseLogits, m_loraLogits, m_expected;

    fs::path dir(const std::string& name) const { return fs::path(m_tmp.path().toStdString()) / name; }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_expected = readTensors(kLora / "expected.safetensors").at("logits");
        m_baseLogits = fixtureLogits(baseModel());
        auto model = baseModel();
        loadLoraAdapter(model, kLora.string());
        m_loraLogits = fixtureLogits(model);
    }

    void fixtureAdapterMatchesPeft() {
        auto model = baseModel();
        const auto loaded = loadLoraAdapter(model, kLora.string());
        QCOMPARE(loaded.modules.size(), size_t(21));  // 3 layers × 7 projections, language model only
        QCOMPARE(loaded.layout, CheckpointLayout::Current);
        QVERIFY(loaded.adapterName.empty() && loaded.ignored.empty());
        QCOMPARE(loaded.config.r, int64_t(4));
        const double diff = maxDiff(fixtureLogits(model), m_expected);
        qInfo("LoRA fixture parity: max |diff| = %.3e", diff);
        QVERIFY2(diff <= 1e-4, qPrintable(QString::number(diff)));
        // The adapter matters: without it the logits are far from PEFT's.
        QVERIFY(maxDiff(m_baseLogits, m_expected) > 1e-2);
    }

    void parityCheckAppliesTheAdapter() {
        ParityOptions o;
        o.adapterDir = kLora.string();
        const auto results = ParityCheck::run(kBase.string(), o, nullptr);
        bool sawLogits = false, sawNote = false;
        for (const auto& r : results) {
            QVERIFY2(r.passed, qPrintable(QString::fromStdString(r.name + ": " + r.note)));
            QVERIFY(r.name != "greedy_new_tokens");  // the base folder's tokens do not apply
            if (r.name == "logits") {
                sawLogits = true;
                QVERIFY(r.maxAbsDiff <= 1e-4);
            }
            sawNote = sawNote || r.note.find("base folder's outputs do not apply") != std::string::npos;
        }
        QVERIFY(sawLogits && sawNote);
    }

    void keySpellingsLoadIdentically() {
        const Tensors fixture = readTensors(kLora / "adapter_model.safetensors");
        const std::string config = readText(kLora / "adapter_config.json");
        const std::string current = "base_model.model.model.language_model.";
        const std::string legacy = "base_model.model.language_model.model.";
        auto toLegacy = [&](const std::string& k) { return replaceAll(k, current, legacy); };
        auto named = [](const std::string& k) {
            return replaceAll(replaceAll(k, ".lora_A.weight", ".lora_A.default.weight"), ".lora_B.weight",
                              ".lora_B.default.weight");
        };
        struct Variant {
            const char* name;
            std::function<std::string(const std::string&)> rename;
            CheckpointLayout layout;
        } variants[] = {
            {"legacy", toLegacy, CheckpointLayout::LegacyHf},
            {"named", named, CheckpointLayout::Current},
            {"legacy-named", [&](const std::string& k) { return named(toLegacy(k)); }, CheckpointLayout::LegacyHf},
        };
        for (const auto& v : variants) {
            writeAdapter(dir(v.name), renamed(fixture, v.rename), config);
            auto model = baseModel();
            const auto loaded = loadLoraAdapter(model, dir(v.name).string());
            QCOMPARE(loaded.layout, v.layout);
            QCOMPARE(loaded.modules.size(), size_t(21));
            QVERIFY2(torch::equal(fixtureLogits(model), m_loraLogits), v.name);
        }
        auto model = baseModel();
        QCOMPARE(loadLoraAdapter(model, dir("named").string()).adapterName, std::string("default"));

        // An adapter trained on older transformers matched its regex against the old module paths.
        Json legacyConfig = fixtureAdapterConfig();
        legacyConfig["target_modules"] = R"(language_model\.model\.layers\.\d+\.(self_attn|mlp)\.[a-z]+_proj)";
        writeAdapter(dir("legacy-regex"), renamed(fixture, toLegacy), legacyConfig.dump());
        model = baseModel();
        QCOMPARE(loadLoraAdapter(model, dir("legacy-regex").string()).modules.size(), size_t(21));
        QVERIFY(torch::equal(fixtureLogits(model), m_loraLogits));
        QCOMPARE(peftModuleKey("lm_head", CheckpointLayout::LegacyHf), std::string("language_model.lm_head"));
    }

    void defaultInitLeavesTheModelUnchanged() {
        auto model = baseModel();
        const auto wrapped = attachLora(model, LoraConfig{}, 7);
        QCOMPARE(wrapped.size(), size_t(21));
        QVERIFY(torch::equal(fixtureLogits(model), m_baseLogits));
        auto& q = linearAt(model, "language_model.layers.0.self_attn.q_proj");
        QCOMPARE(q.loraA().scalar_type(), torch::kFloat32);
        QVERIFY(q.loraA().sizes() == torch::IntArrayRef({8, 64}));
        QVERIFY(q.loraB().abs().max().item<double>() == 0);
        const double bound = 1.0 / std::sqrt(64.0);
        QVERIFY(q.loraA().abs().max().item<double>() <= bound);
        QVERIFY(q.loraA().abs().max().item<double>() > 0.8 * bound);  // uniform over the whole range
        // Same seed, same draws; another seed, other draws.
        auto again = baseModel();
        attachLora(again, LoraConfig{}, 7);
        QVERIFY(torch::equal(linearAt(again, "language_model.layers.0.self_attn.q_proj").loraA(), q.loraA()));
        auto other = baseModel();
        attachLora(other, LoraConfig{}, 8);
        QVERIFY(!torch::equal(linearAt(other, "language_model.layers.0.self_attn.q_proj").loraA(), q.loraA()));
        // float32 master weights on a bfloat16 base.
        auto bf16 = baseModel(torch::kBFloat16);
        attachLora(bf16, LoraConfig{}, 7);
        QCOMPARE(linearAt(bf16, "language_model.layers.2.mlp.down_proj").loraA().scalar_type(), torch::kFloat32);
        QCOMPARE(fixtureLogits(bf16).scalar_type(), torch::kFloat32);
    }

    void regexAndListTargetLikePeft() {
        const std::string visionQ = "model.vision_tower.vision_model.encoder.layers.0.self_attn.q_proj";
        const std::string textQ = "model.language_model.layers.0.self_attn.q_proj";
        const LoraConfig sena;  // default: the SENA regex
        const LoraConfig list = listConfig({"q_proj", "v_proj"});
        QVERIFY(sena.targets(textQ) && !sena.targets(visionQ));
        QVERIFY(list.targets(textQ) && list.targets(visionQ));
        QVERIFY(!list.targets("model.language_model.layers.0.self_attn.xq_proj"));  // whole names only
        QVERIFY(list.targets("q_proj"));
        QCOMPARE(peftModuleKey("language_model.layers.0.self_attn.q_proj"), textQ);
        QCOMPARE(peftModuleKey("lm_head"), std::string("lm_head"));

        auto model = baseModel();
        auto wrapped = attachLora(model, list, 1);
        // 3 text layers × (q, v) + 2 built vision layers (feature layer −2 of 3) × (q, v).
        QCOMPARE(wrapped.size(), size_t(10));
        QVERIFY(contains(wrapped, "vision_tower.vision_model.encoder.layers.1.self_attn.v_proj"));
        QVERIFY(contains(wrapped, "language_model.layers.2.self_attn.q_proj"));
        for (const auto& w : wrapped)
            QVERIFY(w.find("k_proj") == std::string::npos && w.find("out_proj") == std::string::npos);

        model = baseModel();
        wrapped = attachLora(model, sena, 1);
        for (const auto& w : wrapped)
            QVERIFY2(w.rfind("language_model.", 0) == 0, w.c_str());

        LoraConfig all;
        all.targetRegex = "all-linear";
        model = baseModel();
        wrapped = attachLora(model, all, 1);
        QCOMPARE(wrapped.size(), size_t(21 + 2 * 6 + 2));
        QVERIFY(contains(wrapped, "multi_modal_projector.linear_1") && contains(wrapped, "vision_tower.vision_model.encoder.layers.0.mlp.fc1"));
        QVERIFY(!contains(wrapped, "lm_head"));

        LoraConfig excluded = listConfig({"q_proj", "v_proj"});
        excluded.excludeRegex = ".*vision_tower.*";
        model = baseModel();
        QCOMPARE(attachLora(model, excluded, 1).size(), size_t(6));

        model = baseModel();
        auto msg = expectError<sena::ConfigError>([&] { attachLora(model, listConfig({"nonexistent_proj"}), 1); });
        QVERIFY2(msg.contains("nonexistent_proj") && msg.contains("matches no linear layer"), qPrintable(msg));
        LoraConfig noMatch;
        noMatch.targetRegex = R"(.*qformer.*\.query)";
        msg = expectError<sena::ConfigError>([&] { attachLora(model, noMatch, 1); });
        QVERIFY2(msg.contains(R"(.*qformer.*\.query)"), qPrintable(msg));
        QVERIFY(loraModules(model).empty());
        attachLora(model, sena, 1);
        msg = expectError<sena::InputError>([&] { attachLora(model, sena, 2); });
        QVERIFY2(msg.contains("already has a LoRA adapter"), qPrintable(msg));
    }

    void scalingFollowsPeft() {
        LoraConfig c;
        c.r = 16;
        c.loraAlpha = 32;
        const std::string k = "model.language_model.layers.0.self_attn.k_proj";
        QCOMPARE(c.scalingFor(k), 2.0);
        c.useRslora = true;
        QCOMPARE(c.scalingFor(k), 8.0);  // alpha / sqrt(r)

        LoraConfig p;
        p.r = 8;
        p.loraAlpha = 16;
        p.rankPattern = {{"q_proj", 2}};
        p.alphaPattern = {{"layers.1.self_attn.v_proj", 32}};
        auto model = baseModel();
        attachLora(model, p, 3);
        auto& q0 = linearAt(model, "language_model.layers.0.self_attn.q_proj");
        QCOMPARE(q0.loraA().size(0), int64_t(2));
        QCOMPARE(q0.loraScaling(), 8.0);
        QCOMPARE(linearAt(model, "language_model.layers.1.self_attn.v_proj").loraScaling(), 4.0);
        QCOMPARE(linearAt(model, "language_model.layers.0.self_attn.v_proj").loraScaling(), 2.0);
        QCOMPARE(linearAt(model, "language_model.layers.1.self_attn.k_proj").loraA().size(0), int64_t(8));
        // Patterns match whole trailing names: layers.1 is not layers.11, q_proj is not xq_proj.
        QCOMPARE(p.alphaFor("model.language_model.layers.11.self_attn.v_proj"), 16.0);
        QCOMPARE(p.rankFor("model.language_model.layers.0.self_attn.xq_proj"), int64_t(8));

        // The first matching pattern in file order wins, as in PEFT.
        auto cfg = [](const char* patterns) {
            return LoraConfig::fromJsonText(std::string(R"({"peft_type": "LORA", "r": 8, "lora_alpha": 8,
                "target_modules": ["v_proj"], "rank_pattern": )") + patterns + "}", "test");
        };
        const std::string v0 = "model.language_model.layers.0.self_attn.v_proj";
        QCOMPARE(cfg(R"({"v_proj": 4, "layers.0.self_attn.v_proj": 2})").rankFor(v0), int64_t(4));
        QCOMPARE(cfg(R"({"layers.0.self_attn.v_proj": 2, "v_proj": 4})").rankFor(v0), int64_t(2));
    }

    void saveThenLoadRoundTrips() {
        LoraConfig c = listConfig({"q_proj", "v_proj"});
        c.r = 4;
        c.loraAlpha = 8;
        c.useRslora = true;
        c.rankPattern = {{"v_proj", 2}};
        c.initLoraWeights = "false";  // non-zero B, so the adapter changes the logits
        c.baseModelNameOrPath = "tiny-llava-llama-clip";
        auto model = baseModel();
        attachLora(model, c, 11);
        const auto logits = fixtureLogits(model);
        QVERIFY(maxDiff(logits, m_baseLogits) > 1e-3);
        saveLoraAdapter(model, c, dir("saved").string());

        const Json written = sena::util::readJsonFile((dir("saved") / "adapter_config.json").string());
        QCOMPARE(written.at("peft_type").get<std::string>(), std::string("LORA"));
        QCOMPARE(written.at("task_type").get<std::string>(), std::string("CAUSAL_LM"));
        QCOMPARE(written.at("r").get<int>(), 4);
        QCOMPARE(written.at("bias").get<std::string>(), std::string("none"));
        QVERIFY(written.at("use_rslora").get<bool>() && !written.at("use_dora").get<bool>());
        QCOMPARE(written.at("rank_pattern").at("v_proj").get<int>(), 2);
        QVERIFY(written.at("target_modules") == Json::array({"q_proj", "v_proj"}));
        SafetensorsFile file((dir("saved") / "adapter_model.safetensors").string());
        QCOMPARE(file.metadata().at("format"), std::string("pt"));
        QVERIFY(file.contains("base_model.model.model.language_model.layers.0.self_attn.q_proj.lora_A.weight"));
        QVERIFY(file.contains("base_model.model.model.vision_tower.vision_model.encoder.layers.1.self_attn.v_proj.lora_B.weight"));
        // The unbuilt vision layer 2 gets zero adapters so that PEFT finds every module it targets.
        const auto unbuilt = toTensor(file.tensor(
            "base_model.model.model.vision_tower.vision_model.encoder.layers.2.self_attn.v_proj.lora_A.weight"));
        QVERIFY(unbuilt.sizes() == torch::IntArrayRef({2, 48}));
        QVERIFY(unbuilt.abs().max().item<double>() == 0);

        auto reloaded = baseModel();
        const auto loaded = loadLoraAdapter(reloaded, dir("saved").string());
        QCOMPARE(loaded.modules.size(), size_t(10));
        QCOMPARE(loaded.ignored.size(), size_t(2));  // the unbuilt vision layer 2's q_proj and v_proj
        QVERIFY(torch::equal(fixtureLogits(reloaded), logits));
        QCOMPARE(loaded.config.baseModelNameOrPath, std::string("tiny-llava-llama-clip"));

        // The PEFT fixture saved again gives the same keys and values.
        auto peft = baseModel();
        const auto fixture = loadLoraAdapter(peft, kLora.string());
        saveLoraAdapter(peft, fixture.config, dir("resaved").string());
        const Tensors a = readTensors(kLora / "adapter_model.safetensors");
        const Tensors b = readTensors(dir("resaved") / "adapter_model.safetensors");
        QCOMPARE(a.size(), b.size());
        for (const auto& [k, v] : a)
            QVERIFY2(b.count(k) && torch::equal(b.at(k), v), k.c_str());

        // A config that does not describe the model's adapters is refused.
        LoraConfig wrong = fixture.config;
        wrong.r = 8;
        auto msg = expectError<sena::InputError>([&] { saveLoraAdapter(peft, wrong, dir("wrong").string()); });
        QVERIFY2(msg.contains("rank 4") && !fs::exists(dir("wrong")), qPrintable(msg));
    }

    void mergeEqualsTheAdapterModel() {
        auto model = baseModel();
        loadLoraAdapter(model, kLora.string());
        QCOMPARE(mergeLora(model), size_t(21));
        QVERIFY(loraModules(model).empty());
        const double diff = maxDiff(fixtureLogits(model), m_loraLogits);
        QVERIFY2(diff <= 1e-5, qPrintable(QString::number(diff)));
    }

    void mergedModelSavesAsCompleteHfCheckpoint() {
        auto model = baseModel();
        loadLoraAdapter(model, kLora.string());
        auto msg = expectError<sena::InputError>([&] { saveHfCheckpoint(model, kBase.string(), dir("unmerged").string()); });
        QVERIFY2(msg.contains("merge") && !fs::exists(dir("unmerged")), qPrintable(msg));
        mergeLora(model);
        const auto merged = fixtureLogits(model);
        const fs::path out = dir("parent") / "merged";
        const auto report = saveHfCheckpoint(model, kBase.string(), out.string());
        QCOMPARE(report.shards, size_t(1));
        QCOMPARE(report.copiedThrough, size_t(18));  // vision layer 2 (16 tensors) + post_layernorm (2)

        auto reloaded = loadLlava(out.string(), {});
        QCOMPARE(reloaded.report.layout, CheckpointLayout::LegacyHf);
        QVERIFY(torch::equal(fixtureLogits(reloaded.model), merged));

        // Every source tensor is there, under the llava-hf name; the untouched ones byte for byte.
        SafetensorsCheckpoint src = SafetensorsCheckpoint::open(kBase.string());
        SafetensorsFile dst((out / "model.safetensors").string());
        const auto srcKeys = src.names();
        const auto srcLayout = detectLayout(srcKeys);
        std::set<std::string> dstInternal;
        for (const auto& k : dst.names()) {
            QVERIFY2(k.rfind("language_model.model.", 0) == 0 || k == "language_model.lm_head.weight" ||
                         k.rfind("vision_tower.vision_model.", 0) == 0 || k.rfind("multi_modal_projector.", 0) == 0,
                     k.c_str());
            dstInternal.insert(internalName(k, CheckpointLayout::LegacyHf));
        }
        QCOMPARE(dst.names().size(), srcKeys.size());
        for (const auto& k : srcKeys)
            QVERIFY2(dstInternal.count(internalName(k, srcLayout)), k.c_str());
        const auto& a = src.tensor("vision_tower.encoder.layers.2.mlp.fc1.weight");
        const auto& b = dst.tensor("vision_tower.vision_model.encoder.layers.2.mlp.fc1.weight");
        QVERIFY(a.bytes == b.bytes && std::equal(a.data, a.data + a.bytes, b.data));
        QVERIFY(dst.contains("vision_tower.vision_model.post_layernorm.bias"));
        // q_proj carries the merged delta, not the source weight.
        QVERIFY(!torch::equal(toTensor(dst.tensor("language_model.model.layers.0.self_attn.q_proj.weight")),
                              toTensor(src.tensor("language_model.model.layers.0.self_attn.q_proj.weight"))));

        const Json cfg = sena::util::readJsonFile((out / "config.json").string());
        QCOMPARE(cfg.at("dtype").get<std::string>(), std::string("float32"));
        QCOMPARE(cfg.at("text_config").at("hidden_size").get<int>(), 64);
        for (const char* side : {"preprocessor_config.json", "generation_config.json"})
            QCOMPARE(readText(out / side), readText(kBase / side));
        // Nothing but the finished folder is left in the parent.
        QCOMPARE(std::distance(fs::directory_iterator(dir("parent")), fs::directory_iterator()), 1L);

        // An existing folder is kept unless overwriting is asked for.
        msg = expectError<sena::InputError>([&] { saveHfCheckpoint(model, kBase.string(), out.string()); });
        QVERIFY2(msg.contains("already exists"), qPrintable(msg));
        HfSaveOptions bf16;
        bf16.dtype = torch::kBFloat16;
        bf16.overwrite = true;
        saveHfCheckpoint(model, kBase.string(), out.string(), bf16);
        QCOMPARE(sena::util::readJsonFile((out / "config.json").string()).at("dtype").get<std::string>(),
                 std::string("bfloat16"));
        SafetensorsFile half((out / "model.safetensors").string());
        for (const auto& t : half.tensors())
            QVERIFY2(t.dtype == DType::BF16, t.name.c_str());
        QVERIFY(maxDiff(fixtureLogits(loadLlava(out.string(), {}).model), merged) < 0.5);
        QCOMPARE(std::distance(fs::directory_iterator(dir("parent")), fs::directory_iterator()), 1L);
    }

    void shardedAndCurrentLayoutCheckpointsReload() {
        auto model = baseModel();
        loadLoraAdapter(model, kLora.string());
        mergeLora(model);
        const auto merged = fixtureLogits(model);

        HfSaveOptions sharded;
        sharded.maxShardBytes = 300'000;
        const auto report = saveHfCheckpoint(model, kBase.string(), dir("sharded").string(), sharded);
        QVERIFY(report.shards >= 3);
        QVERIFY(!fs::exists(dir("sharded") / "model.safetensors"));
        const Json index = sena::util::readJsonFile((dir("sharded") / "model.safetensors.index.json").string());
        QCOMPARE(index.at("metadata").at("total_size").get<uint64_t>(), report.totalBytes);
        QCOMPARE(index.at("weight_map").size(), report.tensors);
        std::uint64_t bytes = 0;
        for (std::size_t i = 1; i <= report.shards; ++i) {
            char name[64];
            std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors", i, report.shards);
            SafetensorsFile shard((dir("sharded") / name).string());
            for (const auto& t : shard.tensors()) {
                QCOMPARE(index.at("weight_map").at(t.name).get<std::string>(), std::string(name));
                bytes += t.bytes;
            }
        }
        QCOMPARE(bytes, report.totalBytes);
        QVERIFY(torch::equal(fixtureLogits(loadLlava(dir("sharded").string(), {}).model), merged));

        HfSaveOptions current;
        current.layout = CheckpointLayout::Current;
        saveHfCheckpoint(model, kBase.string(), dir("current").string(), current);
        SafetensorsFile f((dir("current") / "model.safetensors").string());
        for (const auto& k : f.names())
            QVERIFY2(k.rfind("model.", 0) == 0 || k == "lm_head.weight", k.c_str());
        QVERIFY(f.contains("model.vision_tower.vision_model.encoder.layers.2.self_attn.k_proj.bias"));
        auto reloaded = loadLlava(dir("current").string(), {});
        QCOMPARE(reloaded.report.layout, CheckpointLayout::Current);
        QVERIFY(torch::equal(fixtureLogits(reloaded.model), merged));
        QCOMPARE(checkpointKey("lm_head.weight", CheckpointLayout::LegacyHf), std::string("language_model.lm_head.weight"));
    }

    void brokenAdaptersGiveClearErrors() {
        const Tensors fixture = readTensors(kLora / "adapter_model.safetensors");
        const std::string config = readText(kLora / "adapter_config.json");
        auto patched = [](const std::function<void(Json&)>& f) {
            Json j = fixtureAdapterConfig();
            f(j);
            return j.dump(2);
        };
        auto load = [&](const std::string& name) {
            auto model = baseModel();
            try {
                loadLoraAdapter(model, dir(name).string());
            } catch (...) {
                if (!loraModules(model).empty())
                    throw std::logic_error("a failed load left adapters attached");
                throw;
            }
        };
        const std::string k1 = "base_model.model.model.language_model.layers.1.self_attn.k_proj.lora_B.weight";

        Tensors t = fixture;
        t.erase(k1);
        writeAdapter(dir("b-missing"), t, config);
        auto msg = expectError<sena::WeightsError>([&] { load("b-missing"); });
        QVERIFY2(msg.contains(QString::fromStdString(k1)) && msg.contains("missing"), qPrintable(msg));

        writeAdapter(dir("b-rank"), fixture, patched([](Json& j) { j["r"] = 8; }));
        msg = expectError<sena::WeightsError>([&] { load("b-rank"); });
        QVERIFY2(msg.contains("rank 4 in the file") && msg.contains("says 8"), qPrintable(msg));

        t = fixture;
        t["base_model.model.model.language_model.layers.0.mlp.up_proj.lora_A.weight"] = torch::zeros({4, 65});
        writeAdapter(dir("b-shape"), t, config);
        msg = expectError<sena::WeightsError>([&] { load("b-shape"); });
        QVERIFY2(msg.contains("layers.0.mlp.up_proj") && msg.contains("[4, 65]"), qPrintable(msg));

        t = fixture;
        t["base_model.model.lm_head.lora_A.weight"] = torch::zeros({4, 64});
        t["base_model.model.lm_head.lora_B.weight"] = torch::zeros({384, 4});
        writeAdapter(dir("b-unexpected"), t, config);
        msg = expectError<sena::WeightsError>([&] { load("b-unexpected"); });
        QVERIFY2(msg.contains("base_model.model.lm_head.lora_A.weight") && msg.contains("lm_head is not supported"),
                 qPrintable(msg));

        t = fixture;
        t["base_model.model.model.language_model.layers.0.self_attn.q_proj.lora_magnitude_vector"] = torch::ones({64});
        writeAdapter(dir("b-dora-tensor"), t, config);
        msg = expectError<sena::WeightsError>([&] { load("b-dora-tensor"); });
        QVERIFY2(msg.contains("lora_magnitude_vector"), qPrintable(msg));

        t = fixture;
        t[replaceAll(k1, "lora_B.weight", "lora_B.other.weight")] = fixture.at(k1);
        t[replaceAll(k1, "lora_B.weight", "lora_B.default.weight")] = fixture.at(k1);
        t.erase(k1);
        writeAdapter(dir("b-two-names"), t, config);
        msg = expectError<sena::WeightsError>([&] { load("b-two-names"); });
        QVERIFY2(msg.contains("several adapters"), qPrintable(msg));

        const std::pair<const char*, std::function<void(Json&)>> refused[] = {
            {"DoRA", [](Json& j) { j["use_dora"] = true; }},
            {"bias 'all'", [](Json& j) { j["bias"] = "all"; }},
            {"fan_in_fan_out", [](Json& j) { j["fan_in_fan_out"] = true; }},
            {"modules_to_save", [](Json& j) { j["modules_to_save"] = {"multi_modal_projector"}; }},
            {"peft_type is 'IA3'", [](Json& j) { j["peft_type"] = "IA3"; }},
            {"layers_to_transform", [](Json& j) { j["layers_to_transform"] = {0, 1}; }},
            {"init_lora_weights 'pissa'", [](Json& j) { j["init_lora_weights"] = "pissa"; }},
            {"'r'", [](Json& j) { j.erase("r"); }},
        };
        int i = 0;
        for (const auto& [expected, change] : refused) {
            const std::string name = "b-config-" + std::to_string(i++);
            writeAdapter(dir(name), fixture, patched(change));
            msg = expectError<sena::ConfigError>([&] { load(name); });
            QVERIFY2(msg.contains(expected) && msg.contains("adapter_config.json"), qPrintable(msg));
        }

        fs::create_directories(dir("b-bin"));
        std::ofstream(dir("b-bin") / "adapter_config.json") << config;
        std::ofstream(dir("b-bin") / "adapter_model.bin") << "PK";
        msg = expectError<sena::FormatError>([&] { load("b-bin"); });
        QVERIFY2(msg.contains("adapter_model.bin") && msg.contains("safetensors"), qPrintable(msg));

        writeAdapter(dir("b-json"), fixture, "{\"peft_type\": \"LORA\", ");
        msg = expectError<sena::FormatError>([&] { load("b-json"); });
        QVERIFY2(msg.contains("adapter_config.json") && msg.contains("not valid JSON"), qPrintable(msg));

        msg = expectError<sena::ConfigError>([&] { load("b-nowhere"); });
        QVERIFY2(msg.contains("not a folder"), qPrintable(msg));

        auto model = baseModel();
        loadLoraAdapter(model, kLora.string());
        msg = expectError<sena::InputError>([&] { loadLoraAdapter(model, kLora.string()); });
        QVERIFY2(msg.contains("already has a LoRA adapter"), qPrintable(msg));
    }
};

QTEST_GUILESS_MAIN(TestLora)
#include "test_lora.moc"
