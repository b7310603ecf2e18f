#pragma once
// Compares the engine with golden references from transformers: a folder holding a checkpoint
// (config.json, model.safetensors, preprocessor_config.json, image.png) plus expected.json and
// expected.safetensors as written by the fixture generator.
#include "model/Device.h"

#include <optional>
#include <string>
#include <vector>

namespace at {
class Tensor;
}

namespace sena::model {

struct ParityComparison {
    std::string name;
    std::string kind;        // "max_abs" or "tokens"
    double maxAbsDiff = 0;   // for max_abs
    double tolerance = 0;
    int64_t matched = 0, total = 0;  // for tokens
    bool passed = false;
    std::string note;
};

struct ParityOptions {
    ComputeOptions compute;
    double tolerance = -1;          // < 0: the dtype's default (1e-4 float32, see parityTolerance)
    double pixelTolerance = 2e-2;   // HF resizes with PIL; see the image module for the residual
    std::string adapterDir;         // optional LoRA adapter (later)
};

// The default tolerance per dtype: float32 1e-4 absolute; bfloat16/float16 are relative to the
// largest reference magnitude (see README "Parity").
double parityTolerance(const std::string& dtype);

class ParityCheck {
public:
    // ourPixels: the CHW float32 values our preprocessor made from image.png, when the caller could
    // decode it (compared with expected pixel_values); the model comparisons use the reference
    // pixel values so that they test the model alone.
    static std::vector<ParityComparison> run(const std::string& dir, const ParityOptions& options,
                                             const std::vector<float>* ourPixels);
};

}  // namespace sena::model
