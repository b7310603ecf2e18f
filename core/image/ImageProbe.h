#pragma once
// Reads what an image file claims about itself (format, size, EXIF orientation) from its header,
// without decoding pixels: the decompression-bomb guard must run before any decoder allocates.
// Plain C++, so the same checks run in builds without OpenCV.
#include <cstddef>
#include <cstdint>
#include <string>

namespace sena::image {

enum class ImageFormat { Unknown, Jpeg, Png, WebP, Bmp, Tiff, Pnm };

const char* imageFormatName(ImageFormat format);  // "JPEG", "PNG", ...

struct ImageHeader {
    ImageFormat format = ImageFormat::Unknown;
    std::int64_t width = 0;   // as the header claims, before any EXIF rotation
    std::int64_t height = 0;
    int exifOrientation = 1;  // EXIF Orientation (1..8); 1 when absent or unreadable
    char pnmKind = 0;         // for PNM: the digit after 'P' ('1'..'6')
};

// Identifies the format by its magic bytes and reads the header. Throws FormatError naming
// `nameForErrors` when the data is empty, is not a supported format, or its header is cut short
// or malformed (including a JPEG with no end-of-image marker, i.e. a truncated download).
ImageHeader probeImageHeader(const std::uint8_t* data, std::size_t size, const std::string& nameForErrors);

// The Orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block (starting at "II*\0" or
// "MM\0*", optionally preceded by "Exif\0\0"); 1 when absent, out of range or unreadable.
int exifOrientationFromTiff(const std::uint8_t* data, std::size_t size);

// The header of a binary or ASCII PNM file (P1..P6).
struct PnmHeader {
    char kind = 0;             // '1'..'6'
    std::int64_t width = 0;
    std::int64_t height = 0;
    std::int64_t maxValue = 1;  // 1 for bitmaps (P1, P4)
    std::size_t dataOffset = 0;
};

// Throws FormatError naming `nameForErrors` for a malformed header.
PnmHeader parsePnmHeader(const std::uint8_t* data, std::size_t size, const std::string& nameForErrors);

}  // namespace sena::image
