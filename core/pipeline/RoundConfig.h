#pragma once
// Everything that determines what a generation round produces. Stored as JSON with the round, so a
// round can be reproduced and a killed run resumes with exactly its original settings.
#include "pipeline/PairFilter.h"
#include "pipeline/PromptSet.h"

#include <cstdint>
#include <string>

namespace sena::pipeline {

enum class SelfCheckMode { Paper, Code };  // paper: the check sees the image and may regenerate; code: text only, one pass

struct RoundConfig {
    std::string modelDir;
    PromptSet prompts = PromptSet::builtin();
    std::string chatTemplate;  // empty = by model family
    std::string systemPrompt;
    SelfCheckMode selfCheck = SelfCheckMode::Paper;
    int maxAttempts = 2;       // paper mode: checks before a question is accepted as the check left it
    std::string corruption = "diffusion:t=600";
    FilterSettings filters;
    int64_t maxNewTokens = 512;
    int64_t maxNewTokensSelfCheck = 1024;
    int64_t batchImages = 4;   // images processed (and committed) together
    int64_t batchSize = 8;     // rows per model call
    uint64_t seed = 0;         // caption-prompt draws and corruption noise derive from it
    int64_t limit = -1;        // images of the round to process (−1 = all)
    std::string device = "cpu";
    std::string dtype = "bfloat16";

    util::Json toJson() const;
    static RoundConfig fromJson(const util::Json& json, const std::string& where);
};

const char* selfCheckModeName(SelfCheckMode mode);
SelfCheckMode parseSelfCheckMode(const std::string& name);

// Deterministic per-item seeds: the same (round seed, image, question, purpose) always gives the
// same value, so a resumed run reproduces what an uninterrupted one would have made.
uint64_t derivedSeed(uint64_t roundSeed, int64_t imageId, int64_t ordinal, const std::string& purpose);

}  // namespace sena::pipeline
