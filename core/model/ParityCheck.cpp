#include "model/ParityCheck.h"

#include "model/Generator.h"
#include "model/LoraAdapter.h"
#include "model/Safetensors.h"
#include "model/Scorer.h"
#include "model/TensorIO.h"
#include "model/WeightLoader.h"
#include "util/Error.h"
#include "util/Json.h"

#include <torch/torch.h>

#include <filesystem>
#include <memory>

namespace sena::model {
namespace fs = std::filesystem;

double parityTolerance(const std::string& dtype) {
    if (dtype == "float32")
        return 1e-4;
    return 4e-2;  // relative: bf16 keeps 8 bits of mantissa, errors grow through the layers
}

namespace {

std::vector<int64_t> idList(const util::Json& json, const std::string& key, const std::string& where) {
    if (!json.contains(key) || !json[key].is_array())
        throw FormatError(where + ": '" + key + "' is missing or not a list");
    std::vector<int64_t> out;
    for (const auto& v : json[key]) {
        if (!v.is_number_integer())
            throw FormatError(where + ": '" + key + "' holds a non-integer");
        out.push_back(v.get<int64_t>());
    }
    return out;
}

std::vector<std::vector<int64_t>> idRows(const util::Json& json, const std::string& key, const std::string& where) {
    if (!json.contains(key) || !json[key].is_array())
        throw FormatError(where + ": '" + key + "' is missing or not a list of lists");
    std::vector<std::vector<int64_t>> out;
    for (size_t i = 0; i < json[key].size(); ++i) {
        util::Json row = {{"r", json[key][i]}};
        out.push_back(idList(row, "r", where + ": " + key));
    }
    return out;
}

class Recorder {
public:
    Recorder(const ParityOptions& o, bool lowPrecision) : m_options(o), m_low(lowPrecision) {}

    void tensor(const std::string& name, const torch::Tensor& ours, const torch::Tensor& ref, std::string note = {}) {
        ParityComparison c;
        c.name = name;
        c.kind = "max_abs";
        if (ours.sizes() != ref.sizes()) {
            c.note = "shape " + c10::str(ours.sizes()) + " vs reference " + c10::str(ref.sizes());
            m_out.push_back(c);
            return;
        }
        auto a = ours.to(torch::kCPU, torch::kFloat64), b = ref.to(torch::kCPU, torch::kFloat64);
        c.maxAbsDiff = (a - b).abs().max().item<double>();
        const double base = m_options.tolerance >= 0 ? m_options.tolerance
                                                     : parityTolerance(m_low ? "bfloat16" : "float32");
        c.tolerance = m_low ? base * std::max(1.0, b.abs().max().item<double>()) : base;
        c.passed = std::isfinite(c.maxAbsDiff) && c.maxAbsDiff <= c.tolerance;
        c.note = std::move(note);
        m_out.push_back(c);
    }

    void pixels(const torch::Tensor& ours, const torch::Tensor& ref) {
        ParityComparison c;
        c.name = "pixel_values";
        c.kind = "max_abs";
        c.tolerance = m_options.pixelTolerance;
        if (ours.sizes() != ref.sizes()) {
            c.note = "shape " + c10::str(ours.sizes()) + " vs reference " + c10::str(ref.sizes());
        } else {
            c.maxAbsDiff = (ours.to(torch::kFloat64) - ref.to(torch::kFloat64)).abs().max().item<double>();
            c.passed = c.maxAbsDiff <= c.tolerance;
            c.note = "our preprocessing of image.png";
        }
        m_out.push_back(c);
    }

    // Token sequences must match exactly in float32. In reduced precision two candidates whose
    // logits differ by less than the rounding step may swap, so only the first token is binding.
    void tokens(const std::string& name, const std::vector<int64_t>& ours, const std::vector<int64_t>& ref) {
        ParityComparison c;
        c.name = name;
        c.kind = "tokens";
        c.total = static_cast<int64_t>(ref.size());
        while (c.matched < c.total && c.matched < static_cast<int64_t>(ours.size()) && ours[c.matched] == ref[c.matched])
            ++c.matched;
        if (m_low) {
            c.passed = !ref.empty() && c.matched >= 1;
            c.note = "reduced precision: first token binding, prefix reported";
        } else {
            c.passed = c.matched == c.total && ours.size() == ref.size();
        }
        m_out.push_back(c);
    }

    void skipped(const std::string& name, const std::string& why) {
        ParityComparison c;
        c.name = name;
        c.kind = "skipped";
        c.passed = true;
        c.note = why;
        m_out.push_back(c);
    }

    std::vector<ParityComparison> take() { return std::move(m_out); }

private:
    const ParityOptions& m_options;
    bool m_low;
    std::vector<ParityComparison> m_out;
};

}  // namespace

std::vector<ParityComparison> ParityCheck::run(const std::string& dir, const ParityOptions& options,
                                               const std::vector<float>* ourPixels) {
    const fs::path root(dir);
    for (const char* f : {"expected.json", "expected.safetensors"})
        if (!fs::exists(root / f))
            throw FormatError("'" + dir + "' has no " + f + "; a parity folder holds the checkpoint plus " +
                              "expected.json and expected.safetensors made by transformers");
    const std::string expectedJsonPath = (root / "expected.json").string();
    const util::Json expected = util::readJsonFile(expectedJsonPath);
    if (!expected.is_object())
        throw FormatError("'" + expectedJsonPath + "' is not a JSON object");
    SafetensorsFile refs((root / "expected.safetensors").string());
    auto ref = [&](const std::string& name) { return toTensor(refs.tensor(name)); };

    // With an adapter, the inputs (ids, pixel values) still come from the base folder, but the
    // references for the model's outputs come from the adapter folder: the base folder's outputs
    // describe the model without the adapter and no longer apply.
    const bool withAdapter = !options.adapterDir.empty();
    const fs::path adapterRoot(options.adapterDir);
    std::unique_ptr<SafetensorsFile> adapterRefs;
    util::Json adapterExpected = util::Json::object();
    const std::string outputsJsonPath = withAdapter ? (adapterRoot / "expected.json").string() : expectedJsonPath;
    if (withAdapter) {
        if (!fs::exists(adapterRoot / "expected.safetensors"))
            throw FormatError("'" + options.adapterDir + "' has no expected.safetensors; an adapter parity folder " +
                              "holds the adapter plus the outputs transformers + PEFT gave with it applied");
        adapterRefs = std::make_unique<SafetensorsFile>((adapterRoot / "expected.safetensors").string());
        if (fs::exists(outputsJsonPath))
            adapterExpected = util::readJsonFile(outputsJsonPath);
        if (!adapterExpected.is_object())
            throw FormatError("'" + outputsJsonPath + "' is not a JSON object");
    }
    const SafetensorsFile& outRefs = withAdapter ? *adapterRefs : refs;
    const util::Json& outputs = withAdapter ? adapterExpected : expected;
    auto outRef = [&](const std::string& name) { return toTensor(outRefs.tensor(name)); };

    auto loaded = loadLlava(dir, options.compute);
    auto model = loaded.model;
    const auto& cfg = loaded.config;
    torch::NoGradGuard noGrad;
    const bool low = options.compute.dtype != torch::kFloat32;
    Recorder rec(options, low);
    std::string adapterNote;
    if (withAdapter) {
        const auto adapter = loadLoraAdapter(model, options.adapterDir);
        adapterNote = "with LoRA adapter (" + std::to_string(adapter.modules.size()) + " layers)";
        const bool tokens = fs::exists(outputsJsonPath);
        rec.skipped("base-model outputs", "adapter run: compared with what " + options.adapterDir +
                                              "/expected.safetensors" + (tokens ? " and expected.json" : "") +
                                              " provide; the base folder's outputs do not apply");
    }

    if (!refs.contains("pixel_values"))
        throw FormatError("'" + dir + "/expected.safetensors' has no pixel_values; the model checks need them");
    auto pv = ref("pixel_values");
    if (ourPixels) {
        if (static_cast<int64_t>(ourPixels->size()) == pv.numel())
            rec.pixels(torch::from_blob(const_cast<float*>(ourPixels->data()), pv.sizes(), torch::kFloat32).clone(), pv);
        else
            rec.pixels(torch::from_blob(const_cast<float*>(ourPixels->data()),
                                        {static_cast<int64_t>(ourPixels->size())}, torch::kFloat32)
                           .clone(),
                       pv);
    } else {
        rec.skipped("pixel_values", "image.png not decoded by this build");
    }
    auto pixels = pv.unsqueeze(0).to(options.compute.device);

    if (outRefs.contains("vision_hidden_selected") && !cfg.featureLayerIsList) {
        auto hs = model->vision_tower->forward(pixels, cfg.featureLayerIndices());
        rec.tensor("vision_hidden_selected", hs[0][0], outRef("vision_hidden_selected"), adapterNote);
    }
    auto features = model->imageFeatures(pixels);
    if (outRefs.contains("image_features"))
        rec.tensor("image_features", features.reshape({-1, features.size(-1)}), outRef("image_features"), adapterNote);

    const auto inputIds = idList(expected, "input_ids", expectedJsonPath);
    if (outRefs.contains("logits")) {
        auto logits = model->forwardLogits(torch::tensor(inputIds, torch::kLong), torch::Tensor(), features);
        rec.tensor("logits", logits[0], outRef("logits"), adapterNote);
    }
    if (outRefs.contains("response_token_logps")) {
        Scorer scorer(model);
        auto scored = scorer.score({{inputIds, idList(expected, "response_ids", expectedJsonPath)}}, features);
        rec.tensor("response_token_logps", torch::tensor(scored[0].tokenLogprobs), outRef("response_token_logps"),
                   adapterNote);
    }
    Generator generator(model);
    SamplingOptions greedy;
    greedy.eosTokenIds = cfg.text.eosTokenIds;
    greedy.padTokenId = cfg.text.padTokenId.value_or(0);
    if (outputs.contains("greedy_new_tokens")) {
        const auto want = idList(outputs, "greedy_new_tokens", outputsJsonPath);
        greedy.maxNewTokens = greedy.minNewTokens = static_cast<int64_t>(want.size());
        auto got = generator.generate({inputIds}, features, greedy);
        rec.tokens("greedy_new_tokens", got[0].tokens, want);
    }
    if (expected.contains("batch_input_ids")) {
        const auto rows = idRows(expected, "batch_input_ids", expectedJsonPath);
        const auto masks = idRows(expected, "batch_attention_mask", expectedJsonPath);
        if (rows.size() != masks.size())
            throw FormatError(expectedJsonPath + ": batch_input_ids and batch_attention_mask differ in length");
        std::vector<std::vector<int64_t>> prompts;
        int64_t images = 0;
        for (size_t r = 0; r < rows.size(); ++r) {
            if (rows[r].size() != masks[r].size())
                throw FormatError(expectedJsonPath + ": batch row " + std::to_string(r) + " and its mask differ in length");
            std::vector<int64_t> p;
            for (size_t i = 0; i < rows[r].size(); ++i)
                if (masks[r][i])
                    p.push_back(rows[r][i]);
            int64_t imageTokens = 0;
            for (auto id : p)
                imageTokens += id == cfg.imageTokenId;
            images += imageTokens / std::max<int64_t>(1, cfg.imageSeqLength());
            prompts.push_back(std::move(p));
        }
        // The reference batch repeats the one image for every row.
        auto batchFeatures = features.expand({images, features.size(1), features.size(2)}).contiguous();
        if (outRefs.contains("batch_logits_last")) {
            std::vector<int64_t> flatIds, flatMask;
            for (size_t r = 0; r < rows.size(); ++r) {
                flatIds.insert(flatIds.end(), rows[r].begin(), rows[r].end());
                flatMask.insert(flatMask.end(), masks[r].begin(), masks[r].end());
            }
            const int64_t n = static_cast<int64_t>(rows.size()), len = static_cast<int64_t>(rows[0].size());
            auto logits = model->forwardLogits(torch::tensor(flatIds, torch::kLong).view({n, len}),
                                               torch::tensor(flatMask, torch::kLong).view({n, len}), batchFeatures);
            rec.tensor("batch_logits_last", logits.select(1, len - 1), outRef("batch_logits_last"),
                       withAdapter ? "left-padded batch, " + adapterNote : std::string("left-padded batch"));
        }
        if (outputs.contains("batch_greedy_new_tokens")) {
            const auto want = idRows(outputs, "batch_greedy_new_tokens", outputsJsonPath);
            greedy.maxNewTokens = greedy.minNewTokens = want.empty() ? 0 : static_cast<int64_t>(want[0].size());
            auto got = generator.generate(prompts, batchFeatures, greedy);
            for (size_t r = 0; r < want.size() && r < got.size(); ++r) {
                // Rows that finished early are padded by HF; compare the padded form.
                auto ours = got[r].tokens;
                while (ours.size() < want[r].size())
                    ours.push_back(greedy.padTokenId);
                rec.tokens("batch_greedy_new_tokens[" + std::to_string(r) + "]", ours, want[r]);
            }
        }
    }
    return rec.take();
}

}  // namespace sena::model
