#include "image/corruption/ImageCorruptions.h"

#include "image/PilResample.h"
#include "image/corruption/SeededRandom.h"
#include "util/Error.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace sena::image {

namespace {

// A cv::Mat header over the image's bytes (no copy). OpenCV calls it BGR; for channel-blind
// operations (blur) the order does not matter.
cv::Mat wrap(const RgbImage& image) {
    return cv::Mat(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.pixels.data()),
                   image.rowBytes());
}

RgbImage fromMat(const cv::Mat& mat) {
    RgbImage out(mat.cols, mat.rows);
    for (int y = 0; y < mat.rows; ++y)
        std::copy_n(mat.ptr<std::uint8_t>(y), out.rowBytes(), out.row(y));
    return out;
}

void requireImage(const RgbImage& image, const char* what) {
    if (image.empty() || image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 3)
        throw InputError(std::string(what) + ": the image is empty or its pixel buffer does not match " +
                         std::to_string(image.width) + "x" + std::to_string(image.height) + " RGB");
}

// Round half up after clamping (truncating a non-negative value + 0.5), without a libm call per byte.
std::uint8_t toByte(double v) { return static_cast<std::uint8_t>(std::clamp(v, 0.0, 255.0) + 0.5); }

float clamp01(float v) { return std::min(1.f, std::max(0.f, v)); }

// torchvision's rgb_to_grayscale weights (ITU-R 601-2 luma, as PIL's "L" conversion).
float grey(const float* p) { return 0.2989f * p[0] + 0.587f * p[1] + 0.114f * p[2]; }

// torchvision's _rgb2hsv → shift → _hsv2rgb on one pixel in [0, 1].
void rotateHue(float* p, float shift) {
    const float r = p[0], g = p[1], b = p[2];
    const float maxc = std::max({r, g, b});
    const float minc = std::min({r, g, b});
    if (maxc == minc)  // grey: no hue to rotate
        return;
    const float chroma = maxc - minc;
    const float s = chroma / maxc;
    const float rc = (maxc - r) / chroma, gc = (maxc - g) / chroma, bc = (maxc - b) / chroma;
    float h;
    if (maxc == r)
        h = bc - gc;
    else if (maxc == g)
        h = 2.f + rc - bc;
    else
        h = 4.f + gc - rc;
    h = h / 6.f + 1.f + shift;
    h -= std::floor(h);
    const float v = maxc;
    const float h6 = h * 6.f;
    const float fi = std::floor(h6);
    const float f = h6 - fi;
    const int i = static_cast<int>(fi) % 6;
    const float pp = clamp01(v * (1.f - s));
    const float q = clamp01(v * (1.f - s * f));
    const float t = clamp01(v * (1.f - s * (1.f - f)));
    switch (i) {
        case 0: p[0] = v, p[1] = t, p[2] = pp; break;
        case 1: p[0] = q, p[1] = v, p[2] = pp; break;
        case 2: p[0] = pp, p[1] = v, p[2] = t; break;
        case 3: p[0] = pp, p[1] = q, p[2] = v; break;
        case 4: p[0] = t, p[1] = pp, p[2] = v; break;
        default: p[0] = v, p[1] = pp, p[2] = q; break;
    }
}

}  // namespace

RgbImage gaussianBlur(const RgbImage& image, double sigma) {
    requireImage(image, "blur");
    if (!(sigma > 0))
        return image;
    cv::Mat out;
    cv::GaussianBlur(wrap(image), out, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT_101);
    return fromMat(out);
}

RgbImage downscaleUpscale(const RgbImage& image, int size) {
    requireImage(image, "downscale");
    const int longer = std::max(image.width, image.height);
    if (size >= longer)
        return image;
    const double k = static_cast<double>(std::max(size, 1)) / longer;
    const int w = std::max(1, static_cast<int>(std::lround(image.width * k)));
    const int h = std::max(1, static_cast<int>(std::lround(image.height * k)));
    const RgbImage small = pilResize(image, w, h, ResampleFilter::Bilinear);
    return pilResize(small, image.width, image.height, ResampleFilter::Bilinear);
}

ColorJitterDraw drawColorJitter(const ColorJitterParams& params, SeededRandom& rng) {
    ColorJitterDraw draw;
    for (int i = 3; i > 0; --i)  // Fisher–Yates
        std::swap(draw.order[static_cast<std::size_t>(i)],
                  draw.order[static_cast<std::size_t>(rng.uniformInt(0, i))]);
    const auto factor = [&](double d) { return rng.uniform(std::max(0.0, 1.0 - d), 1.0 + d); };
    draw.brightness = factor(params.brightness);
    draw.contrast = factor(params.contrast);
    draw.saturation = factor(params.saturation);
    draw.hue = rng.uniform(-params.hue, params.hue);
    return draw;
}

RgbImage colorJitter(const RgbImage& image, const ColorJitterDraw& draw) {
    requireImage(image, "jitter");
    const std::size_t n = static_cast<std::size_t>(image.width) * image.height;
    std::vector<float> px(n * 3);
    for (std::size_t i = 0; i < px.size(); ++i)
        px[i] = image.pixels[i] / 255.f;
    for (int op : draw.order) {
        if (op == 0 && draw.brightness != 1.0) {
            const float f = static_cast<float>(draw.brightness);
            for (float& v : px)
                v = clamp01(f * v);
        } else if (op == 1 && draw.contrast != 1.0) {
            double sum = 0;  // torchvision: the mean grey level of the whole image
            for (std::size_t i = 0; i < n; ++i)
                sum += grey(&px[i * 3]);
            const float mean = static_cast<float>(sum / static_cast<double>(n));
            const float f = static_cast<float>(draw.contrast);
            for (float& v : px)
                v = clamp01(f * v + (1.f - f) * mean);
        } else if (op == 2 && draw.saturation != 1.0) {
            const float f = static_cast<float>(draw.saturation);
            for (std::size_t i = 0; i < n; ++i) {
                float* p = &px[i * 3];
                const float g = grey(p);
                for (int c = 0; c < 3; ++c)
                    p[c] = clamp01(f * p[c] + (1.f - f) * g);
            }
        } else if (op == 3 && draw.hue != 0.0) {
            const float shift = static_cast<float>(draw.hue);
            for (std::size_t i = 0; i < n; ++i)
                rotateHue(&px[i * 3], shift);
        }
    }
    RgbImage out(image.width, image.height);
    for (std::size_t i = 0; i < px.size(); ++i)
        out.pixels[i] = toByte(px[i] * 255.0);
    return out;
}

RgbImage randomCrop(const RgbImage& image, double scale, std::uint64_t seed) {
    requireImage(image, "crop");
    const double side = std::sqrt(std::clamp(scale, 0.0, 1.0));
    const int cw = std::clamp(static_cast<int>(std::lround(image.width * side)), 1, image.width);
    const int ch = std::clamp(static_cast<int>(std::lround(image.height * side)), 1, image.height);
    if (cw == image.width && ch == image.height)
        return image;
    SeededRandom rng(seed);
    const int left = static_cast<int>(rng.uniformInt(0, image.width - cw));
    const int top = static_cast<int>(rng.uniformInt(0, image.height - ch));
    const ResampleBox box{static_cast<float>(left), static_cast<float>(top), static_cast<float>(left + cw),
                          static_cast<float>(top + ch)};
    return pilResize(image, image.width, image.height, ResampleFilter::Bilinear, box);
}

RgbImage randomMask(const RgbImage& image, double ratio, int fill, std::uint64_t seed) {
    requireImage(image, "mask");
    const int w = image.width, h = image.height;
    const double total = static_cast<double>(w) * h;
    std::array<std::uint8_t, 3> colour{};
    if (fill < 0) {
        double sum[3] = {0, 0, 0};
        for (std::size_t i = 0; i < image.pixels.size(); ++i)
            sum[i % 3] += image.pixels[i];
        for (int c = 0; c < 3; ++c)
            colour[static_cast<std::size_t>(c)] = toByte(sum[c] / total);
    } else {
        colour.fill(static_cast<std::uint8_t>(std::min(fill, 255)));
    }
    RgbImage out = image;
    std::vector<std::uint8_t> covered(static_cast<std::size_t>(w) * h, 0);
    double coveredCount = 0;
    const double target = std::clamp(ratio, 0.0, 1.0) * total;
    SeededRandom rng(seed);
    for (int rect = 0; rect < 512; ++rect) {
        const double remaining = target - coveredCount;
        if (remaining < std::max(1.0, 0.002 * total))
            break;
        // No rectangle larger than what is still to cover, so the total does not overshoot by much.
        const double area = std::min(remaining, rng.uniform(0.02, 0.15) * total);
        const double aspect = std::exp(rng.uniform(std::log(0.5), std::log(2.0)));
        const int rw = std::clamp(static_cast<int>(std::lround(std::sqrt(area * aspect))), 1, w);
        const int rh = std::clamp(static_cast<int>(std::lround(std::sqrt(area / aspect))), 1, h);
        const int x0 = static_cast<int>(rng.uniformInt(0, w - rw));
        const int y0 = static_cast<int>(rng.uniformInt(0, h - rh));
        for (int y = y0; y < y0 + rh; ++y) {
            for (int x = x0; x < x0 + rw; ++x) {
                std::uint8_t& mark = covered[static_cast<std::size_t>(y) * w + x];
                if (!mark) {
                    mark = 1;
                    coveredCount += 1;
                }
                for (int c = 0; c < 3; ++c)
                    out.at(x, y, c) = colour[static_cast<std::size_t>(c)];
            }
        }
    }
    return out;
}

RgbImage jpegRecompress(const RgbImage& image, int quality) {
    requireImage(image, "jpeg");
    cv::Mat bgr;
    cv::cvtColor(wrap(image), bgr, cv::COLOR_RGB2BGR);  // libjpeg's YCbCr conversion needs the true order
    std::vector<std::uint8_t> bytes;
    const std::vector<int> flags{cv::IMWRITE_JPEG_QUALITY, std::clamp(quality, 1, 100)};
    if (!cv::imencode(".jpg", bgr, bytes, flags))
        throw InputError("jpeg: OpenCV could not encode a " + std::to_string(image.width) + "x" +
                         std::to_string(image.height) + " image");
    const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_COLOR);
    if (decoded.empty() || decoded.cols != image.width || decoded.rows != image.height)
        throw InputError("jpeg: OpenCV could not decode the re-encoded image");
    cv::Mat rgb;
    cv::cvtColor(decoded, rgb, cv::COLOR_BGR2RGB);
    return fromMat(rgb);
}

RgbImage addPixelNoise(const RgbImage& image, double sigma, std::uint64_t seed) {
    requireImage(image, "noise");
    RgbImage out(image.width, image.height);
    SeededRandom rng(seed);
    for (std::size_t i = 0; i < image.pixels.size(); ++i)
        out.pixels[i] = toByte(image.pixels[i] + sigma * static_cast<double>(rng.normal()));
    return out;
}

}  // namespace sena::image
