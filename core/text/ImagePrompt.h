#pragma once
// Image placeholders in prompts. A LLaVA prompt carries one "<image>" per image; the model wants
// one image-token id per image feature (576 for LLaVA-1.5), in order. HF's processor repeats the
// placeholder string before tokenising; encodePromptWithImages does the same on ids, which is
// equivalent because "<image>" is an added token matched whole.
#include "text/Tokenizer.h"

#include <string>
#include <vector>

namespace sena::text {

struct ImageTokenSpec {
    std::string placeholder = "<image>";  // as it appears in the rendered prompt
    int tokenId = -1;                     // config.json image_token_index (−1: take the tokenizer's)
    int tokensPerImage = 0;               // the model's image sequence length
};

// Occurrences of `placeholder` in `prompt` (non-overlapping, left to right).
int countImagePlaceholders(const std::string& prompt, const std::string& placeholder);

// Each placeholder repeated `tokensPerImage` times (HF processor behaviour).
std::string expandImagePlaceholders(const std::string& prompt, const std::string& placeholder, int tokensPerImage);

// Encodes `prompt` and replaces each placeholder id by `tokensPerImage` image-token ids.
// Throws sena::InputError when the prompt's placeholder count differs from `imageCount`, and
// sena::ConfigError when the tokenizer lacks the placeholder token or maps it to another id than
// the model's image_token_index.
std::vector<int> encodePromptWithImages(const Tokenizer& tokenizer, const std::string& prompt, int imageCount,
                                        const ImageTokenSpec& spec, bool addBos);

}  // namespace sena::text
