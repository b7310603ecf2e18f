#pragma once
// Loads image files into 8-bit RGB the way Hugging Face's `load_image` + `convert("RGB")` sees them.
//
// With OpenCV (SENA_WITH_OPENCV): JPEG, PNG, WebP, BMP, TIFF and PNM. Without: binary PPM (P6) and
// PGM (P5) only. Either way:
//  * the header is read first and images over `maxPixels` are refused before decoding
//    (decompression-bomb guard, Pillow's DecompressionBombError threshold by default);
//  * EXIF orientation (JPEG APP1, PNG eXIf, WebP EXIF) is applied as PIL's exif_transpose does;
//    TIFF's own orientation tag is not applied;
//  * grey is replicated to R, G and B; alpha is dropped, not composited, because PIL's
//    convert("RGB") drops it and the models were trained on what PIL produced;
//  * 16-bit samples become 8-bit by keeping the high byte (value >> 8), which is what PIL does
//    for 16-bit RGB(A) PNGs;
//  * CMYK JPEGs are converted by OpenCV (libjpeg), which can differ from Pillow by a few levels;
//  * truncated, empty, unrecognised or undecodable files throw FormatError naming the file.
#include "image/RgbImage.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sena::image {

// Twice Pillow's Image.MAX_IMAGE_PIXELS (1024^3 / 4 / 3): above this Pillow raises
// DecompressionBombError, so no image HF could open is refused.
constexpr std::uint64_t kDefaultMaxImagePixels = 178956970;

struct LoadOptions {
    std::uint64_t maxPixels = kDefaultMaxImagePixels;
    bool applyExifOrientation = true;
};

// Reads and decodes a file. Throws FormatError naming `path` when it cannot be read or decoded.
RgbImage loadImage(const std::string& path, const LoadOptions& options = {});

// Decodes an in-memory file; `nameForErrors` is the name error messages use.
RgbImage decodeImage(const std::vector<std::uint8_t>& bytes, const std::string& nameForErrors,
                     const LoadOptions& options = {});
RgbImage decodeImage(const std::uint8_t* data, std::size_t size, const std::string& nameForErrors,
                     const LoadOptions& options = {});

// The built-in decoder for binary PGM (P5) and PPM (P6), used for them in every build. Samples are
// scaled to 0..255 when the maximum value is below 255; 16-bit samples are scaled to 0..65535 and
// then keep their high byte, as elsewhere.
RgbImage decodePnm(const std::uint8_t* data, std::size_t size, const std::string& nameForErrors,
                   const LoadOptions& options = {});

// Whether this build decodes through OpenCV (else only P5/P6 files load).
bool imageLoaderHasOpenCv();

// Lower-case file extensions (with the dot) this build can load, e.g. ".jpg"; for file dialogs and
// folder scans.
std::vector<std::string> supportedImageExtensions();

}  // namespace sena::image
