// sena generate --model DIR --image FILE --prompt TEXT: one answer from a LLaVA model.
#include "CliSupport.h"
#include "Commands.h"
#include "image/ImageLoader.h"
#include "image/ImagePreprocessor.h"
#include "model/Generator.h"
#include "model/WeightLoader.h"
#include "text/ChatTemplate.h"
#include "text/ImagePrompt.h"
#include "text/Tokenizer.h"
#include "util/Error.h"

#include <torch/torch.h>

#include <filesystem>
#include <iostream>

namespace sena::cli {
namespace fs = std::filesystem;

void registerGenerateCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("generate", "Answer a prompt about an image");
    struct Args {
        std::string model, image, prompt, tokenizer, chatTemplate, system;
        ComputeFlags compute;
        int64_t maxNew = 128, minNew = 0, topK = 0;
        double temperature = 0, topP = 1.0, repetitionPenalty = 1.0;
        uint64_t seed = 0;
        std::vector<std::string> stops;
        bool pad = false, noPad = false, json = false;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("--model", a->model, "Hugging Face LLaVA model folder")->required();
    cmd->add_option("--image", a->image, "Image file")->required();
    cmd->add_option("--prompt", a->prompt, "The question or instruction")->required();
    cmd->add_option("--tokenizer", a->tokenizer, "Tokenizer file or folder (default: the model folder)");
    cmd->add_option("--template", a->chatTemplate,
                    "Chat template: llava-hf, llava-vicuna-v1, chatml or a JSON file (default: by model family)");
    cmd->add_option("--system", a->system, "System sentence (templates that take one)");
    a->compute.add(cmd);
    cmd->add_option("--max-new-tokens", a->maxNew, "Most tokens to generate")->capture_default_str();
    cmd->add_option("--min-new-tokens", a->minNew, "Suppress end-of-sequence before this many")->capture_default_str();
    cmd->add_option("--temperature", a->temperature, "0 = greedy; > 0 samples")->capture_default_str();
    cmd->add_option("--top-k", a->topK, "Keep the k most likely tokens when sampling (0 = off)")->capture_default_str();
    cmd->add_option("--top-p", a->topP, "Nucleus sampling mass (1 = off)")->capture_default_str();
    cmd->add_option("--repetition-penalty", a->repetitionPenalty, "CTRL repetition penalty (1 = off)")->capture_default_str();
    cmd->add_option("--seed", a->seed, "Sampling seed")->capture_default_str();
    cmd->add_option("--stop", a->stops, "Stop when the answer contains this text (repeatable)");
    cmd->add_flag("--pad-to-square", a->pad, "Pad the image to a square with the mean colour (LLaVA-1.5 training)");
    cmd->add_flag("--no-pad-to-square", a->noPad, "Never pad, whatever the preprocessor config says");
    cmd->add_flag("--json", a->json, "Print JSON");
    cmd->callback([a] {
        const auto compute = a->compute.resolve();
        auto loaded = model::loadLlava(a->model, compute);
        const auto& cfg = loaded.config;
        auto tokenizer = text::loadTokenizer(a->tokenizer.empty() ? a->model : a->tokenizer);
        text::ChatTemplate chat = text::ChatTemplate::builtin(cfg.text.arch == model::TextArch::Qwen2 ? "chatml" : "llava-hf");
        if (!a->chatTemplate.empty())
            chat = fs::exists(a->chatTemplate) ? text::ChatTemplate::fromFile(a->chatTemplate)
                                               : text::ChatTemplate::builtin(a->chatTemplate);
        std::vector<text::ChatMessage> messages;
        if (!a->system.empty())
            messages.push_back({"system", a->system, 0});
        messages.push_back({"user", a->prompt, 1});
        const std::string rendered = chat.render(messages, true);
        text::ImageTokenSpec spec;
        spec.tokenId = static_cast<int>(cfg.imageTokenId);
        spec.tokensPerImage = static_cast<int>(cfg.imageSeqLength());
        if (tokenizer->tokenId(spec.placeholder) < 0)
            tokenizer->addSpecialToken(spec.placeholder, spec.tokenId);
        const auto ids32 = text::encodePromptWithImages(*tokenizer, rendered, 1, spec, true);
        std::vector<int64_t> ids(ids32.begin(), ids32.end());

        image::PreprocessOptions pre;
        if (a->pad || a->noPad)
            pre.padToSquare = a->pad;
        auto pixels = image::ImagePreprocessor::fromModelFolder(a->model, pre).preprocess(image::loadImage(a->image));
        auto pv = torch::from_blob(pixels.data.data(), {1, pixels.channels, pixels.height, pixels.width}, torch::kFloat32)
                      .clone();
        torch::NoGradGuard noGrad;
        auto features = loaded.model->imageFeatures(pv);

        model::SamplingOptions o;
        o.maxNewTokens = a->maxNew;
        o.minNewTokens = a->minNew;
        o.doSample = a->temperature > 0;
        o.temperature = a->temperature > 0 ? a->temperature : 1.0;
        o.topK = a->topK;
        o.topP = a->topP;
        o.repetitionPenalty = a->repetitionPenalty;
        o.seed = a->seed;
        o.stopStrings = a->stops;
        o.eosTokenIds = cfg.text.eosTokenIds;
        if (tokenizer->eosId() &&
            std::find(o.eosTokenIds.begin(), o.eosTokenIds.end(), *tokenizer->eosId()) == o.eosTokenIds.end())
            o.eosTokenIds.push_back(*tokenizer->eosId());
        o.padTokenId = cfg.text.padTokenId.value_or(tokenizer->padId().value_or(0));
        model::Generator generator(loaded.model);
        generator.setDecoder([&](const std::vector<int64_t>& t) {
            return tokenizer->decode(std::vector<int>(t.begin(), t.end()), true);
        });
        model::GenerationStats stats;
        auto result = generator.generate({ids}, features, o, &stats)[0];
        const std::string answer = tokenizer->decode(std::vector<int>(result.tokens.begin(), result.tokens.end()), true);
        const double tps = stats.decodeSeconds > 0 ? static_cast<double>(stats.newTokens) / stats.decodeSeconds : 0;
        if (a->json) {
            std::cout << util::Json{{"prompt", rendered},
                                    {"prompt_tokens", ids.size()},
                                    {"answer", answer},
                                    {"tokens", result.tokens},
                                    {"finish_reason", model::finishReasonName(result.finish)},
                                    {"prefill_ms", stats.prefillSeconds * 1000},
                                    {"decode_tokens_per_s", tps}}
                             .dump(1)
                      << "\n";
        } else {
            std::cout << answer << "\n";
            std::cerr << "[" << ids.size() << " prompt tokens, " << result.tokens.size() << " new, "
                      << model::finishReasonName(result.finish) << ", prefill " << stats.prefillSeconds * 1000
                      << " ms, " << tps << " tok/s]\n";
        }
    });
}

}  // namespace sena::cli
