#include "image/RgbImage.h"

#include <algorithm>
#include <cstring>

namespace sena::image {

void pasteImage(RgbImage& dst, const RgbImage& src, int left, int top) {
    const int x0 = std::max(0, left);
    const int y0 = std::max(0, top);
    const int x1 = std::min(dst.width, left + src.width);
    const int y1 = std::min(dst.height, top + src.height);
    if (x0 >= x1 || y0 >= y1)
        return;
    const std::size_t bytes = static_cast<std::size_t>(x1 - x0) * RgbImage::kChannels;
    for (int y = y0; y < y1; ++y)
        std::memcpy(dst.row(y) + static_cast<std::size_t>(x0) * RgbImage::kChannels,
                    src.row(y - top) + static_cast<std::size_t>(x0 - left) * RgbImage::kChannels, bytes);
}

RgbImage applyExifOrientation(const RgbImage& image, int orientation) {
    if (orientation < 2 || orientation > 8 || image.empty())
        return image;
    const int w = image.width;
    const int h = image.height;
    const bool swaps = orientation >= 5;  // 5..8 exchange width and height
    RgbImage out(swaps ? h : w, swaps ? w : h);
    for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
            // Source pixel for output (x, y); names follow PIL's Image.Transpose members.
            int sx = x, sy = y;
            switch (orientation) {
            case 2: sx = w - 1 - x; break;                    // FLIP_LEFT_RIGHT
            case 3: sx = w - 1 - x; sy = h - 1 - y; break;    // ROTATE_180
            case 4: sy = h - 1 - y; break;                    // FLIP_TOP_BOTTOM
            case 5: sx = y; sy = x; break;                    // TRANSPOSE
            case 6: sx = y; sy = h - 1 - x; break;            // ROTATE_270 (90° clockwise)
            case 7: sx = w - 1 - y; sy = h - 1 - x; break;    // TRANSVERSE
            case 8: sx = w - 1 - y; sy = x; break;            // ROTATE_90 (90° counter-clockwise)
            }
            const std::uint8_t* s = &image.pixels[image.index(sx, sy)];
            std::uint8_t* d = &out.pixels[out.index(x, y)];
            d[0] = s[0];
            d[1] = s[1];
            d[2] = s[2];
        }
    }
    return out;
}

}  // namespace sena::image
