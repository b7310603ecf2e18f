#pragma once
// The pre-tokenizer of a byte-level tokenizer.json: a Split stage (regular expression or literal
// string, any of HF's split behaviours, optionally inverted), a ByteLevel stage (optional GPT-2
// regex split, optional prefix space, then bytes → alphabet characters), or a Sequence of them.
// Other HF pre-tokenizers are refused by name.
#include "text/RegexSplitter.h"
#include "util/Json.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sena::text {

class PreTokenizer {
public:
    // `spec` is tokenizer.json's "pre_tokenizer" value; `where` names the file for errors.
    static PreTokenizer fromJson(const util::Json& spec, const std::string& where);

    // Pre-tokens of one run of (normalised) text, in order, empty ones dropped. After a ByteLevel
    // stage the pre-tokens are in the byte-level alphabet.
    std::vector<std::string> split(std::string_view text) const;
    bool hasByteLevel() const;

private:
    enum class Behavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous };
    struct Stage {
        bool byteLevel = false;
        std::optional<RegexSplitter> regex;
        Behavior behavior = Behavior::Isolated;
        bool invert = false;
        bool addPrefixSpace = false;  // ByteLevel only
    };
    static void addStage(std::vector<Stage>& stages, const util::Json& spec, const std::string& where);
    static std::vector<std::string> applySplit(const Stage& stage, const std::string& piece);

    std::vector<Stage> m_stages;
};

}  // namespace sena::text
