#pragma once
// The side files of a Hugging Face tokenizer folder: tokenizer_config.json (added_tokens_decoder,
// role tokens, add_bos_token, legacy, add_prefix_space), special_tokens_map.json (role tokens,
// additional_special_tokens; wins over tokenizer_config.json as in HF) and added_tokens.json
// ({"<image>": 32000}). All optional.
#include "text/Tokenizer.h"
#include "util/Json.h"

#include <optional>
#include <string>
#include <vector>

namespace sena::text {

class TokenizerConfig {
public:
    // A role token as configured: absent (not mentioned), explicitly null (e.g. Qwen's
    // bos_token: null), or a content string with the file that named it.
    struct RoleToken {
        bool mentioned = false;
        std::optional<AddedToken> token;  // id not yet known (−1) unless the file gave one
        std::string file;
    };

    // Reads whichever of the three files exist in `folder`. Throws sena::FormatError (bad JSON)
    // or sena::ConfigError (wrong types) naming the file and key.
    static TokenizerConfig readFolder(const std::string& folder);

    // Applies added tokens, then resolves and applies role tokens and flags. `defaults` are the
    // model's own ids (trainer spec, post-processor). Throws sena::ConfigError when a named
    // token is in neither the vocabulary nor the added tokens.
    SpecialTokenIds apply(Tokenizer& tokenizer, SpecialTokenIds defaults) const;

    std::optional<bool> legacy() const { return m_legacy; }
    std::optional<bool> addPrefixSpace() const { return m_addPrefixSpace; }
    const std::vector<std::string>& filesRead() const { return m_filesRead; }

private:
    void readTokenizerConfig(const std::string& path);
    void readSpecialTokensMap(const std::string& path);
    void readAddedTokensJson(const std::string& path);
    void readRoles(const util::JsonObject& object, const std::string& path);

    std::vector<AddedToken> m_addedTokens;
    RoleToken m_bos, m_eos, m_pad, m_unk;
    std::vector<AddedToken> m_additionalSpecial;
    std::string m_additionalSpecialFile;
    std::optional<bool> m_addBos, m_legacy, m_addPrefixSpace;
    std::vector<std::string> m_filesRead;
};

}  // namespace sena::text
