#pragma once
// What the SENA pipeline asks of a model: answer batches of prompts about images, each image clean
// or corrupted with a recorded chain and seed. EngineModel runs the LibTorch engine; tests use a
// scripted stand-in.
#include "image/RgbImage.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sena::pipeline {

struct VlmImage {
    std::string key;  // stable identity (the workspace image id): clean features are cached by it
    image::RgbImage image;
};

struct VlmRequest {
    int imageIndex = -1;        // into the call's images; −1 asks without an image (text only)
    std::string corruption;     // canonical corruption spec; empty = the clean image
    uint64_t corruptionSeed = 0;
    std::string userText;       // the user turn; the runner adds the chat template and image tokens
    int64_t maxNewTokens = 512;
};

struct VlmReply {
    std::string text;
    std::string prompt;  // the rendered prompt, as stored with the generation
    int64_t promptTokens = 0;
    int64_t newTokens = 0;
    std::string finishReason;
};

struct VlmStats {
    int64_t promptTokens = 0, newTokens = 0, featureComputations = 0, featureCacheHits = 0;
    double seconds = 0;
};

class VisionLanguageModel {
public:
    virtual ~VisionLanguageModel() = default;
    // One reply per request, in order. Throws sena::Cancelled when `cancelled` turns true.
    virtual std::vector<VlmReply> generate(const std::vector<VlmImage>& images, const std::vector<VlmRequest>& requests,
                                           const std::function<bool()>& cancelled = {}) = 0;
    // Path and content hash of the weights, recorded with the round.
    virtual std::string modelPath() const = 0;
    virtual std::string modelHash() const = 0;
    virtual const VlmStats& stats() const = 0;
};

}  // namespace sena::pipeline
