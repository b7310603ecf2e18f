#include "pipeline/DemoWorkspace.h"

#include "model/CheckpointWriter.h"
#include "model/TensorIO.h"
#include "model/WeightLoader.h"
#include "pipeline/EngineModel.h"
#include "pipeline/PromptSet.h"
#include "pipeline/RoundGenerator.h"
#include "store/Workspace.h"
#include "image/ImageLoader.h"
#include "image/ImagePreprocessor.h"
#include "text/ByteLevel.h"
#include "text/ChatTemplate.h"
#include "text/ImagePrompt.h"
#include "text/Tokenizer.h"
#include "util/Error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

namespace sena::pipeline {
namespace fs = std::filesystem;
using util::Json;

namespace {

// Ids: 0 <pad>, 1 <s>, 2 </s>, 3..258 the 256 byte symbols, then merges, then <image>.
constexpr int kVocab = 384;
constexpr int kImageToken = 380;
constexpr int kFirstMerge = 259;

Json demoConfig() {
    return Json::parse(R"({
      "architectures": ["LlavaForConditionalGeneration"], "model_type": "llava", "dtype": "float32",
      "image_token_index": 380, "image_seq_length": 16, "projector_hidden_act": "gelu",
      "vision_feature_layer": -2, "vision_feature_select_strategy": "default",
      "text_config": {"model_type": "llama", "vocab_size": 384, "hidden_size": 64, "intermediate_size": 176,
                      "num_hidden_layers": 3, "num_attention_heads": 4, "num_key_value_heads": 2,
                      "max_position_embeddings": 1024, "rms_norm_eps": 1e-6, "bos_token_id": 1,
                      "eos_token_id": 2, "pad_token_id": 0, "tie_word_embeddings": false},
      "vision_config": {"model_type": "clip_vision_model", "hidden_size": 48, "intermediate_size": 96,
                        "num_hidden_layers": 3, "num_attention_heads": 4, "image_size": 56, "patch_size": 14,
                        "hidden_act": "quick_gelu", "layer_norm_eps": 1e-5},
      "transformers_version": "5.17.0"})");
}

Json demoPreprocessor() {
    return Json::parse(R"({"image_processor_type": "CLIPImageProcessor", "do_resize": true,
      "size": {"shortest_edge": 56}, "do_center_crop": true, "crop_size": {"height": 56, "width": 56},
      "do_rescale": true, "rescale_factor": 0.00392156862745098, "do_normalize": true,
      "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
      "do_convert_rgb": true, "resample": 3})");
}

// Trains byte-level BPE merges on the prompt texts: GPT-2 style words (a leading space attached),
// repeatedly merging the most frequent adjacent pair.
Json trainTokenizer(const std::string& extraText) {
    const auto& alphabet = text::ByteLevelAlphabet::instance();
    const PromptSet prompts = PromptSet::builtin();
    std::string corpus = prompts.selfQuestion + " " + prompts.selfCheckWithImage + " " + prompts.improveWithDescription +
                         " " + prompts.answerSuffix + " " + extraText + " " + extraText;
    for (const auto& c : prompts.captionPrompts)
        corpus += " " + c;
    std::map<std::vector<std::string>, int> words;
    auto addWord = [&](const std::string& w) {
        std::vector<std::string> symbols;
        for (unsigned char b : w)
            symbols.push_back(alphabet.encode(std::string_view(reinterpret_cast<const char*>(&b), 1)));
        words[symbols]++;
    };
    auto alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
    for (size_t i = 0; i < corpus.size();) {
        std::string w;
        if (corpus[i] == ' ' && i + 1 < corpus.size() && alpha(corpus[i + 1]))
            w.push_back(corpus[i++]);  // GPT-2 words carry their leading space
        if (alpha(corpus[i]))
            while (i < corpus.size() && alpha(corpus[i]))
                w.push_back(corpus[i++]);
        else
            w.push_back(corpus[i++]);
        addWord(w);
    }
    Json vocab = Json::object();
    vocab["<pad>"] = 0;
    vocab["<s>"] = 1;
    vocab["</s>"] = 2;
    for (int b = 0; b < 256; ++b) {
        const auto byte = static_cast<char>(b);
        vocab[alphabet.encode(std::string_view(&byte, 1))] = 3 + b;
    }
    Json merges = Json::array();
    for (int id = kFirstMerge; id < kImageToken; ++id) {
        std::map<std::pair<std::string, std::string>, int> counts;
        for (const auto& [symbols, n] : words)
            for (size_t i = 0; i + 1 < symbols.size(); ++i)
                counts[{symbols[i], symbols[i + 1]}] += n;
        if (counts.empty())
            break;
        auto best = counts.begin();
        for (auto it = counts.begin(); it != counts.end(); ++it)
            if (it->second > best->second)
                best = it;
        const auto [a, b] = best->first;
        merges.push_back({a, b});
        vocab[a + b] = id;
        std::map<std::vector<std::string>, int> next;
        for (const auto& [symbols, n] : words) {
            std::vector<std::string> out;
            for (size_t i = 0; i < symbols.size(); ++i) {
                if (i + 1 < symbols.size() && symbols[i] == a && symbols[i + 1] == b) {
                    out.push_back(a + b);
                    ++i;
                } else {
                    out.push_back(symbols[i]);
                }
            }
            next[out] += n;
        }
        words = std::move(next);
    }
    auto added = [](int id, const char* content) {
        return Json{{"id", id}, {"content", content}, {"single_word", false}, {"lstrip", false},
                    {"rstrip", false}, {"normalized", false}, {"special", true}};
    };
    vocab["<image>"] = kImageToken;
    return {{"version", "1.0"},
            {"truncation", nullptr},
            {"padding", nullptr},
            {"added_tokens", {added(0, "<pad>"), added(1, "<s>"), added(2, "</s>"), added(kImageToken, "<image>")}},
            {"normalizer", nullptr},
            {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
            {"post_processor", nullptr},
            {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}}},
            {"model",
             {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr}, {"continuing_subword_prefix", nullptr},
              {"end_of_word_suffix", nullptr}, {"fuse_unk", false}, {"byte_fallback", false}, {"ignore_merges", false},
              {"vocab", vocab}, {"merges", merges}}}};
}

void writeJson(const fs::path& path, const Json& json) { std::ofstream(path) << json.dump(1) << "\n"; }

bool keepGoing(const DemoProgress& p, const std::string& step, double f) {
    if (p && !p(step, f))
        throw Cancelled();
    return true;
}

}  // namespace

namespace {

struct Palette {
    const char* name;
    cv::Scalar bgr;
};
const Palette kColors[] = {{"red", {40, 40, 220}},     {"green", {60, 180, 60}},   {"blue", {220, 90, 30}},
                           {"yellow", {40, 220, 230}}, {"purple", {170, 50, 140}}, {"orange", {30, 140, 250}},
                           {"white", {245, 245, 245}}, {"black", {25, 25, 25}}};
const char* kShapes[] = {"circle", "square", "triangle"};

// What the demo model is taught to say about an image, one (user text, reply) per prompt form.
std::vector<std::pair<std::string, std::string>> lessons(const DemoImage& im, size_t index, const PromptSet& p) {
    const std::string q = "What color is the " + im.shape + "?";
    const std::string caption = "A " + im.color + " " + im.shape + " on a " + im.background + " background.";
    std::vector<std::pair<std::string, std::string>> out = {
        {p.selfQuestion, q},
        {fillTemplate(p.selfCheckWithImage, {{"question", q}}), p.questionPrefix + " " + q},
        {fillTemplate(p.selfCheckTextOnly, {{"question", q}}), p.questionPrefix + " " + q},
        {q + p.answerSuffix, im.color},
        {fillTemplate(p.improveWithDescription, {{"description", caption}, {"question", q}, {"answer", im.color}}),
         p.improvedPrefix + " " + im.color},
        {fillTemplate(p.improveWithoutDescription, {{"question", q}, {"answer", im.color}}), p.improvedPrefix + " " + im.color},
    };
    // A rotating third of the caption paraphrases per image: every paraphrase is taught, and the
    // lesson set stays small enough to learn in seconds.
    for (size_t k = 0; k < p.captionPrompts.size(); ++k) {
        if ((k + index) % 3 != 0)
            continue;
        const auto& c = p.captionPrompts[k];
        out.push_back({c + p.captionSuffix, caption});
        out.push_back({fillTemplate(p.improveWithDescription,
                                    {{"description", caption}, {"question", c + p.captionSuffix}, {"answer", caption}}),
                       p.improvedPrefix + " " + caption});
    }
    return out;
}

// Teacher-forced cross-entropy on the replies: a few hundred Adam steps on a CPU.
void teach(model::LlavaModel& m, const std::string& folder, const std::vector<DemoImage>& images, int steps,
           uint64_t seed) {
    auto tokenizer = text::loadTokenizer(folder);
    auto chat = text::ChatTemplate::builtin("llava-hf");
    auto pre = image::ImagePreprocessor::fromModelFolder(folder);
    const auto cfg = m->config();
    text::ImageTokenSpec spec;
    spec.tokenId = static_cast<int>(cfg.imageTokenId);
    spec.tokensPerImage = static_cast<int>(cfg.imageSeqLength());
    const PromptSet prompts = PromptSet::builtin();
    struct Example {
        std::vector<int64_t> ids;
        int64_t promptLength;
        size_t image;
    };
    std::vector<Example> examples;
    std::vector<torch::Tensor> pixels;
    for (size_t i = 0; i < images.size(); ++i) {
        auto pv = pre.preprocess(image::loadImage(images[i].file));
        pixels.push_back(torch::from_blob(pv.data.data(), {pv.channels, pv.height, pv.width}, torch::kFloat32).clone());
        for (const auto& [user, reply] : lessons(images[i], i, prompts)) {
            const bool withImage = user.find("Someone wrote this question") == std::string::npos;  // text-only check
            const std::string rendered = chat.render({{"user", user, withImage ? 1 : 0}}, true);
            auto p = text::encodePromptWithImages(*tokenizer, rendered, withImage ? 1 : 0, spec, false);
            auto r = tokenizer->encode(" " + reply, false);
            Example e;
            e.ids.assign(p.begin(), p.end());
            e.promptLength = static_cast<int64_t>(e.ids.size());
            e.ids.insert(e.ids.end(), r.begin(), r.end());
            e.ids.push_back(2);  // </s>: the model learns to stop
            e.image = withImage ? i : images.size();
            examples.push_back(std::move(e));
        }
    }
    torch::manual_seed(seed);
    m->train();
    torch::optim::Adam opt(m->parameters(), torch::optim::AdamOptions(3e-3));
    std::mt19937_64 rng(seed);
    const size_t batch = 8;
    for (int step = 0; step < steps; ++step) {
        std::vector<const Example*> rows;
        for (size_t b = 0; b < batch; ++b)
            rows.push_back(&examples[std::uniform_int_distribution<size_t>(0, examples.size() - 1)(rng)]);
        int64_t longest = 0;
        for (auto* e : rows)
            longest = std::max<int64_t>(longest, static_cast<int64_t>(e->ids.size()));
        auto ids = torch::zeros({static_cast<int64_t>(batch), longest}, torch::kLong);
        auto mask = torch::zeros_like(ids);
        auto target = torch::full_like(ids, -100);
        std::vector<torch::Tensor> pix;
        for (size_t b = 0; b < batch; ++b) {
            const auto& e = *rows[b];
            const int64_t n = static_cast<int64_t>(e.ids.size());
            ids[b].narrow(0, 0, n).copy_(torch::tensor(e.ids));
            mask[b].narrow(0, 0, n).fill_(1);
            // Position t predicts token t+1: only reply tokens are targets.
            target[b].narrow(0, e.promptLength - 1, n - e.promptLength)
                .copy_(torch::tensor(std::vector<int64_t>(e.ids.begin() + e.promptLength, e.ids.end())));
            if (e.image < images.size())
                pix.push_back(pixels[e.image].unsqueeze(0));
        }
        auto features = pix.empty() ? torch::Tensor() : m->imageFeatures(torch::cat(pix, 0));
        auto logits = m->forwardLogits(ids, mask, features);
        auto loss = torch::nll_loss(logits.view({-1, logits.size(-1)}).log_softmax(-1), target.view({-1}), {},
                                    at::Reduction::Mean, -100);
        opt.zero_grad();
        loss.backward();
        opt.step();
    }
    m->eval();
}

}  // namespace

std::vector<DemoImage> writeDemoImages(const std::string& folder, int count, uint64_t seed) {
    fs::create_directories(folder);
    std::mt19937_64 rng(seed);
    auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    std::vector<DemoImage> out;
    for (int i = 0; i < count; ++i) {
        DemoImage im;
        const int w = uni(160, 320), h = uni(120, 240);
        const int bg = uni(0, 7);
        int fg = uni(0, 7);
        if (fg == bg)
            fg = (fg + 3) % 8;
        im.background = kColors[bg].name;
        im.color = kColors[fg].name;
        im.shape = kShapes[uni(0, 2)];
        cv::Mat img(h, w, CV_8UC3, kColors[bg].bgr);
        // Small clutter first, then the salient shape in the middle.
        for (int s = 0; s < uni(1, 3); ++s) {
            const cv::Point c(uni(0, w - 1), uni(0, h - 1));
            cv::circle(img, c, uni(3, 8), kColors[uni(0, 7)].bgr, cv::FILLED, cv::LINE_AA);
        }
        const cv::Point c(w / 2 + uni(-w / 8, w / 8), h / 2 + uni(-h / 8, h / 8));
        const int r = std::min(w, h) / 3;
        if (im.shape == "circle")
            cv::circle(img, c, r, kColors[fg].bgr, cv::FILLED, cv::LINE_AA);
        else if (im.shape == "square")
            cv::rectangle(img, c - cv::Point(r, r), c + cv::Point(r, r), kColors[fg].bgr, cv::FILLED);
        else
            cv::fillConvexPoly(img, std::vector<cv::Point>{c + cv::Point(0, -r), c + cv::Point(r, r), c + cv::Point(-r, r)},
                               kColors[fg].bgr, cv::LINE_AA);
        im.file = (fs::absolute(folder) / (im.color + "-" + im.shape + "-" + std::to_string(i + 1) + ".png")).string();
        cv::imwrite(im.file, img);
        out.push_back(im);
    }
    return out;
}

void writeDemoModel(const std::string& folder, const std::vector<DemoImage>& images, int trainSteps, uint64_t seed) {
    const fs::path dir(folder);
    fs::create_directories(dir);
    const Json config = demoConfig();
    writeJson(dir / "config.json", config);
    writeJson(dir / "preprocessor_config.json", demoPreprocessor());
    writeJson(dir / "generation_config.json", {{"bos_token_id", 1}, {"eos_token_id", 2}, {"pad_token_id", 0}});
    std::string replies;
    const PromptSet prompts = PromptSet::builtin();
    for (size_t i = 0; i < images.size(); ++i)
        for (const auto& [user, reply] : lessons(images[i], i, prompts))
            replies += " " + reply;
    writeJson(dir / "tokenizer.json", trainTokenizer(replies));
    writeJson(dir / "tokenizer_config.json",
              {{"bos_token", "<s>"}, {"eos_token", "</s>"}, {"pad_token", "<pad>"}, {"add_bos_token", false},
               {"model_max_length", 1024}, {"tokenizer_class", "PreTrainedTokenizerFast"}});
    auto cfg = model::LlavaConfig::fromJson(config, (dir / "config.json").string());
    auto m = model::randomLlava(cfg, {}, seed, 0.08);
    if (trainSteps > 0 && !images.empty())
        teach(m, folder, images, trainSteps, seed);
    model::SafetensorsWriter w;
    for (const auto& p : m->named_parameters())
        model::addTensor(w, model::checkpointKey(p.key(), model::CheckpointLayout::LegacyHf), p.value());
    w.write((dir / "model.safetensors").string());
}

DemoPaths createDemoWorkspace(const std::string& folder, const DemoProgress& progress) {
    DemoPaths p;
    p.root = fs::absolute(folder).string();
    p.model = (fs::path(p.root) / "model").string();
    p.images = (fs::path(p.root) / "images").string();
    p.workspace = (fs::path(p.root) / "workspace").string();
    keepGoing(progress, "images", 0.0);
    const bool fresh = !fs::exists(fs::path(p.model) / "model.safetensors");
    std::vector<DemoImage> images;
    if (fresh)
        images = writeDemoImages(p.images, 12);
    keepGoing(progress, "teaching the demo model its prompt formats", 0.05);
    if (fresh)
        writeDemoModel(p.model, images);
    keepGoing(progress, "workspace", 0.2);
    auto ws = store::Workspace::exists(p.workspace) ? store::Workspace::open(p.workspace)
                                                    : store::Workspace::create(p.workspace);
    if (ws.images().count() == 0)
        ws.importImages(p.images);
    RoundConfig cfg;
    cfg.modelDir = p.model;
    cfg.maxNewTokens = 24;  // the demo model's replies are short; keep the round quick
    cfg.maxNewTokensSelfCheck = 32;
    // The tiny demo model shrugs off SENA's t=600 noise on 56-px images, so the demo uses a harsher
    // chain to make the rejected side visibly wrong; real rounds default to diffusion:t=600.
    cfg.corruption = "mask:ratio=0.8+diffusion:t=950";
    cfg.device = "cpu";
    cfg.dtype = "float32";
    EngineModelOptions eo;
    eo.compute.dtype = torch::kFloat32;
    EngineModel engine(p.model, eo);
    RoundGenerator gen(ws, engine, cfg);
    auto latest = ws.rounds().latest();
    const int64_t round = latest ? latest->id : gen.createRound();
    gen.run(round, [&](const GenerationProgress& g) {
        const double f = g.imagesTotal ? static_cast<double>(g.imagesDone) / static_cast<double>(g.imagesTotal) : 0;
        return keepGoing(progress, "round 1: " + g.stage, 0.2 + 0.8 * f);
    });
    keepGoing(progress, "done", 1.0);
    return p;
}

}  // namespace sena::pipeline
