#pragma once
// An 8-bit RGB image in row-major HWC order: the one pixel format core/image hands around, so the
// loader, the resampler and the preprocessor never need a third-party image type in their API.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sena::image {

struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;  // HWC RGB8, size width * height * 3

    static constexpr int kChannels = 3;

    RgbImage() = default;
    RgbImage(int w, int h) : width(w), height(h), pixels(static_cast<std::size_t>(w) * h * kChannels, 0) {}
    // An image filled with one colour.
    static RgbImage filled(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
        RgbImage img(w, h);
        for (std::size_t i = 0; i < img.pixels.size(); i += kChannels) {
            img.pixels[i] = r;
            img.pixels[i + 1] = g;
            img.pixels[i + 2] = b;
        }
        return img;
    }

    bool empty() const { return width <= 0 || height <= 0; }
    std::size_t rowBytes() const { return static_cast<std::size_t>(width) * kChannels; }
    std::size_t index(int x, int y, int c = 0) const {
        return (static_cast<std::size_t>(y) * width + x) * kChannels + c;
    }
    std::uint8_t at(int x, int y, int c) const { return pixels[index(x, y, c)]; }
    std::uint8_t& at(int x, int y, int c) { return pixels[index(x, y, c)]; }
    const std::uint8_t* row(int y) const { return pixels.data() + static_cast<std::size_t>(y) * rowBytes(); }
    std::uint8_t* row(int y) { return pixels.data() + static_cast<std::size_t>(y) * rowBytes(); }

    bool operator==(const RgbImage& other) const {
        return width == other.width && height == other.height && pixels == other.pixels;
    }
    bool operator!=(const RgbImage& other) const { return !(*this == other); }
};

// Copies `src` into `dst` with its top-left corner at (left, top); parts outside `dst` are clipped.
void pasteImage(RgbImage& dst, const RgbImage& src, int left, int top);

// Re-orients an image as an EXIF Orientation tag (1..8) asks, the way PIL's ImageOps.exif_transpose
// does (which Hugging Face's image loading applies). Values outside 2..8 leave the image as it is.
RgbImage applyExifOrientation(const RgbImage& image, int orientation);

}  // namespace sena::image
