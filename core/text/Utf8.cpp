#include "text/Utf8.h"

namespace sena::text::utf8 {

namespace {

bool isContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

DecodeStep decodeAt(std::string_view text, std::size_t pos) {
    DecodeStep step;
    const std::size_t left = text.size() - pos;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) {
        step.valid = true;
        step.codepoint = lead;
        return step;
    }
    // Length and the permitted range of the second byte by lead byte (Unicode Table 3-7); the
    // narrowed ranges exclude overlongs, surrogates and values above U+10FFFF.
    std::size_t need = 0;
    unsigned char secondLow = 0x80, secondHigh = 0xBF;
    char32_t value = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        need = 2;
        value = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 3;
        value = lead & 0x0F;
        if (lead == 0xE0)
            secondLow = 0xA0;
        if (lead == 0xED)
            secondHigh = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 4;
        value = lead & 0x07;
        if (lead == 0xF0)
            secondLow = 0x90;
        if (lead == 0xF4)
            secondHigh = 0x8F;
    } else {
        return step;  // stray continuation byte, C0/C1 or F5..FF: one byte is ill-formed
    }
    std::size_t used = 1;
    for (; used < need; ++used) {
        if (used >= left)
            break;
        const unsigned char b = byte(used);
        const bool ok = used == 1 ? (b >= secondLow && b <= secondHigh) : isContinuation(b);
        if (!ok)
            break;
        value = (value << 6) | (b & 0x3F);
    }
    if (used == need) {
        step.valid = true;
        step.codepoint = value;
    }
    step.length = used;
    return step;
}

void append(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string encode(char32_t cp) {
    std::string out;
    append(out, cp);
    return out;
}

std::size_t firstInvalidByte(std::string_view text) {
    for (std::size_t pos = 0; pos < text.size();) {
        const DecodeStep step = decodeAt(text, pos);
        if (!step.valid)
            return pos;
        pos += step.length;
    }
    return std::string_view::npos;
}

std::string replaceInvalidMaximalSubparts(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t pos = 0; pos < bytes.size();) {
        const DecodeStep step = decodeAt(bytes, pos);
        if (step.valid)
            out.append(bytes.substr(pos, step.length));
        else
            append(out, kReplacementChar);
        pos += step.length;
    }
    return out;
}

std::string replaceInvalidBytes(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t pos = 0; pos < bytes.size();) {
        const DecodeStep step = decodeAt(bytes, pos);
        if (step.valid) {
            out.append(bytes.substr(pos, step.length));
            pos += step.length;
        } else {
            append(out, kReplacementChar);
            pos += 1;
        }
    }
    return out;
}

std::vector<char32_t> toCodepoints(std::string_view text) {
    std::vector<char32_t> out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const DecodeStep step = decodeAt(text, pos);
        out.push_back(step.valid ? step.codepoint : kReplacementChar);
        pos += step.valid ? step.length : 1;
    }
    return out;
}

std::string fromCodepoints(const std::vector<char32_t>& codepoints) {
    std::string out;
    out.reserve(codepoints.size());
    for (char32_t cp : codepoints)
        append(out, cp);
    return out;
}

bool isWhitespace(char32_t cp) {
    switch (cp) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

}  // namespace sena::text::utf8
