// Pillow-compatible resampling: properties derivable by hand, an independent floating-point
// reference, and hashes of Pillow 9.4's own output for the same inputs.
#include "ImageTestUtil.h"
#include "image/PilResample.h"
#include "util/Error.h"

#include <QtTest>

#include <cmath>
#include <optional>

using namespace sena::image;
using imagetest::noiseImage;
using imagetest::patternImage;

namespace {

const ResampleFilter kAllFilters[] = {ResampleFilter::Nearest, ResampleFilter::Lanczos, ResampleFilter::Bilinear,
                                      ResampleFilter::Bicubic, ResampleFilter::Box,     ResampleFilter::Hamming};
const ResampleFilter kConvolutionFilters[] = {ResampleFilter::Lanczos, ResampleFilter::Bilinear,
                                              ResampleFilter::Bicubic, ResampleFilter::Box, ResampleFilter::Hamming};

// Textbook kernels, written independently of the implementation under test.
double refKernel(ResampleFilter f, double x) {
    const double ax = std::fabs(x);
    const double pi = std::acos(-1.0);
    switch (f) {
    case ResampleFilter::Box: return (x > -0.5 && x <= 0.5) ? 1 : 0;
    case ResampleFilter::Bilinear: return ax < 1 ? 1 - ax : 0;
    case ResampleFilter::Hamming:
        if (ax >= 1) return 0;
        if (ax == 0) return 1;
        return std::sin(pi * ax) / (pi * ax) * (0.54 + 0.46 * std::cos(pi * ax));
    case ResampleFilter::Bicubic: {
        const double a = -0.5;  // Keys cubic as Pillow parameterises it
        if (ax < 1) return (a + 2) * ax * ax * ax - (a + 3) * ax * ax + 1;
        if (ax < 2) return a * ax * ax * ax - 5 * a * ax * ax + 8 * a * ax - 4 * a;
        return 0;
    }
    case ResampleFilter::Lanczos: {
        if (ax >= 3) return 0;
        if (ax == 0) return 1;
        return 3 * std::sin(pi * ax) * std::sin(pi * ax / 3) / (pi * pi * ax * ax);
    }
    case ResampleFilter::Nearest: break;
    }
    return 0;
}

// One output sample along an axis, unrounded: normalised weights over every source pixel whose
// centre lies inside the (downscale-widened) support.
double refSample(ResampleFilter f, const std::vector<double>& line, int outSize, int i) {
    const int inSize = static_cast<int>(line.size());
    const double scale = static_cast<double>(inSize) / outSize;
    const double fs = std::max(1.0, scale);
    const double center = (i + 0.5) * scale;
    double sum = 0, wsum = 0;
    for (int s = 0; s < inSize; ++s) {
        const double w = refKernel(f, (s + 0.5 - center) / fs);
        sum += w * line[s];
        wsum += w;
    }
    return sum / wsum;
}

std::uint8_t toByte(double v) {
    return static_cast<std::uint8_t>(std::clamp(std::floor(v + 0.5), 0.0, 255.0));
}

// Horizontal then vertical, clipping to 8 bits between passes as Pillow does.
RgbImage refResize(const RgbImage& src, int w, int h, ResampleFilter f) {
    RgbImage tmp(w, src.height);
    for (int y = 0; y < src.height; ++y)
        for (int c = 0; c < 3; ++c) {
            std::vector<double> line(src.width);
            for (int x = 0; x < src.width; ++x)
                line[x] = src.at(x, y, c);
            for (int x = 0; x < w; ++x)
                tmp.at(x, y, c) = w == src.width ? src.at(x, y, c) : toByte(refSample(f, line, w, x));
        }
    RgbImage out(w, h);
    for (int x = 0; x < w; ++x)
        for (int c = 0; c < 3; ++c) {
            std::vector<double> line(src.height);
            for (int y = 0; y < src.height; ++y)
                line[y] = tmp.at(x, y, c);
            for (int y = 0; y < h; ++y)
                out.at(x, y, c) = h == src.height ? tmp.at(x, y, c) : toByte(refSample(f, line, h, y));
        }
    return out;
}

int maxAbsDiff(const RgbImage& a, const RgbImage& b) {
    int m = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i)
        m = std::max(m, std::abs(int(a.pixels[i]) - int(b.pixels[i])));
    return m;
}

}  // namespace

class ResampleTests : public QObject {
    Q_OBJECT
private slots:
    void constantImageStaysConstant() {
        const RgbImage src = RgbImage::filled(23, 17, 37, 200, 255);
        const std::pair<int, int> sizes[] = {{7, 5}, {50, 41}, {23, 3}, {1, 1}, {60, 17}, {4, 90}};
        for (ResampleFilter f : kAllFilters)
            for (auto [w, h] : sizes) {
                const RgbImage out = pilResize(src, w, h, f);
                QCOMPARE(out.width, w);
                QCOMPARE(out.height, h);
                QVERIFY2(out == RgbImage::filled(w, h, 37, 200, 255), resampleFilterName(f));
            }
    }

    void identitySizeReturnsInput() {
        const RgbImage src = noiseImage(19, 11, 7);
        for (ResampleFilter f : kAllFilters)
            QVERIFY2(pilResize(src, 19, 11, f) == src, resampleFilterName(f));
    }

    void twoPixelsShrinkToTheirRoundedMean() {
        // Every symmetric kernel weighs two pixels equally at the midpoint; Pillow rounds half up.
        RgbImage row(2, 1), column(1, 2);
        const std::uint8_t a[3] = {10, 0, 254}, b[3] = {21, 255, 255};
        for (int c = 0; c < 3; ++c) {
            row.at(0, 0, c) = column.at(0, 0, c) = a[c];
            row.at(1, 0, c) = column.at(0, 1, c) = b[c];
        }
        for (ResampleFilter f : kConvolutionFilters) {
            const RgbImage r = pilResize(row, 1, 1, f);
            const RgbImage col = pilResize(column, 1, 1, f);
            for (int c = 0; c < 3; ++c) {
                QCOMPARE(int(r.at(0, 0, c)), (a[c] + b[c] + 1) / 2);
                QCOMPARE(int(col.at(0, 0, c)), (a[c] + b[c] + 1) / 2);
            }
        }
    }

    void matchesFloatingPointReferenceWithinOneLevel() {
        const int sizes[][4] = {{17, 13, 7, 5}, {9, 7, 23, 18}, {31, 8, 12, 19}, {40, 30, 40, 11},
                                {40, 30, 13, 30}, {64, 3, 5, 9},  {5, 5, 61, 2},   {100, 70, 33, 29}};
        std::uint32_t seed = 1;
        for (ResampleFilter f : kConvolutionFilters)
            for (const auto& s : sizes) {
                const RgbImage src = (seed % 2) ? noiseImage(s[0], s[1], seed) : patternImage(s[0], s[1], seed);
                ++seed;
                const int diff = maxAbsDiff(pilResize(src, s[2], s[3], f), refResize(src, s[2], s[3], f));
                QVERIFY2(diff <= 1, qPrintable(QString("%1 %2x%3 -> %4x%5: max diff %6")
                                                   .arg(resampleFilterName(f)).arg(s[0]).arg(s[1])
                                                   .arg(s[2]).arg(s[3]).arg(diff)));
            }
    }

    void matchesPillowByteForByte() {
        // Hashes of Pillow 9.4 `Image.fromarray(pattern).resize((ow, oh), filter, box)` output.
        struct Case {
            int w, h, seed, ow, oh, filter;
            std::optional<ResampleBox> box;
            std::uint64_t hash;
        };
        const Case cases[] = {
            {17, 13, 1, 7, 5, 0, std::nullopt, 0x4c71912420630f5full},
            {17, 13, 1, 7, 5, 1, std::nullopt, 0x4c194b4d149586dfull},
            {17, 13, 1, 7, 5, 2, std::nullopt, 0xff60ec8b62475db9ull},
            {17, 13, 1, 7, 5, 3, std::nullopt, 0xde387f2f852c7b0dull},
            {17, 13, 1, 7, 5, 4, std::nullopt, 0x8ed230336c25c278ull},
            {17, 13, 1, 7, 5, 5, std::nullopt, 0xb80aae9ef07f0fbcull},
            {9, 7, 2, 23, 18, 0, std::nullopt, 0x6d7f3dd44561babdull},
            {9, 7, 2, 23, 18, 1, std::nullopt, 0xd90f2319c2ffbaa4ull},
            {9, 7, 2, 23, 18, 2, std::nullopt, 0x465cafdbe7eda9fcull},
            {9, 7, 2, 23, 18, 3, std::nullopt, 0x290297bd6d97e503ull},
            {9, 7, 2, 23, 18, 4, std::nullopt, 0x6d7f3dd44561babdull},
            {9, 7, 2, 23, 18, 5, std::nullopt, 0x113cde295feb34a8ull},
            {31, 8, 3, 12, 19, 3, std::nullopt, 0x75379dfcf72fce79ull},
            {31, 8, 3, 12, 19, 1, std::nullopt, 0x68b18b243f620725ull},
            {40, 30, 4, 40, 11, 3, std::nullopt, 0x2186e2b75168ca7cull},
            {40, 30, 4, 13, 30, 3, std::nullopt, 0x6008477fc483dac4ull},
            {20, 20, 5, 9, 6, 3, ResampleBox{2.5f, 3.25f, 17.5f, 15.0f}, 0x7f9684c3626c7264ull},
            {20, 20, 5, 9, 6, 2, ResampleBox{2.5f, 3.25f, 17.5f, 15.0f}, 0x0a82acbfe53f23e1ull},
            {20, 20, 5, 30, 25, 1, ResampleBox{1.0f, 2.0f, 19.5f, 20.0f}, 0x302af4d0064ae542ull},
        };
        for (const Case& c : cases) {
            const RgbImage src = patternImage(c.w, c.h, c.seed);
            const auto filter = static_cast<ResampleFilter>(c.filter);
            const RgbImage out = c.box ? pilResize(src, c.ow, c.oh, filter, *c.box) : pilResize(src, c.ow, c.oh, filter);
            QVERIFY2(imagetest::fnv1a(out.pixels) == c.hash,
                     qPrintable(QString("%1 %2x%3 -> %4x%5%6 differs from Pillow")
                                    .arg(resampleFilterName(filter)).arg(c.w).arg(c.h).arg(c.ow).arg(c.oh)
                                    .arg(c.box ? " (box)" : "")));
        }
        // One case in full, so a failure shows where the bytes differ.
        const std::uint8_t expected[] = {
            51,  138, 215, 92,  183, 110, 164, 122, 90,  115, 108, 173, 121, 138, 137, 110, 109, 107, 117, 116, 119,
            106, 192, 87,  164, 126, 80,  116, 104, 167, 125, 131, 140, 110, 139, 105, 102, 104, 110, 123, 138, 135,
            166, 163, 68,  137, 86,  167, 117, 156, 118, 139, 120, 135, 137, 144, 137, 114, 131, 122, 122, 130, 122,
            169, 84,  137, 99,  148, 125, 122, 116, 132, 113, 145, 137, 113, 138, 113, 145, 145, 127, 149, 144, 123,
            135, 99,  167, 125, 136, 121, 119, 122, 116, 141, 119, 145, 143, 140, 109, 134, 146, 127, 126, 94,  130};
        const RgbImage out = pilResize(patternImage(17, 13, 1), 7, 5, ResampleFilter::Bicubic);
        QCOMPARE(out.pixels.size(), sizeof expected);
        for (std::size_t i = 0; i < sizeof expected; ++i)
            QCOMPARE(int(out.pixels[i]), int(expected[i]));
    }

    void bicubicOvershootIsClippedAtAStepEdge() {
        // Upscaling a hard step with the a = -0.5 cubic rings below and above the two levels.
        for (auto [lo, hi] : {std::pair<int, int>{0, 255}, std::pair<int, int>{20, 235}}) {
            RgbImage step(8, 1);
            for (int x = 0; x < 8; ++x)
                for (int c = 0; c < 3; ++c)
                    step.at(x, 0, c) = static_cast<std::uint8_t>(x < 4 ? lo : hi);
            const RgbImage out = pilResize(step, 29, 1, ResampleFilter::Bicubic);
            std::vector<double> line(8);
            for (int x = 0; x < 8; ++x)
                line[x] = step.at(x, 0, 0);
            int under = 0, over = 0;
            for (int x = 0; x < 29; ++x) {
                const double raw = refSample(ResampleFilter::Bicubic, line, 29, x);
                const int got = out.at(x, 0, 0);
                QVERIFY(std::abs(got - int(toByte(raw))) <= 1);
                if (raw < lo - 0.5) {
                    ++under;
                    QVERIFY(got < lo || got == 0);
                }
                if (raw > hi + 0.5) {
                    ++over;
                    QVERIFY(got > hi || got == 255);
                }
            }
            QVERIFY2(under > 0 && over > 0, "the cubic should overshoot on both sides of the edge");
            if (lo == 0) {  // clipped, not wrapped around
                QCOMPARE(*std::min_element(out.pixels.begin(), out.pixels.end()), std::uint8_t(0));
                QCOMPARE(*std::max_element(out.pixels.begin(), out.pixels.end()), std::uint8_t(255));
            }
        }
    }

    void integerBoxAtScaleOneIsACrop() {
        const RgbImage src = noiseImage(20, 15, 3);
        const RgbImage out = pilResize(src, 9, 6, ResampleFilter::Bicubic, ResampleBox{4, 5, 13, 11});
        for (int y = 0; y < 6; ++y)
            for (int x = 0; x < 9; ++x)
                for (int c = 0; c < 3; ++c)
                    QCOMPARE(out.at(x, y, c), src.at(x + 4, y + 5, c));
    }

    void nearestPicksPixelCentres() {
        // Halving: output pixel i samples source 2i + 1 (centre 2i + 1.0 truncated).
        const RgbImage src = patternImage(8, 6, 2);
        const RgbImage out = pilResize(src, 4, 3, ResampleFilter::Nearest);
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 4; ++x)
                for (int c = 0; c < 3; ++c)
                    QCOMPARE(out.at(x, y, c), src.at(2 * x + 1, 2 * y + 1, c));
    }

    void torchArithmeticStaysWithinOneLevelOfPillow() {
        // Same weights, coarser (int16) fixed point: a constant stays constant, two pixels still
        // shrink to their rounded mean, and nothing moves by more than one level.
        for (ResampleFilter f : {ResampleFilter::Bilinear, ResampleFilter::Bicubic}) {
            QVERIFY(torchResize(RgbImage::filled(13, 9, 1, 128, 254), 31, 4, f) == RgbImage::filled(31, 4, 1, 128, 254));
            RgbImage two(2, 1);
            two.at(0, 0, 0) = 10;
            two.at(1, 0, 0) = 21;
            QCOMPARE(int(torchResize(two, 1, 1, f).at(0, 0, 0)), 16);
            const RgbImage src = noiseImage(41, 29, 17);
            QVERIFY(torchResize(src, 41, 29, f) == src);
            int changed = 0;
            for (auto [w, h] : {std::pair<int, int>{75, 56}, std::pair<int, int>{13, 11}, std::pair<int, int>{90, 7}}) {
                const RgbImage a = torchResize(src, w, h, f);
                const RgbImage b = pilResize(src, w, h, f);
                QVERIFY(maxAbsDiff(a, b) <= 1);
                changed += a != b;
            }
            QVERIFY2(changed > 0, "int16 weights should round differently somewhere");
        }
        QVERIFY_THROWS_EXCEPTION(sena::InputError, torchResize(noiseImage(4, 4, 1), 2, 2, ResampleFilter::Lanczos));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, torchResize(noiseImage(4, 4, 1), 2, 2, ResampleFilter::Nearest));
    }

    void badArgumentsThrow() {
        const RgbImage src = noiseImage(4, 4, 1);
        QVERIFY_THROWS_EXCEPTION(sena::InputError, pilResize(src, 0, 3, ResampleFilter::Bicubic));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, pilResize(RgbImage(), 3, 3, ResampleFilter::Bicubic));
        QVERIFY_THROWS_EXCEPTION(sena::InputError,
                                 pilResize(src, 3, 3, ResampleFilter::Bicubic, ResampleBox{0, 0, 5, 4}));
        QVERIFY_THROWS_EXCEPTION(sena::InputError,
                                 pilResize(src, 3, 3, ResampleFilter::Bicubic, ResampleBox{2, 0, 2, 4}));
        for (long long code = 0; code <= 5; ++code)
            QCOMPARE(int(resampleFilterFromPil(code, "x")), int(code));
        try {
            resampleFilterFromPil(6, "cfg.json");
            QFAIL("resample 6 must be refused");
        } catch (const sena::ConfigError& e) {
            QVERIFY(QString(e.what()).contains("cfg.json: resample 6"));
        }
    }
};

int runResampleTests(int argc, char** argv) {
    ResampleTests t;
    return QTest::qExec(&t, argc, argv);
}

#include "TestResample.moc"
