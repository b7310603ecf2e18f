#pragma once
// The regular expressions of tokenizer.json pre-tokenizers (Unicode classes, (?i:…), lookahead),
// run with PCRE2 in UTF + UCP mode; std::regex can do none of that. Builds without PCRE2 compile
// this class so that constructing one throws a ConfigError that says so.
//
// Known residual against HF (which uses Oniguruma): PCRE2's \s also matches U+180E.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sena::text {

class RegexSplitter {
public:
    // Throws sena::ConfigError naming `where` when the pattern does not compile, or when the build
    // has no PCRE2. `literal` treats the pattern as a plain string (HF's {"String": …} patterns).
    RegexSplitter(const std::string& pattern, bool literal, const std::string& where);
    ~RegexSplitter();
    RegexSplitter(RegexSplitter&&) noexcept;
    RegexSplitter& operator=(RegexSplitter&&) noexcept;

    // Byte ranges [begin, end) of the non-overlapping, non-empty matches, left to right.
    // `text` must be well-formed UTF-8 (callers check it once per input).
    std::vector<std::pair<std::size_t, std::size_t>> findMatches(std::string_view text) const;

    // Whether this build can run tokenizer.json regular expressions at all.
    static bool available();

private:
    struct Compiled;
    std::unique_ptr<Compiled> m_compiled;
    std::string m_where;
};

}  // namespace sena::text
