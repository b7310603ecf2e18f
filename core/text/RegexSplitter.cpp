#include "text/RegexSplitter.h"

#include "text/Utf8.h"
#include "util/Error.h"

#ifdef SENA_HAVE_PCRE2
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif

namespace sena::text {

#ifdef SENA_HAVE_PCRE2

struct RegexSplitter::Compiled {
    pcre2_code* code = nullptr;
    ~Compiled() { pcre2_code_free(code); }
};

bool RegexSplitter::available() { return true; }

RegexSplitter::RegexSplitter(const std::string& pattern, bool literal, const std::string& where)
    : m_compiled(std::make_unique<Compiled>()), m_where(where) {
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    // PCRE2_LITERAL does not combine with UCP; a literal needs no character classes anyway.
    const std::uint32_t options = literal ? (PCRE2_UTF | PCRE2_LITERAL) : (PCRE2_UTF | PCRE2_UCP);
    m_compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options,
                                     &errorCode, &errorOffset, nullptr);
    if (!m_compiled->code) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(errorCode, message, sizeof message);
        throw ConfigError(where + ": the regular expression '" + pattern + "' does not compile at offset " +
                          std::to_string(errorOffset) + ": " + reinterpret_cast<const char*>(message));
    }
    // JIT is only a speed-up; where the platform lacks it the interpreter gives the same matches.
    pcre2_jit_compile(m_compiled->code, PCRE2_JIT_COMPLETE);
}

std::vector<std::pair<std::size_t, std::size_t>> RegexSplitter::findMatches(std::string_view text) const {
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
        pcre2_match_data_create_from_pattern(m_compiled->code, nullptr), &pcre2_match_data_free);
    if (!data)
        throw std::bad_alloc();
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    std::size_t offset = 0;
    while (offset < text.size()) {
        const int rc = pcre2_match(m_compiled->code, subject, text.size(), offset, PCRE2_NO_UTF_CHECK, data.get(), nullptr);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(rc, message, sizeof message);
            throw InputError(m_where + ": matching the pre-tokenizer regular expression failed: " +
                             reinterpret_cast<const char*>(message));
        }
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
        const std::size_t begin = ovector[0], end = ovector[1];
        if (end > begin) {
            matches.emplace_back(begin, end);
            offset = end;
        } else {
            // An empty match splits nothing; step over one character and search on.
            const utf8::DecodeStep step = utf8::decodeAt(text, begin);
            offset = begin + (step.valid ? step.length : 1);
        }
    }
    return matches;
}

#else  // no PCRE2 in this build

struct RegexSplitter::Compiled {};

bool RegexSplitter::available() { return false; }

RegexSplitter::RegexSplitter(const std::string& pattern, bool, const std::string& where) : m_where(where) {
    throw ConfigError(where + ": this build of SENA has no PCRE2, so it cannot run the tokenizer.json "
                              "pre-tokenizer regular expression '" + pattern +
                      "'. Rebuild with libpcre2-dev installed (pkg-config libpcre2-8), or use a model with a "
                      "SentencePiece tokenizer.model");
}

std::vector<std::pair<std::size_t, std::size_t>> RegexSplitter::findMatches(std::string_view) const { return {}; }

#endif

RegexSplitter::~RegexSplitter() = default;
RegexSplitter::RegexSplitter(RegexSplitter&&) noexcept = default;
RegexSplitter& RegexSplitter::operator=(RegexSplitter&&) noexcept = default;

}  // namespace sena::text
