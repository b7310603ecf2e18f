// Each image-space corruption: it keeps the size, changes the image the way its name says, and is
// a pure function of (image, parameters, seed).
#include "CorruptionTestUtil.h"
#include "image/PilResample.h"
#include "image/corruption/ApplyCorruption.h"
#include "image/ImageLoader.h"
#include "image/corruption/ImageCorruptions.h"
#include "image/corruption/PreviewImage.h"
#include "image/corruption/SeededRandom.h"
#include "util/Error.h"

#include <QtTest>

#include <cmath>

using namespace sena::image;
using namespace corrupttest;

namespace {

RgbImage runStep(const std::string& spec, const RgbImage& image, std::uint64_t seed) {
    const CorruptionChain chain = CorruptionChain::parse(spec);
    return applyImageStep(chain.steps().at(0), image, chain.stepSeed(seed, 0));
}

// Same seed → same bytes; (for seeded corruptions) another seed → other bytes.
void checkDeterminism(const std::string& spec, const RgbImage& image, bool seeded) {
    const RgbImage a = runStep(spec, image, 1000);
    QVERIFY2(a == runStep(spec, image, 1000), spec.c_str());
    QCOMPARE(a.width, image.width);
    QCOMPARE(a.height, image.height);
    if (seeded)
        QVERIFY2(a != runStep(spec, image, 1001), spec.c_str());
    else
        QVERIFY2(a == runStep(spec, image, 1001), spec.c_str());
}

}  // namespace

class ImageCorruptionTests : public QObject {
    Q_OBJECT
private slots:
    void blurLowersHighFrequencyEnergy() {
        const RgbImage image = noiseImage(96, 64, 1);
        const RgbImage soft = gaussianBlur(image, 2.0);
        QCOMPARE(soft.width, 96);
        QCOMPARE(soft.height, 64);
        const double before = highFrequencyEnergy(image), after = highFrequencyEnergy(soft);
        QVERIFY2(after < 0.05 * before, qPrintable(QString("%1 -> %2").arg(before).arg(after)));
        QVERIFY(highFrequencyEnergy(gaussianBlur(image, 0.7)) > after);  // more sigma, more smoothing
        QVERIFY(gaussianBlur(image, 0.0) == image);
        // Blur keeps the mean level (reflected borders, normalized kernel).
        double a = 0, b = 0;
        for (std::size_t i = 0; i < image.pixels.size(); ++i)
            a += image.pixels[i], b += soft.pixels[i];
        QVERIFY(std::fabs(a - b) / static_cast<double>(image.pixels.size()) < 1.0);
        checkDeterminism("blur:sigma=3", image, false);
    }

    void downscaleLosesDetailButKeepsSize() {
        const RgbImage image = noiseImage(336, 336, 2);
        const RgbImage low = downscaleUpscale(image, 20);
        QCOMPARE(low.width, 336);
        QCOMPARE(low.height, 336);
        QVERIFY(highFrequencyEnergy(low) < 0.01 * highFrequencyEnergy(image));
        // What is left is a 20-px image: shrinking it to 20 px again changes almost nothing.
        const RgbImage again = downscaleUpscale(low, 20);
        QVERIFY2(meanAbsDifference(low, again) < 2.0, qPrintable(QString::number(meanAbsDifference(low, again))));
        QVERIFY(meanAbsDifference(low, image) > 30.0);
        // Non-square: the longer side becomes ~20 px, and the size still comes back exactly.
        const RgbImage wide = downscaleUpscale(noiseImage(300, 120, 3), 20);
        QCOMPARE(wide.width, 300);
        QCOMPARE(wide.height, 120);
        QVERIFY(downscaleUpscale(image, 336) == image);
        QVERIFY(downscaleUpscale(image, 1000) == image);
        checkDeterminism("downscale:size=20", image, false);
    }

    void jitterWithBrightnessOnlyScalesValues() {
        const RgbImage image = photoLike(80, 60);
        const ColorJitterParams params{0.5, 0, 0, 0};
        for (std::uint64_t seed : {1ull, 2ull, 3ull}) {
            SeededRandom rng(seed);
            const ColorJitterDraw draw = drawColorJitter(params, rng);
            QVERIFY(draw.brightness >= 0.5 && draw.brightness <= 1.5);
            QCOMPARE(draw.contrast, 1.0);
            QCOMPARE(draw.saturation, 1.0);
            QCOMPARE(draw.hue, 0.0);
            const RgbImage out = colorJitter(image, draw);
            for (std::size_t i = 0; i < image.pixels.size(); ++i) {
                const double expected = std::min(255.0, image.pixels[i] * draw.brightness);
                QVERIFY2(std::fabs(out.pixels[i] - expected) <= 0.5 + 1e-3,
                         qPrintable(QString("byte %1: %2 * %3 -> %4").arg(i).arg(image.pixels[i]).arg(draw.brightness).arg(out.pixels[i])));
            }
        }
        // Through the step: the same draw from the step's seed.
        const CorruptionChain chain = CorruptionChain::parse("jitter:brightness=0.5,hue=0");
        SeededRandom rng(chain.stepSeed(77, 0));
        const ColorJitterDraw draw = drawColorJitter(params, rng);
        QVERIFY(applyImageStep(chain.steps()[0], image, chain.stepSeed(77, 0)) == colorJitter(image, draw));
    }

    void jitterDrawsFollowTorchvisionRanges() {
        const ColorJitterParams params{0.5, 2.0, 0.25, 0.3};
        double minB = 9, maxB = -9, minC = 9, minH = 9, maxH = -9;
        for (std::uint64_t seed = 0; seed < 500; ++seed) {
            SeededRandom rng(seed);
            const ColorJitterDraw d = drawColorJitter(params, rng);
            QVERIFY(d.brightness >= 0.5 && d.brightness <= 1.5);
            QVERIFY(d.contrast >= 0.0 && d.contrast <= 3.0);  // max(0, 1 - 2) = 0
            QVERIFY(d.saturation >= 0.75 && d.saturation <= 1.25);
            QVERIFY(d.hue >= -0.3 && d.hue <= 0.3);
            std::array<int, 4> sorted = d.order;
            std::sort(sorted.begin(), sorted.end());
            QVERIFY((sorted == std::array<int, 4>{0, 1, 2, 3}));
            minB = std::min(minB, d.brightness), maxB = std::max(maxB, d.brightness);
            minC = std::min(minC, d.contrast), minH = std::min(minH, d.hue), maxH = std::max(maxH, d.hue);
        }
        QVERIFY(minB < 0.55 && maxB > 1.45 && minC < 0.1 && minH < -0.27 && maxH > 0.27);
    }

    void jitterHueRotatesColours() {
        ColorJitterDraw draw;
        draw.hue = 1.0 / 3.0;  // a third of the circle: red → green → blue
        const RgbImage red = RgbImage::filled(4, 4, 255, 0, 0);
        const RgbImage green = colorJitter(red, draw);
        QCOMPARE(int(green.at(1, 1, 0)), 0);
        QCOMPARE(int(green.at(1, 1, 1)), 255);
        QCOMPARE(int(green.at(1, 1, 2)), 0);
        const RgbImage blue = colorJitter(green, draw);
        QCOMPARE(int(blue.at(0, 0, 2)), 255);
        // Grey has no hue: unchanged. Saturation 0 turns colour to its grey level (0.2989·255 = 76).
        const RgbImage grey = RgbImage::filled(4, 4, 90, 90, 90);
        QVERIFY(colorJitter(grey, draw) == grey);
        ColorJitterDraw desaturate;
        desaturate.saturation = 0.0;
        const RgbImage g = colorJitter(red, desaturate);
        QCOMPARE(int(g.at(0, 0, 0)), 76);
        QCOMPARE(int(g.at(0, 0, 1)), 76);
        // Contrast 0 flattens to the mean grey level.
        ColorJitterDraw flat;
        flat.contrast = 0.0;
        const RgbImage f = colorJitter(photoLike(40, 30), flat);
        for (std::size_t i = 3; i < f.pixels.size(); ++i)
            QCOMPARE(f.pixels[i], f.pixels[0]);
        checkDeterminism("jitter:brightness=0.4,contrast=0.4,saturation=0.4,hue=0.2", photoLike(64, 48), true);
    }

    void cropIsAResizedWindowOfTheImage() {
        const RgbImage image = noiseImage(40, 30, 4);
        const RgbImage out = randomCrop(image, 0.25, 99);
        QCOMPARE(out.width, 40);
        QCOMPARE(out.height, 30);
        QVERIFY(out != image);
        // It must equal one 20×15 window resized back: find it among all positions.
        int matches = 0;
        for (int top = 0; top + 15 <= 30; ++top)
            for (int left = 0; left + 20 <= 40; ++left) {
                const ResampleBox box{float(left), float(top), float(left + 20), float(top + 15)};
                matches += pilResize(image, 40, 30, ResampleFilter::Bilinear, box) == out ? 1 : 0;
            }
        QCOMPARE(matches, 1);
        QVERIFY(randomCrop(image, 1.0, 99) == image);
        checkDeterminism("crop:scale=0.3", noiseImage(64, 48, 5), true);
    }

    void maskCoversAboutTheRatio() {
        // Bytes 0..200 only, so a fill of 255 marks exactly the masked pixels.
        const RgbImage image = noiseImage(200, 150, 6, 0, 200);
        for (double ratio : {0.1, 0.3, 0.6, 0.9}) {
            const RgbImage out = randomMask(image, ratio, 255, 31);
            QCOMPARE(out.width, 200);
            QCOMPARE(out.height, 150);
            int masked = 0;
            for (int y = 0; y < 150; ++y)
                for (int x = 0; x < 200; ++x) {
                    const bool white = out.at(x, y, 0) == 255 && out.at(x, y, 1) == 255 && out.at(x, y, 2) == 255;
                    masked += white ? 1 : 0;
                    if (!white)  // everything outside the rectangles is untouched
                        QVERIFY(out.at(x, y, 0) == image.at(x, y, 0) && out.at(x, y, 2) == image.at(x, y, 2));
                }
            const double covered = masked / (200.0 * 150.0);
            QVERIFY2(std::fabs(covered - ratio) < 0.03, qPrintable(QString("ratio %1 covered %2").arg(ratio).arg(covered)));
        }
        QVERIFY(randomMask(image, 0.0, 255, 31) == image);
        // fill = -1: the image's mean colour (here ~100 per channel).
        const RgbImage meanFilled = randomMask(RgbImage::filled(50, 50, 10, 20, 30), 0.5, -1, 3);
        QVERIFY(meanFilled == RgbImage::filled(50, 50, 10, 20, 30));
        const RgbImage twoTone = [] {
            RgbImage img = RgbImage::filled(50, 50, 0, 0, 0);
            for (int y = 0; y < 25; ++y)
                for (int x = 0; x < 50; ++x)
                    img.at(x, y, 0) = img.at(x, y, 1) = img.at(x, y, 2) = 200;
            return img;
        }();
        const RgbImage masked = randomMask(twoTone, 0.4, -1, 3);
        int meanPixels = 0;
        for (int y = 0; y < 50; ++y)
            for (int x = 0; x < 50; ++x)
                meanPixels += masked.at(x, y, 0) == 100 ? 1 : 0;
        QVERIFY(std::fabs(meanPixels / 2500.0 - 0.4) < 0.03);
        checkDeterminism("mask:ratio=0.3", image, true);
    }

    void jpegAtLowQualityDiffers() {
        const RgbImage image = photoLike(96, 64);
        const RgbImage q5 = jpegRecompress(image, 5);
        QCOMPARE(q5.width, 96);
        QCOMPARE(q5.height, 64);
        const double lossLow = meanAbsDifference(image, q5);
        const double lossHigh = meanAbsDifference(image, jpegRecompress(image, 95));
        QVERIFY2(lossLow > 3.0, qPrintable(QString::number(lossLow)));
        QVERIFY2(lossHigh < lossLow / 2, qPrintable(QString("%1 vs %2").arg(lossHigh).arg(lossLow)));
        // Colours survive (the RGB↔BGR order is right): the red-dominant left stays red-dominant.
        QVERIFY(std::abs(int(q5.at(80, 5, 0)) - int(image.at(80, 5, 0))) < 40);
        checkDeterminism("jpeg:quality=10", image, false);
    }

    void noiseHasTheRequestedStd() {
        const RgbImage grey = RgbImage::filled(256, 256, 128, 128, 128);
        const RgbImage out = addPixelNoise(grey, 20.0, 8);
        double sum = 0, sq = 0;
        for (std::uint8_t v : out.pixels) {
            const double d = v - 128.0;
            sum += d;
            sq += d * d;
        }
        const double n = static_cast<double>(out.pixels.size());
        const double mean = sum / n, stdev = std::sqrt(sq / n - mean * mean);
        QVERIFY2(std::fabs(mean) < 0.2, qPrintable(QString::number(mean)));
        QVERIFY2(std::fabs(stdev - 20.0) < 0.3, qPrintable(QString::number(stdev)));  // rounding adds 1/12 variance
        QVERIFY(addPixelNoise(grey, 0.0, 8) == grey);
        // Clipping: noise on white cannot exceed 255 and pulls the mean down.
        const RgbImage white = addPixelNoise(RgbImage::filled(64, 64, 255, 255, 255), 30.0, 9);
        double whiteMean = 0;
        for (std::uint8_t v : white.pixels)
            whiteMean += v;
        QVERIFY(whiteMean / static_cast<double>(white.pixels.size()) < 245.0);
        checkDeterminism("noise:sigma=10", grey, true);
    }

    void previewHelpersCompose() {
        const RgbImage left = photoLike(30, 20), right = noiseImage(25, 28, 9);
        const RgbImage strip = sideBySide(left, right, 4);
        QCOMPARE(strip.width, 59);
        QCOMPARE(strip.height, 28);
        QCOMPARE(strip.at(3, 5, 1), left.at(3, 5, 1));
        QCOMPARE(strip.at(34 + 7, 27, 2), right.at(7, 27, 2));
        QCOMPARE(int(strip.at(31, 0, 0)), 128);  // the gap
        QCOMPARE(int(strip.at(10, 25, 0)), 128);  // below the shorter image
        // PNG is lossless and in RGB order: it decodes to the same bytes.
        const std::vector<std::uint8_t> png = encodePng(strip);
        QVERIFY(png.size() > 8 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
        QVERIFY(decodeImage(png, "strip.png") == strip);
        QVERIFY_THROWS_EXCEPTION(sena::InputError, encodePng(RgbImage()));
        QVERIFY_THROWS_EXCEPTION(sena::FormatError, writePng(strip, "/nonexistent-folder/x.png"));
    }
};

int runImageCorruptionTests(int argc, char** argv) {
    ImageCorruptionTests tests;
    return QTest::qExec(&tests, argc, argv);
}

#include "TestImageCorruptions.moc"
