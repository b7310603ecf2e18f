#include "image/PilResample.h"

#include "util/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace sena::image {

namespace {

constexpr double kPi = 3.14159265358979323846;  // M_PI, which strict C++ need not define

// Pillow's filter kernels, with its expression order kept so the doubles round the same way.
double boxKernel(double x) {
    return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0;
}

double bilinearKernel(double x) {
    if (x < 0.0)
        x = -x;
    return x < 1.0 ? 1.0 - x : 0.0;
}

double hammingKernel(double x) {
    if (x < 0.0)
        x = -x;
    if (x == 0.0)
        return 1.0;
    if (x >= 1.0)
        return 0.0;
    x = x * kPi;
    return std::sin(x) / x * (0.54f + 0.46f * std::cos(x));  // float constants, as in Pillow
}

double bicubicKernel(double x) {
    constexpr double a = -0.5;  // Pillow's choice; OpenCV and torch use -0.75
    if (x < 0.0)
        x = -x;
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0)
        return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}

// PyTorch's antialiasing cubic (same a; the outer piece is evaluated in a different order).
double torchBicubicKernel(double x) {
    constexpr double a = -0.5;
    if (x < 0.0)
        x = -x;
    if (x < 1.0)
        return ((a + 2) * x - (a + 3)) * x * x + 1;
    if (x < 2.0)
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    return 0.0;
}

double sinc(double x) {
    if (x == 0.0)
        return 1.0;
    x = x * kPi;
    return std::sin(x) / x;
}

double lanczosKernel(double x) {
    if (-3.0 <= x && x < 3.0)
        return sinc(x) * sinc(x / 3);
    return 0.0;
}

struct Kernel {
    double (*fn)(double);
    double support;
};

Kernel kernelFor(ResampleFilter filter, ResampleArithmetic arithmetic) {
    if (arithmetic == ResampleArithmetic::TorchUint8) {
        // torch's native uint8 antialiased path exists for these two only (torchvision refuses the others).
        if (filter == ResampleFilter::Bicubic)
            return {torchBicubicKernel, 2.0};
        if (filter == ResampleFilter::Bilinear)
            return {bilinearKernel, 1.0};
        throw InputError(std::string("resize: the torch/torchvision arithmetic supports BILINEAR and BICUBIC only, not ") +
                         resampleFilterName(filter));
    }
    switch (filter) {
    case ResampleFilter::Box: return {boxKernel, 0.5};
    case ResampleFilter::Bilinear: return {bilinearKernel, 1.0};
    case ResampleFilter::Hamming: return {hammingKernel, 1.0};
    case ResampleFilter::Bicubic: return {bicubicKernel, 2.0};
    case ResampleFilter::Lanczos: return {lanczosKernel, 3.0};
    case ResampleFilter::Nearest: break;
    }
    throw InputError("resample filter NEAREST has no convolution kernel");
}

constexpr int kPrecisionBits = 32 - 8 - 2;

// Per output pixel along one axis: the first source index, the number of taps, and `taps` fixed-point
// weights (only the first `count` are used) with `precision` fractional bits.
struct AxisWeights {
    int taps = 0;
    int precision = kPrecisionBits;
    std::vector<int> first;
    std::vector<int> count;
    std::vector<std::int32_t> weights;
};

// torch stores weights as int16 and picks, per axis, the most fractional bits (at most 22) for which
// the largest weight still fits: the first p where round(max * 2^(p+1)) reaches 2^15.
int torchPrecision(double maxWeight) {
    int p = 0;
    for (; p < kPrecisionBits; ++p)
        if (static_cast<int>(0.5 + maxWeight * (1 << (p + 1))) >= (1 << 15))
            break;
    return std::max(p, 1);  // normalised weights never get near 2^14, so this is only a guard
}

AxisWeights computeAxisWeights(int inSize, float in0, float in1, int outSize, const Kernel& kernel,
                               ResampleArithmetic arithmetic) {
    // (in1 - in0) is a float subtraction in Pillow (box is float[4]); keep it.
    const double scale = static_cast<double>(in1 - in0) / outSize;
    const double filterScale = scale < 1.0 ? 1.0 : scale;  // widen the support only when shrinking
    const double support = kernel.support * filterScale;
    const int taps = static_cast<int>(std::ceil(support)) * 2 + 1;
    if (static_cast<long long>(taps) * outSize > std::numeric_limits<int>::max() / 8)
        throw InputError("resize: " + std::to_string(outSize) + " output pixels with " + std::to_string(taps) +
                         " taps each is too large");

    AxisWeights out;
    out.taps = taps;
    out.first.resize(outSize);
    out.count.resize(outSize);
    out.weights.assign(static_cast<std::size_t>(outSize) * taps, 0);
    std::vector<double> normalised(static_cast<std::size_t>(outSize) * taps, 0.0);
    double maxWeight = 0.0;
    const double invFilterScale = 1.0 / filterScale;
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = in0 + (xx + 0.5) * scale;
        // (int) truncation then clamping, exactly as Pillow "rounds" the window ends.
        int xmin = static_cast<int>(center - support + 0.5);
        if (xmin < 0)
            xmin = 0;
        int xmax = static_cast<int>(center + support + 0.5);
        if (xmax > inSize)
            xmax = inSize;
        xmax -= xmin;
        xmax = std::clamp(xmax, 0, taps);  // the upper clamp never binds; it guards the buffer
        double* k = &normalised[static_cast<std::size_t>(xx) * taps];
        double sum = 0.0;
        for (int x = 0; x < xmax; ++x) {
            const double w = kernel.fn((x + xmin - center + 0.5) * invFilterScale);
            k[x] = w;
            sum += w;
        }
        if (sum != 0.0)
            for (int x = 0; x < xmax; ++x) {
                k[x] /= sum;
                maxWeight = std::max(maxWeight, k[x]);
            }
        out.first[xx] = xmin;
        out.count[xx] = xmax;
    }
    out.precision = arithmetic == ResampleArithmetic::Pillow ? kPrecisionBits : torchPrecision(maxWeight);
    const double one = static_cast<double>(1 << out.precision);
    for (std::size_t i = 0; i < normalised.size(); ++i) {
        const double scaled = normalised[i] * one;
        out.weights[i] = static_cast<std::int32_t>(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
    }
    return out;
}

// Accumulators are 32-bit as in Pillow: |sum| <= 255 * sum(|w|) * 2^22 + 2^21 stays below 2^31 because
// the normalised kernels here have sum(|w|) < 1.5 (Lanczos's negative lobes give the most, ~1.3).
inline std::uint8_t clip8(std::int32_t acc, int precision) {
    const std::int32_t v = acc >> precision;  // arithmetic shift: floor, as Pillow's table lookup
    return static_cast<std::uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// Horizontal pass over source rows [rowOffset, rowOffset + outHeight).
RgbImage resampleHorizontal(const RgbImage& src, int outWidth, int rowOffset, int outHeight, const AxisWeights& w) {
    RgbImage out(outWidth, outHeight);
    const std::int32_t half = std::int32_t(1) << (w.precision - 1);
    for (int yy = 0; yy < outHeight; ++yy) {
        const std::uint8_t* in = src.row(yy + rowOffset);
        std::uint8_t* dst = out.row(yy);
        for (int xx = 0; xx < outWidth; ++xx) {
            const std::int32_t* k = &w.weights[static_cast<std::size_t>(xx) * w.taps];
            const std::uint8_t* p = in + static_cast<std::size_t>(w.first[xx]) * 3;
            std::int32_t s0 = half, s1 = half, s2 = half;
            for (int x = 0; x < w.count[xx]; ++x, p += 3) {
                s0 += p[0] * k[x];
                s1 += p[1] * k[x];
                s2 += p[2] * k[x];
            }
            dst[xx * 3 + 0] = clip8(s0, w.precision);
            dst[xx * 3 + 1] = clip8(s1, w.precision);
            dst[xx * 3 + 2] = clip8(s2, w.precision);
        }
    }
    return out;
}

// Vertical pass; rows are accumulated tap by tap so the inner loop runs along memory.
RgbImage resampleVertical(const RgbImage& src, int outHeight, const AxisWeights& w) {
    RgbImage out(src.width, outHeight);
    const std::size_t n = src.rowBytes();
    std::vector<std::int32_t> acc(n);
    const std::int32_t half = std::int32_t(1) << (w.precision - 1);
    for (int yy = 0; yy < outHeight; ++yy) {
        const std::int32_t* k = &w.weights[static_cast<std::size_t>(yy) * w.taps];
        std::fill(acc.begin(), acc.end(), half);
        for (int y = 0; y < w.count[yy]; ++y) {
            const std::uint8_t* in = src.row(w.first[yy] + y);
            const std::int32_t ky = k[y];
            for (std::size_t i = 0; i < n; ++i)
                acc[i] += in[i] * ky;
        }
        std::uint8_t* dst = out.row(yy);
        for (std::size_t i = 0; i < n; ++i)
            dst[i] = clip8(acc[i], w.precision);
    }
    return out;
}

// Pillow's NEAREST resize is an affine transform (ImagingScaleAffine): source coordinates are
// accumulated step by step in double from the pixel centre, truncated, and out-of-range pixels are 0.
RgbImage resizeNearest(const RgbImage& src, int width, int height, const ResampleBox& box) {
    const double sx = static_cast<double>(box.x1 - box.x0) / width;
    const double sy = static_cast<double>(box.y1 - box.y0) / height;
    auto coord = [](double v) { return v < 0.0 ? -1 : static_cast<int>(v); };
    std::vector<int> xin(width, -1);
    double xo = box.x0 + sx * 0.5;
    for (int x = 0; x < width; ++x) {
        const int xi = coord(xo);
        if (xi >= 0 && xi < src.width)
            xin[x] = xi;
        xo += sx;
    }
    RgbImage out(width, height);
    double yo = box.y0 + sy * 0.5;
    for (int y = 0; y < height; ++y) {
        const int yi = coord(yo);
        if (yi >= 0 && yi < src.height) {
            const std::uint8_t* in = src.row(yi);
            std::uint8_t* dst = out.row(y);
            for (int x = 0; x < width; ++x) {
                if (xin[x] < 0)
                    continue;
                const std::uint8_t* p = in + static_cast<std::size_t>(xin[x]) * 3;
                dst[x * 3 + 0] = p[0];
                dst[x * 3 + 1] = p[1];
                dst[x * 3 + 2] = p[2];
            }
        }
        yo += sy;
    }
    return out;
}

}  // namespace

const char* resampleFilterName(ResampleFilter filter) {
    switch (filter) {
    case ResampleFilter::Nearest: return "NEAREST";
    case ResampleFilter::Lanczos: return "LANCZOS";
    case ResampleFilter::Bilinear: return "BILINEAR";
    case ResampleFilter::Bicubic: return "BICUBIC";
    case ResampleFilter::Box: return "BOX";
    case ResampleFilter::Hamming: return "HAMMING";
    }
    return "?";
}

ResampleFilter resampleFilterFromPil(long long code, const std::string& where) {
    if (code >= 0 && code <= 5)
        return static_cast<ResampleFilter>(code);
    throw ConfigError(where + ": resample " + std::to_string(code) +
                      " is not a Pillow resampling filter (0 NEAREST, 1 LANCZOS, 2 BILINEAR, 3 BICUBIC, 4 BOX, "
                      "5 HAMMING); fix the value in the file");
}

namespace {

RgbImage resizeImpl(const RgbImage& src, int width, int height, ResampleFilter filter, const ResampleBox& box,
                    ResampleArithmetic arithmetic) {
    if (src.empty() || src.pixels.size() != static_cast<std::size_t>(src.width) * src.height * 3)
        throw InputError("resize: the source image is empty or its pixel buffer does not match " +
                         std::to_string(src.width) + "x" + std::to_string(src.height));
    if (width < 1 || height < 1)
        throw InputError("resize: target size " + std::to_string(width) + "x" + std::to_string(height) +
                         " must be at least 1x1");
    if (box.x0 < 0 || box.y0 < 0 || box.x1 > src.width || box.y1 > src.height || !(box.x1 > box.x0) ||
        !(box.y1 > box.y0))
        throw InputError("resize: box (" + std::to_string(box.x0) + ", " + std::to_string(box.y0) + ", " +
                         std::to_string(box.x1) + ", " + std::to_string(box.y1) +
                         ") must be a non-empty region inside the " + std::to_string(src.width) + "x" +
                         std::to_string(src.height) + " image");

    const bool wholeImage = box.x0 == 0 && box.y0 == 0 && box.x1 == src.width && box.y1 == src.height;
    if (wholeImage && width == src.width && height == src.height)
        return src;  // Pillow returns a copy here
    const bool pillow = arithmetic == ResampleArithmetic::Pillow;
    if (filter == ResampleFilter::Nearest && pillow)
        return resizeNearest(src, width, height, box);

    const Kernel kernel = kernelFor(filter, arithmetic);
    // Pillow's conditions, including its comparison of box[2] with the *output* width.
    const bool needHorizontal = width != src.width || box.x0 != 0 || box.x1 != width;
    const bool needVertical = height != src.height || box.y0 != 0 || box.y1 != height;
    AxisWeights horiz = computeAxisWeights(src.width, box.x0, box.x1, width, kernel, arithmetic);
    AxisWeights vert = computeAxisWeights(src.height, box.y0, box.y1, height, kernel, arithmetic);

    if (!needHorizontal && !needVertical)
        return src;
    if (!needHorizontal)
        return resampleVertical(src, height, vert);

    // Only the source rows the vertical pass will read go through the horizontal pass.
    const int firstRow = vert.first.front();
    const int lastRow = vert.first.back() + vert.count.back();
    RgbImage temp = resampleHorizontal(src, width, firstRow, lastRow - firstRow, horiz);
    if (!needVertical)
        return temp;
    for (int& f : vert.first)
        f -= firstRow;
    return resampleVertical(temp, height, vert);
}

ResampleBox wholeImage(const RgbImage& src) {
    ResampleBox box;
    box.x1 = static_cast<float>(src.width);
    box.y1 = static_cast<float>(src.height);
    return box;
}

}  // namespace

RgbImage pilResize(const RgbImage& src, int width, int height, ResampleFilter filter) {
    return resizeImpl(src, width, height, filter, wholeImage(src), ResampleArithmetic::Pillow);
}

RgbImage pilResize(const RgbImage& src, int width, int height, ResampleFilter filter, const ResampleBox& box) {
    return resizeImpl(src, width, height, filter, box, ResampleArithmetic::Pillow);
}

RgbImage torchResize(const RgbImage& src, int width, int height, ResampleFilter filter) {
    return resizeImpl(src, width, height, filter, wholeImage(src), ResampleArithmetic::TorchUint8);
}

RgbImage resizeImage(const RgbImage& src, int width, int height, ResampleFilter filter,
                     ResampleArithmetic arithmetic) {
    return resizeImpl(src, width, height, filter, wholeImage(src), arithmetic);
}

}  // namespace sena::image
