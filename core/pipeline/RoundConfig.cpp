#include "pipeline/RoundConfig.h"

#include "util/Error.h"

namespace sena::pipeline {

const char* selfCheckModeName(SelfCheckMode mode) { return mode == SelfCheckMode::Paper ? "paper" : "code"; }

SelfCheckMode parseSelfCheckMode(const std::string& name) {
    if (name == "paper")
        return SelfCheckMode::Paper;
    if (name == "code")
        return SelfCheckMode::Code;
    throw ConfigError("self-check mode '" + name + "' is unknown (paper: the check sees the image and may "
                      "regenerate; code: text-only single pass as in the authors' code)");
}

uint64_t derivedSeed(uint64_t roundSeed, int64_t imageId, int64_t ordinal, const std::string& purpose) {
    // FNV-1a over the parts, then a splitmix64 finaliser for good bit diffusion.
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](uint64_t v) {
        for (int i = 0; i < 8; ++i) {
            h ^= (v >> (8 * i)) & 0xff;
            h *= 1099511628211ull;
        }
    };
    mix(roundSeed);
    mix(static_cast<uint64_t>(imageId));
    mix(static_cast<uint64_t>(ordinal));
    for (char c : purpose) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    h += 0x9e3779b97f4a7c15ull;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

util::Json RoundConfig::toJson() const {
    return {{"model", modelDir},
            {"prompts", prompts.toJson()},
            {"chat_template", chatTemplate},
            {"system_prompt", systemPrompt},
            {"self_check", selfCheckModeName(selfCheck)},
            {"max_attempts", maxAttempts},
            {"corruption", corruption},
            {"filters", filters.toString()},
            {"max_new_tokens", maxNewTokens},
            {"max_new_tokens_self_check", maxNewTokensSelfCheck},
            {"batch_images", batchImages},
            {"batch_size", batchSize},
            {"seed", seed},
            {"limit", limit},
            {"device", device},
            {"dtype", dtype},
            {"sampling", "greedy"}};
}

RoundConfig RoundConfig::fromJson(const util::Json& json, const std::string& where) {
    util::JsonObject o(json, where);
    RoundConfig c;
    c.modelDir = o.string("model", "");
    if (o.has("prompts"))
        c.prompts = PromptSet::fromJson(json.at("prompts"), where + ".prompts");
    c.chatTemplate = o.string("chat_template", "");
    c.systemPrompt = o.string("system_prompt", "");
    c.selfCheck = parseSelfCheckMode(o.string("self_check", "paper"));
    c.maxAttempts = static_cast<int>(o.integer("max_attempts", 2));
    c.corruption = o.string("corruption", c.corruption);
    c.filters = FilterSettings::parse(o.string("filters", "all"));
    c.maxNewTokens = o.integer("max_new_tokens", c.maxNewTokens);
    c.maxNewTokensSelfCheck = o.integer("max_new_tokens_self_check", c.maxNewTokensSelfCheck);
    c.batchImages = o.integer("batch_images", c.batchImages);
    c.batchSize = o.integer("batch_size", c.batchSize);
    c.seed = static_cast<uint64_t>(o.integer("seed", 0));
    c.limit = o.integer("limit", -1);
    c.device = o.string("device", c.device);
    c.dtype = o.string("dtype", c.dtype);
    if (c.maxAttempts < 1 || c.maxNewTokens < 1 || c.maxNewTokensSelfCheck < 1 || c.batchImages < 1 || c.batchSize < 1)
        throw ConfigError(where + ": attempts, token limits and batch sizes must be at least 1");
    return c;
}

}  // namespace sena::pipeline
