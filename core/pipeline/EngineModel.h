#pragma once
// The LibTorch engine behind the pipeline: tokenizer + chat template + image preprocessing and
// corruption + LLaVA. Features of a clean image are computed once and cached by image key; every
// prompt about the same image shares one prefill of the image and the chat preamble.
#include "model/Device.h"
#include "model/Generator.h"
#include "pipeline/VisionLanguageModel.h"

#include <list>
#include <map>
#include <memory>

namespace sena::text {
class Tokenizer;
class ChatTemplate;
}  // namespace sena::text
namespace sena::image {
class ImagePreprocessor;
}

namespace sena::pipeline {

struct EngineModelOptions {
    model::ComputeOptions compute;
    std::string chatTemplate;       // built-in name or JSON file; empty = by model family
    std::string systemPrompt;       // optional system sentence
    int64_t batchSize = 8;          // rows per generate call
    bool sharePrefix = true;        // reuse the image + preamble prefill across an image's prompts
    bool cacheFeatures = true;      // reuse clean image features across calls
    std::optional<bool> padToSquare;
    model::SamplingOptions sampling;  // maxNewTokens is set per request
};

class EngineModel : public VisionLanguageModel {
public:
    EngineModel(const std::string& modelDir, const EngineModelOptions& options);
    ~EngineModel() override;

    std::vector<VlmReply> generate(const std::vector<VlmImage>& images, const std::vector<VlmRequest>& requests,
                                   const std::function<bool()>& cancelled = {}) override;
    std::string modelPath() const override { return m_dir; }
    std::string modelHash() const override { return m_hash; }
    const VlmStats& stats() const override { return m_stats; }

    // Pixel values → features, for one image as the request describes it (cached when clean).
    torch::Tensor features(const VlmImage& image, const std::string& corruption, uint64_t seed);
    // The rendered prompt and its token ids (image tokens expanded) for a user turn.
    std::pair<std::string, std::vector<int64_t>> encode(const std::string& userText, bool withImage) const;
    model::LlavaModel model() const { return m_model; }
    const text::Tokenizer& tokenizer() const { return *m_tokenizer; }
    const image::ImagePreprocessor& preprocessor() const { return *m_preprocessor; }

private:
    std::string m_dir, m_hash;
    EngineModelOptions m_options;
    model::LlavaModel m_model{nullptr};
    model::LlavaConfig m_config;
    std::unique_ptr<text::Tokenizer> m_tokenizer;
    std::unique_ptr<text::ChatTemplate> m_template;
    std::unique_ptr<image::ImagePreprocessor> m_preprocessor;
    std::unique_ptr<model::Generator> m_generator;
    std::list<std::pair<std::string, torch::Tensor>> m_featureCache;  // most recent first
    VlmStats m_stats;
};

// Content hash of a model's weights: SHA-256 over the safetensors headers and file sizes (fast;
// the headers pin every tensor's name, dtype, shape and offsets), plus config.json.
std::string modelContentHash(const std::string& modelDir);

}  // namespace sena::pipeline
