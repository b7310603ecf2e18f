// HF image preprocessing: parity with transformers' pixel_values, and each step's geometry and
// arithmetic checked on small images.
#include "ImageTestUtil.h"
#include "image/ImageLoader.h"
#include "image/ImagePreprocessor.h"
#include "model/Safetensors.h"
#include "util/Error.h"

#include <QtTest>

#include <cmath>
#include <cstring>

using namespace sena::image;
using imagetest::noiseImage;
using sena::util::Json;

namespace {

ImagePreprocessor fromJson(const char* text, const PreprocessOptions& options = {}) {
    return ImagePreprocessor(ImagePreprocessor::parseConfig(Json::parse(text), "test.json", options));
}

// Asserts that parsing `text` throws ConfigError whose message contains `needle`.
void expectConfigError(const char* text, const char* needle) {
    try {
        fromJson(text);
        QFAIL(qPrintable(QString("expected a ConfigError for %1").arg(text)));
    } catch (const sena::ConfigError& e) {
        QVERIFY2(QString(e.what()).contains(needle), e.what());
    }
}

// HF's value for one byte: rescale in double, cast to float, then float (x - mean) / std.
float hfValue(std::uint8_t v, double mean, double stdev) {
    const float r = static_cast<float>(v * (1.0 / 255.0));
    return (r - static_cast<float>(mean)) / static_cast<float>(stdev);
}

const char* kClipConfig = R"({"image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 8},
    "crop_size": {"height": 6, "width": 6}, "resample": 3})";

}  // namespace

class PreprocessorTests : public QObject {
    Q_OBJECT
private slots:
    void matchesTransformersPixelValues() {
#ifndef SENA_WITH_OPENCV
        QSKIP("image.png needs the OpenCV loader");
#else
        const std::string dir = imagetest::fixture("hf/tiny-llava-llama-clip");
        const RgbImage image = loadImage(dir + "/image.png");
        QCOMPARE(image.width, 69);
        QCOMPARE(image.height, 51);
        const sena::model::SafetensorsFile expected(dir + "/expected.safetensors");
        const sena::model::TensorView& t = expected.tensor("pixel_values");
        QCOMPARE(t.dtype, sena::model::DType::F32);
        QCOMPARE(t.shape, (std::vector<std::int64_t>{3, 56, 56}));
        auto maxDiff = [&](const PixelValues& pv) {
            if (pv.channels != 3 || pv.height != 56 || pv.width != 56 ||
                pv.data.size() != static_cast<std::size_t>(t.numel()))
                return 1e9;
            double m = 0;
            for (std::size_t i = 0; i < pv.data.size(); ++i) {
                float ref;
                std::memcpy(&ref, t.data + 4 * i, 4);  // little-endian F32, as on every supported host
                m = std::max(m, std::fabs(double(ref) - double(pv.data[i])));
            }
            return m;
        };
        // The fixtures come from transformers 5, whose CLIPImageProcessor is torchvision-based; it is
        // the default and must match bit for bit.
        const ImagePreprocessor byDefault = ImagePreprocessor::fromModelFolder(dir);
        QCOMPARE(byDefault.config().backend, ProcessorBackend::Torchvision);
        const double torchDiff = maxDiff(byDefault.preprocess(image));
        // The PIL processor (transformers 4.x, LLaVA's training) is Pillow-exact, so it may differ
        // only where Pillow and torch round a pixel differently, by one level (1 / 255 / std <= 0.0151).
        PreprocessOptions pilOptions;
        pilOptions.backend = ProcessorBackend::Pil;
        const ImagePreprocessor pil = ImagePreprocessor::fromModelFolder(dir, pilOptions);
        const double pilDiff = maxDiff(pil.preprocess(image));
        qInfo("pixel_values max abs diff vs transformers: torchvision backend %.3g, PIL backend %.3g", torchDiff,
              pilDiff);
        QVERIFY2(torchDiff < 1e-6, qPrintable(QString("torchvision backend: max abs diff %1").arg(torchDiff)));
        QVERIFY2(pilDiff < 0.0152, qPrintable(QString("PIL backend: max abs diff %1").arg(pilDiff)));
#endif
    }

    void backendFollowsTheClassNameUnlessOverridden() {
        QCOMPARE(fromJson(R"({"image_processor_type": "CLIPImageProcessorFast"})").config().backend,
                 ProcessorBackend::Torchvision);
        // Plain class names follow transformers 5 (torchvision) where it can resample, else Pillow.
        QCOMPARE(fromJson(R"({"image_processor_type": "SiglipImageProcessor"})").config().backend,
                 ProcessorBackend::Torchvision);
        QCOMPARE(fromJson(R"({"image_processor_type": "CLIPImageProcessor", "resample": 1})").config().backend,
                 ProcessorBackend::Pil);
        PreprocessOptions pil;
        pil.backend = ProcessorBackend::Pil;
        QCOMPARE(fromJson(R"({"image_processor_type": "LlavaImageProcessorFast"})", pil).config().backend,
                 ProcessorBackend::Pil);
        // torchvision has no uint8 LANCZOS; PIL does.
        expectConfigError(R"({"image_processor_type": "CLIPImageProcessorFast", "resample": 1})", "LANCZOS");
        QCOMPARE(fromJson(R"({"image_processor_type": "CLIPImageProcessor", "resample": 1})").config().resample,
                 ResampleFilter::Lanczos);
    }

    void torchvisionBackendFoldsRescaleIntoNormalisation() {
        const ImagePreprocessor pre = fromJson(R"({"image_processor_type": "SiglipImageProcessorFast",
            "size": {"height": 9, "width": 8}, "image_mean": [0.48145466, 0.5, 0.1], "image_std": [0.26862954, 0.5, 0.3]})");
        const RgbImage src = noiseImage(23, 14, 12);
        const PreprocessedImage out = pre.preprocessWithPreview(src);
        QVERIFY(out.image == torchResize(src, 8, 9, ResampleFilter::Bicubic));
        const float mean[3] = {0.48145466f, 0.5f, 0.1f}, stdev[3] = {0.26862954f, 0.5f, 0.3f};
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < 9; ++y)
                for (int x = 0; x < 8; ++x) {
                    const float m = mean[c] * 255.0f, s = stdev[c] * 255.0f;
                    QCOMPARE(out.pixelValues.at(c, y, x), (float(out.image.at(x, y, c)) - m) / s);
                }
        QVERIFY(pre.toPreviewImage(out.pixelValues) == out.image);
    }

    void clipResizesShortestEdgeThenCropsCentre() {
        const ImagePreprocessor pre = fromJson(kClipConfig);
        const RgbImage src = noiseImage(10, 20, 4);
        const PreprocessedImage out = pre.preprocessWithPreview(src);
        // 10x20 → shortest edge 8 → 8x16 → crop 6x6 at top = (16-6)//2 = 5, left = (8-6)//2 = 1.
        const RgbImage resized = pilResize(src, 8, 16, ResampleFilter::Bicubic);
        QCOMPARE(out.image.width, 6);
        QCOMPARE(out.image.height, 6);
        for (int y = 0; y < 6; ++y)
            for (int x = 0; x < 6; ++x)
                for (int c = 0; c < 3; ++c)
                    QCOMPARE(out.image.at(x, y, c), resized.at(x + 1, y + 5, c));
        const double mean[3] = {0.48145466, 0.4578275, 0.40821073};
        const double stdev[3] = {0.26862954, 0.26130258, 0.27577711};
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < 6; ++y)
                for (int x = 0; x < 6; ++x)
                    QCOMPARE(out.pixelValues.at(c, y, x), hfValue(out.image.at(x, y, c), mean[c], stdev[c]));
    }

    void shortestEdgeSizeTruncatesLikePython() {
        QCOMPARE(shortestEdgeResizeSize(69, 51, 56), std::make_pair(75, 56));  // int(75.76...)
        QCOMPARE(shortestEdgeResizeSize(51, 69, 56), std::make_pair(56, 75));
        QCOMPARE(shortestEdgeResizeSize(3, 7, 5), std::make_pair(5, 11));      // int(11.67)
        QCOMPARE(shortestEdgeResizeSize(100, 100, 30), std::make_pair(30, 30));
        QCOMPARE(shortestEdgeResizeSize(640, 480, 336), std::make_pair(448, 336));
    }

    void siglipResizesToExactSizeWithoutCrop() {
        PreprocessOptions pil;  // checks the geometry and the Pillow-path arithmetic
        pil.backend = ProcessorBackend::Pil;
        const ImagePreprocessor pre = fromJson(R"({"image_processor_type": "SiglipImageProcessor",
            "size": {"height": 12, "width": 10}, "do_center_crop": true, "crop_size": 4})", pil);
        QVERIFY(!pre.config().doCenterCrop);
        const RgbImage src = noiseImage(31, 17, 9);
        const PreprocessedImage out = pre.preprocessWithPreview(src);
        QVERIFY(out.image == pilResize(src, 10, 12, ResampleFilter::Bicubic));
        QCOMPARE(out.pixelValues.channels, 3);
        QCOMPARE(out.pixelValues.height, 12);
        QCOMPARE(out.pixelValues.width, 10);
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < 12; ++y)
                for (int x = 0; x < 10; ++x)
                    QCOMPARE(out.pixelValues.at(c, y, x), hfValue(out.image.at(x, y, c), 0.5, 0.5));
        // SigLIP's defaults: 224x224, mean = std = 0.5; a bare integer size means a square.
        const ImagePreprocessor defaults = fromJson(R"({"image_processor_type": "SiglipImageProcessorFast"})");
        QCOMPARE(defaults.config().resizeHeight, 224);
        QCOMPARE(defaults.config().resizeWidth, 224);
        QCOMPARE(defaults.normalizeStd()[1], 0.5f);
        QCOMPARE(fromJson(R"({"image_processor_type": "SiglipImageProcessor", "size": 384})").config().resizeWidth, 384);
    }

    void padToSquareCentresOnTheMeanColour() {
        const RgbImage wide = RgbImage::filled(5, 3, 1, 2, 3);
        const RgbImage sq = padToSquare(wide, {122, 116, 104});
        QCOMPARE(sq.width, 5);
        QCOMPARE(sq.height, 5);
        for (int y = 0; y < 5; ++y) {  // start = (5 - 3) // 2 = 1
            const bool inside = y >= 1 && y <= 3;
            QCOMPARE(int(sq.at(2, y, 0)), inside ? 1 : 122);
            QCOMPARE(int(sq.at(4, y, 2)), inside ? 3 : 104);
        }
        const RgbImage tall = padToSquare(RgbImage::filled(2, 5, 9, 9, 9), {0, 0, 0});
        for (int x = 0; x < 5; ++x)  // start = (5 - 2) // 2 = 1
            QCOMPARE(int(tall.at(x, 0, 1)), (x == 1 || x == 2) ? 9 : 0);

        // LlavaImageProcessor with do_pad pads before resizing, in int(mean * 255).
        const ImagePreprocessor llava = fromJson(R"({"image_processor_type": "LlavaImageProcessor", "do_pad": true,
            "size": {"shortest_edge": 10}, "crop_size": {"height": 10, "width": 10}})");
        QCOMPARE(llava.padColor(), (std::array<std::uint8_t, 3>{122, 116, 104}));
        const RgbImage src = noiseImage(10, 4, 2);
        QVERIFY(llava.prepareImage(src) == padToSquare(src, {122, 116, 104}));  // already 10x10 after padding
        // HF's default does not pad; the option can turn padding on (or off) for any processor.
        QVERIFY(!fromJson(R"({"image_processor_type": "LlavaImageProcessor"})").config().doPad);
        PreprocessOptions pad;
        pad.padToSquare = true;
        QVERIFY(fromJson(kClipConfig, pad).config().doPad);
        pad.padToSquare = false;
        QVERIFY(!fromJson(R"({"image_processor_type": "LlavaImageProcessor", "do_pad": true})", pad).config().doPad);
    }

    void centreCropPadsSmallImagesWithBlack() {
        const RgbImage small = RgbImage::filled(3, 2, 200, 100, 50);
        const RgbImage out = centerCrop(small, 6, 5);
        QCOMPARE(out.width, 6);
        QCOMPARE(out.height, 5);
        // Padding puts ceil(extra / 2) before the image: left 2 (of 3), top 2 (of 3).
        for (int y = 0; y < 5; ++y)
            for (int x = 0; x < 6; ++x) {
                const bool inside = x >= 2 && x < 5 && y >= 2 && y < 4;
                QCOMPARE(int(out.at(x, y, 0)), inside ? 200 : 0);
            }
        // Mixed: wider than the crop but shorter: crop columns from left = (10-4)//2 = 3, pad rows.
        const RgbImage strip = noiseImage(10, 2, 5);
        const RgbImage mixed = centerCrop(strip, 4, 4);
        for (int x = 0; x < 4; ++x) {
            QCOMPARE(int(mixed.at(x, 0, 0)), 0);
            QCOMPARE(mixed.at(x, 1, 1), strip.at(x + 3, 0, 1));
            QCOMPARE(mixed.at(x, 2, 2), strip.at(x + 3, 1, 2));
            QCOMPARE(int(mixed.at(x, 3, 0)), 0);
        }
        // The torchvision processors put the odd padding pixel after the image instead.
        const RgbImage tv = centerCrop(small, 6, 5, ProcessorBackend::Torchvision);
        for (int y = 0; y < 5; ++y)
            for (int x = 0; x < 6; ++x) {
                const bool inside = x >= 1 && x < 4 && y >= 1 && y < 3;
                QCOMPARE(int(tv.at(x, y, 0)), inside ? 200 : 0);
            }
        // Odd leftover goes to the bottom/right when cropping: top = (7-4)//2 = 1.
        const RgbImage big = noiseImage(4, 7, 6);
        QCOMPARE(centerCrop(big, 4, 4).at(0, 0, 0), big.at(0, 1, 0));
    }

    void flagsSwitchStepsOff() {
        const ImagePreprocessor raw = fromJson(R"({"image_processor_type": "CLIPImageProcessor", "do_resize": false,
            "do_center_crop": false, "do_rescale": false, "do_normalize": false})");
        const RgbImage src = noiseImage(7, 3, 8);
        const PixelValues pv = raw.preprocess(src);
        QCOMPARE(pv.width, 7);
        QCOMPARE(pv.height, 3);
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < 3; ++y)
                for (int x = 0; x < 7; ++x)
                    QCOMPARE(pv.at(c, y, x), float(src.at(x, y, c)));
        QCOMPARE(raw.effectiveRescaleFactor(), 1.0);
        QCOMPARE(raw.normalizeMean()[0], 0.f);

        const ImagePreprocessor noNorm = fromJson(R"({"image_processor_type": "CLIPImageProcessor",
            "do_resize": false, "do_center_crop": false, "do_normalize": false, "rescale_factor": 0.5})");
        QCOMPARE(noNorm.preprocess(src).at(1, 2, 3), float(src.at(3, 2, 1) * 0.5));
    }

    void previewInvertsNormalisation() {
        const ImagePreprocessor pre = fromJson(kClipConfig);
        const PreprocessedImage out = pre.preprocessWithPreview(noiseImage(13, 9, 10));
        QVERIFY(pre.toPreviewImage(out.pixelValues) == out.image);
        PixelValues bad = out.pixelValues;
        bad.data.pop_back();
        QVERIFY_THROWS_EXCEPTION(sena::InputError, pre.toPreviewImage(bad));
    }

    void parsesDefaultsAndOlderForms() {
        const ImagePreprocessor p = fromJson(R"({"feature_extractor_type": "CLIPFeatureExtractor", "size": 224,
            "crop_size": 224, "image_mean": 0.25, "resample": 2})");
        QCOMPARE(p.config().kind, ImageProcessorKind::Clip);
        QCOMPARE(p.config().shortestEdge, 224);
        QCOMPARE(p.config().cropWidth, 224);
        QCOMPARE(p.config().resample, ResampleFilter::Bilinear);
        QCOMPARE(p.config().imageMean[2], 0.25);
        QCOMPARE(p.config().imageStd[0], 0.26862954);  // CLIP default
        const ImagePreprocessor exact = fromJson(R"({"image_processor_type": "CLIPImageProcessor",
            "size": {"height": 5, "width": 7}, "do_center_crop": false})");
        QCOMPARE(exact.preprocess(noiseImage(20, 20, 1)).width, 7);
    }

    void rejectsBadConfigs() {
        expectConfigError(R"({"image_processor_type": "LlavaOnevisionImageProcessor"})", "LlavaOnevisionImageProcessor");
        expectConfigError(R"({"size": 3})", "image_processor_type");
        expectConfigError(R"({"image_processor_type": "CLIPImageProcessor", "resample": 9})", "resample 9");
        expectConfigError(R"({"image_processor_type": "CLIPImageProcessor", "size": "big"})", "'size'");
        expectConfigError(R"({"image_processor_type": "CLIPImageProcessor", "size": {"longest_edge": 3}})", "'size'");
        expectConfigError(R"({"image_processor_type": "SiglipImageProcessor", "size": {"shortest_edge": 3}})", "'size'");
        expectConfigError(R"({"image_processor_type": "CLIPImageProcessor", "image_mean": [0.5, 0.5]})", "'image_mean'");
        expectConfigError(R"({"image_processor_type": "CLIPImageProcessor", "image_std": [0.5, 0, 0.5]})", "'image_std'");
        expectConfigError(R"({"image_processor_type": "CLIPImageProcessor", "do_resize": "yes"})", "'do_resize'");
        expectConfigError(R"({"image_processor_type": "CLIPImageProcessor", "crop_size": {"height": 0, "width": 3}})",
                          "'height'");
        try {
            ImagePreprocessor::fromModelFolder(imagetest::fixture("hf/tokenizers"));
            QFAIL("a folder without preprocessor_config.json must be refused");
        } catch (const sena::ConfigError& e) {
            QVERIFY(QString(e.what()).contains("preprocessor_config.json"));
        }
    }
};

int runPreprocessorTests(int argc, char** argv) {
    PreprocessorTests t;
    return QTest::qExec(&t, argc, argv);
}

#include "TestPreprocessor.moc"
