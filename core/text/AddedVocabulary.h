#pragma once
// Tokens matched whole in raw text before the model sees it (HF's added vocabulary): special
// tokens such as "<image>", "<|im_start|>", "<s>". Matching is leftmost, then longest, as HF's
// Aho–Corasick matcher does.
#include "text/Tokenizer.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sena::text {

class AddedVocabulary {
public:
    // A run of raw text, or one added token (tokenId ≥ 0, text empty).
    struct Segment {
        std::string_view text;
        int tokenId = -1;
    };

    // Adds or replaces (by content) a token. Throws sena::ConfigError for empty content or id < 0.
    void add(const AddedToken& token);

    // Splits `text` into raw runs and added tokens. lstrip/rstrip tokens swallow the whitespace
    // beside them. Empty runs are left out. The views point into `text`.
    std::vector<Segment> split(std::string_view text) const;

    // Id by exact content, or −1.
    int idOf(std::string_view content) const;
    // The token with this id, or nullptr.
    const AddedToken* byId(int id) const;
    bool empty() const { return m_tokens.empty(); }
    // One past the highest id, or 0 when empty.
    int idLimit() const;
    const std::vector<AddedToken>& tokens() const { return m_tokens; }

private:
    // The longest token matching at `pos` that also satisfies single_word, or nullptr.
    const AddedToken* matchAt(std::string_view text, std::size_t pos) const;

    std::vector<AddedToken> m_tokens;
    std::unordered_map<std::string, std::size_t> m_byContent;
    std::unordered_map<int, std::size_t> m_byId;
    // Token indices by first byte, longest content first.
    std::vector<std::size_t> m_byFirstByte[256];
};

}  // namespace sena::text
