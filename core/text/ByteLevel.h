#pragma once
// GPT-2's reversible map from bytes to printable Unicode characters (`bytes_to_unicode`): the
// printable ranges '!'..'~', '¡'..'¬', '®'..'ÿ' map to themselves, the other 68 bytes in order to
// U+0100, U+0101, … (so ' ' → 'Ġ', '\n' → 'Ċ'). Byte-level BPE runs on these characters.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sena::text {

class ByteLevelAlphabet {
public:
    static const ByteLevelAlphabet& instance();

    // Each byte of `bytes` as its alphabet character, in UTF-8.
    std::string encode(std::string_view bytes) const;
    // The bytes behind a string of alphabet characters. False (and `bytes` untouched) when some
    // character is not in the alphabet; HF then keeps the token's own UTF-8 (e.g. added tokens).
    bool decode(std::string_view text, std::string& bytes) const;
    char32_t characterFor(std::uint8_t byte) const { return m_charOf[byte]; }

private:
    ByteLevelAlphabet();
    char32_t m_charOf[256];
    std::string m_utf8Of[256];
    std::unordered_map<char32_t, std::uint8_t> m_byteOf;
};

}  // namespace sena::text
