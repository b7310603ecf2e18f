#include "text/ByteLevel.h"

#include "text/Utf8.h"

namespace sena::text {

const ByteLevelAlphabet& ByteLevelAlphabet::instance() {
    static const ByteLevelAlphabet alphabet;
    return alphabet;
}

ByteLevelAlphabet::ByteLevelAlphabet() {
    const auto printable = [](int b) { return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF); };
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
        m_charOf[b] = printable(b) ? static_cast<char32_t>(b) : next++;
        m_utf8Of[b] = utf8::encode(m_charOf[b]);
        m_byteOf.emplace(m_charOf[b], static_cast<std::uint8_t>(b));
    }
}

std::string ByteLevelAlphabet::encode(std::string_view bytes) const {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes)
        out += m_utf8Of[b];
    return out;
}

bool ByteLevelAlphabet::decode(std::string_view text, std::string& bytes) const {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const utf8::DecodeStep step = utf8::decodeAt(text, pos);
        if (!step.valid)
            return false;
        const auto it = m_byteOf.find(step.codepoint);
        if (it == m_byteOf.end())
            return false;
        out += static_cast<char>(it->second);
        pos += step.length;
    }
    bytes += out;
    return true;
}

}  // namespace sena::text
