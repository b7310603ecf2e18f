#include "image/ImageProbe.h"

#include "util/Error.h"

#include <cctype>
#include <cstdio>
#include <cstring>

namespace sena::image {

namespace {

// Bounds-checked big/little-endian reads; callers check `ok(offset, n)` first.
struct Bytes {
    const std::uint8_t* p;
    std::size_t size;

    bool ok(std::size_t offset, std::size_t n) const { return offset <= size && n <= size - offset; }
    bool startsWith(std::size_t offset, const char* magic) const {
        const std::size_t n = std::strlen(magic);
        return ok(offset, n) && std::memcmp(p + offset, magic, n) == 0;
    }
    std::uint32_t be16(std::size_t o) const { return (p[o] << 8) | p[o + 1]; }
    std::uint32_t be32(std::size_t o) const {
        return (std::uint32_t(p[o]) << 24) | (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3];
    }
    std::uint32_t le16(std::size_t o) const { return p[o] | (p[o + 1] << 8); }
    std::uint32_t le24(std::size_t o) const { return p[o] | (p[o + 1] << 8) | (p[o + 2] << 16); }
    std::uint32_t le32(std::size_t o) const { return le24(o) | (std::uint32_t(p[o + 3]) << 24); }
    std::uint64_t le64(std::size_t o) const { return le32(o) | (std::uint64_t(le32(o + 4)) << 32); }
    std::uint64_t be64(std::size_t o) const { return (std::uint64_t(be32(o)) << 32) | be32(o + 4); }
};

[[noreturn]] void fail(const std::string& name, const std::string& what) {
    throw FormatError("'" + name + "' " + what);
}

[[noreturn]] void truncated(const std::string& name, const char* format) {
    fail(name, std::string("is a truncated or corrupt ") + format +
                   " file (its header ends early); re-download or re-export it");
}

ImageHeader probeJpeg(const Bytes& b, const std::string& name) {
    ImageHeader h;
    h.format = ImageFormat::Jpeg;
    std::size_t pos = 2;
    bool haveFrame = false;
    std::size_t scanStart = 0;
    while (scanStart == 0) {
        // Markers may be preceded by fill bytes (0xFF); libjpeg also skips stray bytes with a warning.
        while (pos < b.size && b.p[pos] != 0xFF)
            ++pos;
        while (pos < b.size && b.p[pos] == 0xFF)
            ++pos;
        if (pos >= b.size)
            truncated(name, "JPEG");
        const std::uint8_t marker = b.p[pos++];
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            continue;  // markers without a length field
        if (marker == 0xD9)
            fail(name, "is a JPEG file that ends before any image data; re-export it");
        if (!b.ok(pos, 2))
            truncated(name, "JPEG");
        const std::size_t length = b.be16(pos);
        if (length < 2 || !b.ok(pos, length))
            truncated(name, "JPEG");
        const std::size_t seg = pos + 2;  // segment payload
        const std::size_t segLen = length - 2;
        const bool isFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (isFrame && !haveFrame) {
            if (segLen < 5)
                truncated(name, "JPEG");
            h.height = b.be16(seg + 1);
            h.width = b.be16(seg + 3);
            haveFrame = true;
        } else if (marker == 0xE1 && h.exifOrientation == 1 && segLen > 6 && b.startsWith(seg, "Exif")) {
            h.exifOrientation = exifOrientationFromTiff(b.p + seg, segLen);
        } else if (marker == 0xDA) {
            scanStart = pos + length;
        }
        pos += length;
    }
    if (!haveFrame)
        fail(name, "is a JPEG file without a frame header (SOF); it is corrupt, re-export it");
    // A complete JPEG ends with EOI (FF D9). Inside entropy-coded data 0xFF is always followed by 0x00
    // or a restart marker, so FF D9 can only be the real end. libjpeg would instead pad a truncated
    // file with grey and only warn, which would silently feed a half-grey image to the model.
    for (std::size_t i = scanStart; i + 1 < b.size; ++i)
        if (b.p[i] == 0xFF && b.p[i + 1] == 0xD9)
            return h;
    fail(name, "is a truncated JPEG file (no end-of-image marker); re-download or re-export it");
}

ImageHeader probePng(const Bytes& b, const std::string& name) {
    ImageHeader h;
    h.format = ImageFormat::Png;
    if (!b.ok(8, 25) || b.be32(8) != 13 || !b.startsWith(12, "IHDR"))
        truncated(name, "PNG");
    h.width = b.be32(16);
    h.height = b.be32(20);
    // Look for an eXIf chunk; stop at the first chunk that runs past the end (libpng judges the rest).
    std::size_t pos = 8;
    while (b.ok(pos, 12)) {
        const std::size_t length = b.be32(pos);
        if (!b.ok(pos + 8, length))
            break;
        if (b.startsWith(pos + 4, "eXIf")) {
            h.exifOrientation = exifOrientationFromTiff(b.p + pos + 8, length);
            break;
        }
        if (b.startsWith(pos + 4, "IEND"))
            break;
        pos += 12 + length;
    }
    return h;
}

ImageHeader probeWebP(const Bytes& b, const std::string& name) {
    ImageHeader h;
    h.format = ImageFormat::WebP;
    if (!b.ok(12, 8 + 10))
        truncated(name, "WebP");
    const std::size_t data = 20;
    if (b.startsWith(12, "VP8 ")) {
        if (b.p[data + 3] != 0x9D || b.p[data + 4] != 0x01 || b.p[data + 5] != 0x2A)
            fail(name, "is a WebP file with a corrupt VP8 frame header; re-export it");
        h.width = b.le16(data + 6) & 0x3FFF;
        h.height = b.le16(data + 8) & 0x3FFF;
    } else if (b.startsWith(12, "VP8L")) {
        if (b.p[data] != 0x2F)
            fail(name, "is a WebP file with a corrupt VP8L header; re-export it");
        const std::uint32_t bits = b.le32(data + 1);
        h.width = (bits & 0x3FFF) + 1;
        h.height = ((bits >> 14) & 0x3FFF) + 1;
    } else if (b.startsWith(12, "VP8X")) {
        h.width = std::int64_t(b.le24(data + 4)) + 1;
        h.height = std::int64_t(b.le24(data + 7)) + 1;
        // The extended format keeps EXIF in its own chunk.
        std::size_t pos = 12;
        while (b.ok(pos, 8)) {
            const std::size_t length = b.le32(pos + 4);
            if (!b.ok(pos + 8, length))
                break;
            if (b.startsWith(pos, "EXIF")) {
                h.exifOrientation = exifOrientationFromTiff(b.p + pos + 8, length);
                break;
            }
            pos += 8 + length + (length & 1);
        }
    } else {
        fail(name, "is a WebP file of an unknown kind (first chunk is not VP8, VP8L or VP8X); re-export it");
    }
    return h;
}

ImageHeader probeBmp(const Bytes& b, const std::string& name) {
    ImageHeader h;
    h.format = ImageFormat::Bmp;
    if (!b.ok(0, 26))
        truncated(name, "BMP");
    const std::uint32_t dibSize = b.le32(14);
    if (dibSize == 12) {  // OS/2 BITMAPCOREHEADER: unsigned 16-bit sizes
        h.width = b.le16(18);
        h.height = b.le16(20);
    } else if (dibSize >= 16) {
        const auto w = static_cast<std::int32_t>(b.le32(18));
        const auto ht = static_cast<std::int32_t>(b.le32(22));
        h.width = w;
        h.height = ht < 0 ? -std::int64_t(ht) : ht;  // negative height = rows stored top-down
    } else {
        fail(name, "is a BMP file with an unknown header size " + std::to_string(dibSize) + "; re-export it");
    }
    return h;
}

ImageHeader probeTiff(const Bytes& b, const std::string& name) {
    ImageHeader h;
    h.format = ImageFormat::Tiff;
    const bool little = b.p[0] == 'I';
    auto u16 = [&](std::size_t o) { return little ? b.le16(o) : b.be16(o); };
    auto u32 = [&](std::size_t o) { return little ? b.le32(o) : b.be32(o); };
    auto u64 = [&](std::size_t o) { return little ? b.le64(o) : b.be64(o); };
    const bool big = u16(2) == 43;  // BigTIFF: 64-bit offsets and counts, 20-byte entries
    std::uint64_t ifd = 0, count = 0;
    std::size_t entrySize = 12, first = 0;
    if (big) {
        if (!b.ok(0, 16))
            truncated(name, "TIFF");
        ifd = u64(8);
        if (!b.ok(ifd, 8))
            truncated(name, "TIFF");
        count = u64(ifd);
        entrySize = 20;
        first = ifd + 8;
    } else {
        ifd = u32(4);
        if (!b.ok(ifd, 2))
            truncated(name, "TIFF");
        count = u16(ifd);
        first = ifd + 2;
    }
    if (count > 4096 || !b.ok(first, count * entrySize))
        truncated(name, "TIFF");
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::size_t e = first + i * entrySize;
        const std::uint32_t tag = u16(e);
        const std::uint32_t type = u16(e + 2);
        const std::size_t value = e + (big ? 12 : 8);
        std::int64_t v = -1;
        if (type == 3)
            v = u16(value);
        else if (type == 4)
            v = u32(value);
        else if (type == 16 && big)
            v = static_cast<std::int64_t>(u64(value) & 0x7FFFFFFFFFFFFFFFull);
        if (tag == 256)
            h.width = v;
        else if (tag == 257)
            h.height = v;
    }
    if (h.width < 0 || h.height < 0)
        fail(name, "is a TIFF file whose first image has no readable width or height; re-export it");
    return h;
}

void skipPnmSpace(const Bytes& b, std::size_t& pos) {
    while (pos < b.size) {
        if (b.p[pos] == '#') {
            while (pos < b.size && b.p[pos] != '\n' && b.p[pos] != '\r')
                ++pos;
        } else if (std::isspace(b.p[pos])) {
            ++pos;
        } else {
            break;
        }
    }
}

std::int64_t readPnmNumber(const Bytes& b, std::size_t& pos, const std::string& name, const char* what) {
    skipPnmSpace(b, pos);
    if (pos >= b.size || !std::isdigit(b.p[pos]))
        fail(name, std::string("is a PNM file whose header has no valid ") + what + "; re-export it");
    std::int64_t v = 0;
    while (pos < b.size && std::isdigit(b.p[pos])) {
        v = v * 10 + (b.p[pos++] - '0');
        if (v > (std::int64_t(1) << 40))
            fail(name, std::string("is a PNM file with an absurd ") + what + "; re-export it");
    }
    return v;
}

}  // namespace

const char* imageFormatName(ImageFormat format) {
    switch (format) {
    case ImageFormat::Jpeg: return "JPEG";
    case ImageFormat::Png: return "PNG";
    case ImageFormat::WebP: return "WebP";
    case ImageFormat::Bmp: return "BMP";
    case ImageFormat::Tiff: return "TIFF";
    case ImageFormat::Pnm: return "PNM";
    case ImageFormat::Unknown: break;
    }
    return "unknown";
}

int exifOrientationFromTiff(const std::uint8_t* data, std::size_t size) {
    Bytes b{data, size};
    std::size_t base = 0;
    if (b.startsWith(0, "Exif"))
        base = 6;  // "Exif\0\0" as JPEG APP1 (and some PNG/WebP writers) put it
    if (!b.ok(base, 8))
        return 1;
    const bool little = b.startsWith(base, "II*");
    if (!little && !(b.startsWith(base, "MM") && b.p[base + 2] == 0 && b.p[base + 3] == 42))
        return 1;
    auto u16 = [&](std::size_t o) { return little ? b.le16(o) : b.be16(o); };
    auto u32 = [&](std::size_t o) { return little ? b.le32(o) : b.be32(o); };
    const std::size_t ifd = base + u32(base + 4);
    if (ifd < base || !b.ok(ifd, 2))
        return 1;
    const std::size_t count = u16(ifd);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t e = ifd + 2 + i * 12;
        if (!b.ok(e, 12))
            return 1;
        if (u16(e) == 0x0112) {
            const std::uint32_t type = u16(e + 2);
            const std::uint32_t v = type == 3 ? u16(e + 8) : (type == 4 ? u32(e + 8) : 0);
            return (v >= 1 && v <= 8) ? static_cast<int>(v) : 1;
        }
    }
    return 1;
}

PnmHeader parsePnmHeader(const std::uint8_t* data, std::size_t size, const std::string& name) {
    Bytes b{data, size};
    if (!b.ok(0, 2) || b.p[0] != 'P' || b.p[1] < '1' || b.p[1] > '6')
        fail(name, "is not a PNM (P1..P6) file");
    PnmHeader h;
    h.kind = static_cast<char>(b.p[1]);
    std::size_t pos = 2;
    h.width = readPnmNumber(b, pos, name, "width");
    h.height = readPnmNumber(b, pos, name, "height");
    if (h.kind != '1' && h.kind != '4') {
        h.maxValue = readPnmNumber(b, pos, name, "maximum value");
        if (h.maxValue < 1 || h.maxValue > 65535)
            fail(name, "is a PNM file with maximum value " + std::to_string(h.maxValue) +
                           " (must be 1..65535); re-export it");
    }
    // Exactly one whitespace byte separates the header from binary data.
    if (pos >= b.size || !std::isspace(b.p[pos]))
        truncated(name, "PNM");
    h.dataOffset = pos + 1;
    return h;
}

ImageHeader probeImageHeader(const std::uint8_t* data, std::size_t size, const std::string& name) {
    if (size == 0)
        fail(name, "is empty (0 bytes); re-download or re-export it");
    const Bytes b{data, size};
    ImageHeader h;
    if (b.startsWith(0, "\xFF\xD8\xFF"))
        h = probeJpeg(b, name);
    else if (b.startsWith(0, "\x89PNG\r\n\x1A\n"))
        h = probePng(b, name);
    else if (b.startsWith(0, "RIFF") && b.startsWith(8, "WEBP"))
        h = probeWebP(b, name);
    else if (b.startsWith(0, "BM"))
        h = probeBmp(b, name);
    else if (b.ok(0, 8) && ((b.startsWith(0, "II") && b.p[3] == 0 && (b.p[2] == 42 || b.p[2] == 43)) ||
                            (b.startsWith(0, "MM") && b.p[2] == 0 && (b.p[3] == 42 || b.p[3] == 43))))
        h = probeTiff(b, name);
    else if (b.ok(0, 2) && b.p[0] == 'P' && b.p[1] >= '1' && b.p[1] <= '6') {
        const PnmHeader pnm = parsePnmHeader(data, size, name);
        h.format = ImageFormat::Pnm;
        h.width = pnm.width;
        h.height = pnm.height;
        h.pnmKind = pnm.kind;
    } else {
        std::string kind;
        if (b.startsWith(0, "GIF8"))
            kind = " (it is a GIF)";
        else if (b.startsWith(4, "ftyp"))
            kind = " (it looks like HEIC/AVIF)";
        std::string first;
        for (std::size_t i = 0; i < size && i < 8; ++i) {
            char hex[4];
            std::snprintf(hex, sizeof hex, i ? " %02x" : "%02x", b.p[i]);
            first += hex;
        }
        fail(name, "is not a supported image format" + kind +
                       ": expected JPEG, PNG, WebP, BMP, TIFF or PPM/PGM (first bytes: " + first +
                       "); convert it to PNG or JPEG");
    }
    if (h.width <= 0 || h.height <= 0)
        fail(name, std::string("is a ") + imageFormatName(h.format) + " file that claims a size of " +
                       std::to_string(h.width) + "x" + std::to_string(h.height) + "; it is corrupt, re-export it");
    return h;
}

}  // namespace sena::image
