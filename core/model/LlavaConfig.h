#pragma once
// Resolved configuration of a LLaVA-family checkpoint (config.json). Fields that Hugging Face
// omitted take the defaults of HF's config classes, so a config written with only non-default
// values resolves exactly as transformers resolves it. Torch-free.
#include "util/Json.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sena::model {

enum class TextArch { Llama, Mistral, Qwen2 };
enum class VisionArch { Clip, Siglip };
enum class Activation { QuickGelu, Gelu, GeluTanh, Silu };

const char* activationName(Activation act);

struct RopeConfig {
    std::string type = "default";  // default | linear | llama3
    double theta = 10000.0;
    double factor = 1.0;
    double lowFreqFactor = 1.0;
    double highFreqFactor = 4.0;
    int64_t originalMaxPositions = 8192;
};

struct TextConfig {
    TextArch arch = TextArch::Llama;
    std::string modelType = "llama";
    int64_t vocabSize = 32000;
    int64_t hiddenSize = 4096;
    int64_t intermediateSize = 11008;
    int64_t numLayers = 32;
    int64_t numHeads = 32;
    int64_t numKvHeads = 32;
    int64_t headDim = 128;
    int64_t maxPositions = 2048;
    double rmsNormEps = 1e-6;
    RopeConfig rope;
    Activation act = Activation::Silu;
    bool qkvBias = false;  // Qwen2 always; Llama when attention_bias
    bool oBias = false;    // Llama when attention_bias
    bool mlpBias = false;
    bool tieWordEmbeddings = false;
    std::optional<int64_t> slidingWindow;  // Mistral; Qwen2 only with use_sliding_window
    std::optional<int64_t> bosTokenId;
    std::vector<int64_t> eosTokenIds;
    std::optional<int64_t> padTokenId;
};

struct VisionConfig {
    VisionArch arch = VisionArch::Clip;
    std::string modelType = "clip_vision_model";
    int64_t hiddenSize = 1024;
    int64_t intermediateSize = 4096;
    int64_t numLayers = 24;
    int64_t numHeads = 16;
    int64_t numChannels = 3;
    int64_t imageSize = 336;
    int64_t patchSize = 14;
    double layerNormEps = 1e-5;
    Activation act = Activation::QuickGelu;

    int64_t headDim() const { return hiddenSize / numHeads; }
    int64_t patchesPerSide() const { return imageSize / patchSize; }
    int64_t numPatches() const { return patchesPerSide() * patchesPerSide(); }
    bool hasClassToken() const { return arch == VisionArch::Clip; }
    int64_t numPositions() const { return numPatches() + (hasClassToken() ? 1 : 0); }
};

struct LlavaConfig {
    TextConfig text;
    VisionConfig vision;
    int64_t imageTokenId = 32000;
    std::vector<int64_t> featureLayers{-2};  // as written (negative counts from the end)
    bool featureLayerIsList = false;
    std::string selectStrategy = "default";  // default (drop first token) | full
    Activation projectorAct = Activation::Gelu;
    bool projectorBias = true;
    std::string dtype = "float32";  // the checkpoint's stored dtype: float32 | bfloat16 | float16

    // Number of image-token positions one image occupies in the prompt.
    int64_t imageSeqLength() const;
    // Hidden-state indices (0 = embeddings, k = output of encoder layer k-1) the features come from.
    std::vector<int64_t> featureLayerIndices() const;
    // Encoder layers that must run to produce the selected hidden states.
    int64_t visionLayersNeeded() const;
    int64_t projectorInputSize() const { return vision.hiddenSize * static_cast<int64_t>(featureLayers.size()); }

    // Parses and validates a config.json; errors name the file and key. Unsupported architectures,
    // model types and rope types are refused by name.
    static LlavaConfig fromFile(const std::string& path);
    static LlavaConfig fromJson(const util::Json& json, const std::string& where);
    // The fully resolved configuration (every default filled in), for `sena info` and rounds.
    util::Json toJson() const;
};

}  // namespace sena::model
