#pragma once
// Helpers to show corruptions: a clean | corrupted strip and PNG output, so clients (the CLI, a
// report exporter) need no image library of their own.
#include "image/RgbImage.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sena::image {

// `left` and `right` next to each other with a `gap`-pixel mid-grey bar between them; the shorter
// one is top-aligned on a mid-grey background.
RgbImage sideBySide(const RgbImage& left, const RgbImage& right, int gap = 4);

// PNG bytes (OpenCV/libpng, lossless). Throws InputError for an empty image.
std::vector<std::uint8_t> encodePng(const RgbImage& image);

// Writes the image as PNG whatever the file's extension; throws FormatError naming the path when
// the file cannot be written.
void writePng(const RgbImage& image, const std::string& path);

}  // namespace sena::image
