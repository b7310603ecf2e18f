#pragma once
// Strict UTF-8 decoding and encoding shared by the tokenizers. "Strict" means what the Unicode
// standard calls well-formed: no overlongs, no surrogates, nothing above U+10FFFF.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sena::text::utf8 {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// One step of decoding at `pos`. A valid character sets `codepoint` and `length` (1–4).
// An ill-formed one gives valid == false and `length` = the maximal subpart (≥ 1 byte) that a
// lossy decoder replaces with one U+FFFD, as Python's errors="replace" and Rust's
// from_utf8_lossy do.
struct DecodeStep {
    bool valid = false;
    char32_t codepoint = kReplacementChar;
    std::size_t length = 1;
};
DecodeStep decodeAt(std::string_view text, std::size_t pos);

// Appends the UTF-8 encoding of `codepoint` (must be a scalar value).
void append(std::string& out, char32_t codepoint);
std::string encode(char32_t codepoint);

// Offset of the first ill-formed byte, or npos when the whole text is well-formed.
std::size_t firstInvalidByte(std::string_view text);

// Lossy decode for display: each maximal ill-formed subpart becomes one U+FFFD (HF tokenizers).
std::string replaceInvalidMaximalSubparts(std::string_view bytes);
// Lossy decode where every ill-formed byte becomes its own U+FFFD (SentencePiece).
std::string replaceInvalidBytes(std::string_view bytes);

// Code points of well-formed text; ill-formed bytes become U+FFFD one byte at a time.
std::vector<char32_t> toCodepoints(std::string_view text);
std::string fromCodepoints(const std::vector<char32_t>& codepoints);

// Unicode White_Space property (what Rust's char::is_whitespace tests).
bool isWhitespace(char32_t codepoint);

}  // namespace sena::text::utf8
