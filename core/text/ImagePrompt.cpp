#include "text/ImagePrompt.h"

#include "util/Error.h"

namespace sena::text {

int countImagePlaceholders(const std::string& prompt, const std::string& placeholder) {
    if (placeholder.empty())
        throw ConfigError("the image placeholder is empty");
    int count = 0;
    for (std::size_t at = prompt.find(placeholder); at != std::string::npos;
         at = prompt.find(placeholder, at + placeholder.size()))
        ++count;
    return count;
}

std::string expandImagePlaceholders(const std::string& prompt, const std::string& placeholder, int tokensPerImage) {
    if (tokensPerImage <= 0)
        throw ConfigError("the number of image tokens per image must be positive, got " + std::to_string(tokensPerImage));
    std::string repeated;
    for (int i = 0; i < tokensPerImage; ++i)
        repeated += placeholder;
    std::string out;
    std::size_t from = 0;
    for (std::size_t at = prompt.find(placeholder); at != std::string::npos; at = prompt.find(placeholder, from)) {
        out.append(prompt, from, at - from);
        out += repeated;
        from = at + placeholder.size();
    }
    out.append(prompt, from, std::string::npos);
    return out;
}

std::vector<int> encodePromptWithImages(const Tokenizer& tokenizer, const std::string& prompt, int imageCount,
                                        const ImageTokenSpec& spec, bool addBos) {
    if (spec.tokensPerImage <= 0)
        throw ConfigError("the number of image tokens per image must be positive, got " +
                          std::to_string(spec.tokensPerImage));
    const int placeholderId = tokenizer.tokenId(spec.placeholder);
    if (placeholderId < 0)
        throw ConfigError("the tokenizer has no '" + spec.placeholder +
                          "' token; add it (tokenizer_config.json added_tokens_decoder) with the model's "
                          "image_token_index");
    if (spec.tokenId >= 0 && spec.tokenId != placeholderId)
        throw ConfigError("the tokenizer maps '" + spec.placeholder + "' to id " + std::to_string(placeholderId) +
                          " but the model's image_token_index is " + std::to_string(spec.tokenId) +
                          "; the tokenizer and config.json belong to different models");
    const std::vector<int> ids = tokenizer.encode(prompt, addBos);
    int found = 0;
    for (int id : ids)
        found += id == placeholderId ? 1 : 0;
    if (found != imageCount)
        throw InputError("the prompt has " + std::to_string(found) + " '" + spec.placeholder + "' placeholders but " +
                         std::to_string(imageCount) + " images were given" +
                         (found > imageCount && found % spec.tokensPerImage == 0
                              ? " (was the prompt expanded already? pass it with one placeholder per image)"
                              : ""));
    std::vector<int> expanded;
    expanded.reserve(ids.size() + static_cast<std::size_t>(found) * static_cast<std::size_t>(spec.tokensPerImage));
    for (int id : ids) {
        if (id == placeholderId)
            expanded.insert(expanded.end(), static_cast<std::size_t>(spec.tokensPerImage), placeholderId);
        else
            expanded.push_back(id);
    }
    return expanded;
}

}  // namespace sena::text
