// Image loading: formats and pixel conversions written with OpenCV and read back, EXIF orientation,
// the built-in PNM decoder, and broken or hostile files (which must give FormatError, never crash).
#include "CmykJpeg.h"
#include "ImageTestUtil.h"
#include "image/ImageLoader.h"
#include "image/ImageProbe.h"
#include "util/Error.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cstring>
#include <fstream>

#ifdef SENA_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#endif

using namespace sena::image;
using imagetest::noiseImage;
using Bytes = std::vector<std::uint8_t>;

namespace {

void put32be(Bytes& b, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8)
        b.push_back(static_cast<std::uint8_t>(v >> s));
}

std::uint32_t crc32(const std::uint8_t* p, std::size_t n) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

Bytes pngChunk(const char* type, const Bytes& data) {
    Bytes out;
    put32be(out, static_cast<std::uint32_t>(data.size()));
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data.begin(), data.end());
    put32be(out, crc32(out.data() + 4, out.size() - 4));
    return out;
}

// A minimal EXIF (TIFF) block whose IFD0 holds only Orientation.
Bytes exifWithOrientation(int orientation, bool bigEndian) {
    Bytes t = bigEndian ? Bytes{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
                        : Bytes{'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    t[bigEndian ? 19 : 18] = static_cast<std::uint8_t>(orientation);
    return t;
}

// PNG signature + IHDR claiming w x h (8-bit RGB), then whatever follows.
Bytes pngHeader(std::uint32_t w, std::uint32_t h) {
    Bytes b{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    Bytes ihdr;
    put32be(ihdr, w);
    put32be(ihdr, h);
    ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});
    const Bytes chunk = pngChunk("IHDR", ihdr);
    b.insert(b.end(), chunk.begin(), chunk.end());
    return b;
}

Bytes ppm(const char* header, const Bytes& data) {
    Bytes b(header, header + std::strlen(header));
    b.insert(b.end(), data.begin(), data.end());
    return b;
}

void expectFormatError(const Bytes& bytes, const char* needle, const LoadOptions& options = {}) {
    try {
        decodeImage(bytes, "bad.img", options);
        QFAIL(qPrintable(QString("expected a FormatError mentioning '%1'").arg(needle)));
    } catch (const sena::FormatError& e) {
        QVERIFY2(QString(e.what()).contains("bad.img"), e.what());
        QVERIFY2(QString(e.what()).contains(needle, Qt::CaseInsensitive), e.what());
    }
}

#ifdef SENA_WITH_OPENCV
cv::Mat toBgr(const RgbImage& img) {
    cv::Mat m(img.height, img.width, CV_8UC3);
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x)
            m.at<cv::Vec3b>(y, x) = cv::Vec3b(img.at(x, y, 2), img.at(x, y, 1), img.at(x, y, 0));
    return m;
}

Bytes encode(const char* ext, const cv::Mat& m, const std::vector<int>& params = {}) {
    Bytes out;
    if (!cv::imencode(ext, m, out, params))
        qFatal("OpenCV cannot encode %s", ext);
    return out;
}

// Blocks of flat colour survive JPEG compression nearly unchanged.
RgbImage quadrants(int w, int h) {
    RgbImage img(w, h);
    const std::uint8_t colours[4][3] = {{250, 20, 20}, {20, 250, 20}, {20, 20, 250}, {240, 240, 20}};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                img.at(x, y, c) = colours[(y >= h / 2) * 2 + (x >= w / 2)][c];
    return img;
}
#endif

}  // namespace

class LoaderTests : public QObject {
    Q_OBJECT
private slots:
    void exifOrientationMatchesPil() {
        RgbImage src(3, 2);
        for (int i = 0; i < 6; ++i)
            src.at(i % 3, i / 3, 0) = static_cast<std::uint8_t>(i + 1);
        // PIL's exif_transpose of [[1,2,3],[4,5,6]] for orientations 1..8, row by row.
        const std::vector<std::vector<int>> expected = {
            {1, 2, 3, 4, 5, 6}, {3, 2, 1, 6, 5, 4}, {6, 5, 4, 3, 2, 1}, {4, 5, 6, 1, 2, 3},
            {1, 4, 2, 5, 3, 6}, {4, 1, 5, 2, 6, 3}, {6, 3, 5, 2, 4, 1}, {3, 6, 2, 5, 1, 4}};
        for (int o = 1; o <= 8; ++o) {
            const RgbImage out = applyExifOrientation(src, o);
            QCOMPARE(out.width, o >= 5 ? 2 : 3);
            std::vector<int> got;
            for (int y = 0; y < out.height; ++y)
                for (int x = 0; x < out.width; ++x)
                    got.push_back(out.at(x, y, 0));
            QCOMPARE(got, expected[o - 1]);
        }
        QCOMPARE(exifOrientationFromTiff(exifWithOrientation(6, true).data(), 26), 6);
        QCOMPARE(exifOrientationFromTiff(exifWithOrientation(8, false).data(), 26), 8);
        QCOMPARE(exifOrientationFromTiff(exifWithOrientation(8, false).data(), 15), 1);  // cut short
    }

    void decodesBinaryPnm() {
        const Bytes p6bytes = ppm("P6\n# comment\n2 1\n255\n", {1, 2, 3, 250, 251, 252});
        const RgbImage p6 = decodePnm(p6bytes.data(), p6bytes.size(), "a.ppm");
        QCOMPARE(p6.width, 2);
        QCOMPARE(p6.pixels, (Bytes{1, 2, 3, 250, 251, 252}));
        const Bytes p5 = ppm("P5 2 2 15 ", {0, 15, 7, 8});  // scaled to 0..255, rounded
        QCOMPARE(decodePnm(p5.data(), p5.size(), "g.pgm").pixels,
                 (Bytes{0, 0, 0, 255, 255, 255, 119, 119, 119, 136, 136, 136}));
        const Bytes p16 = ppm("P5 1 1 65535\n", {0xAB, 0xCD});  // 16-bit big-endian: high byte kept
        QCOMPARE(decodePnm(p16.data(), p16.size(), "g16.pgm").pixels, (Bytes{0xAB, 0xAB, 0xAB}));
        // decodeImage uses the same decoder in every build, scaling included.
        const Bytes p6b = ppm("P6 2 1 255\n", {9, 8, 7, 6, 5, 4});
        QCOMPARE(decodeImage(p6b, "b.ppm").pixels, (Bytes{9, 8, 7, 6, 5, 4}));
        QCOMPARE(decodeImage(p5, "g.pgm").pixels, decodePnm(p5.data(), p5.size(), "g.pgm").pixels);
    }

    void rejectsBrokenPnm() {
        const Bytes cut = ppm("P6 4 4 255\n", Bytes(20, 1));
        QVERIFY_THROWS_EXCEPTION(sena::FormatError, decodePnm(cut.data(), cut.size(), "cut.ppm"));
        const Bytes ascii = ppm("P3 1 1 255\n", {'1', ' ', '2', ' ', '3', '\n'});
        QVERIFY_THROWS_EXCEPTION(sena::FormatError, decodePnm(ascii.data(), ascii.size(), "ascii.ppm"));
        const Bytes noMax = ppm("P6 1 1\n", {});
        QVERIFY_THROWS_EXCEPTION(sena::FormatError, decodePnm(noMax.data(), noMax.size(), "h.ppm"));
        expectFormatError(ppm("P6 100000 100000 255\n", Bytes(10, 0)), "limit");
        expectFormatError(ppm("P6 0 5 255\n", Bytes(10, 0)), "0x5");
    }

    void rejectsEmptyRandomAndUnknownData() {
        expectFormatError({}, "empty");
        Bytes noise(4096);
        std::uint32_t s = 12345;
        for (auto& b : noise)
            b = static_cast<std::uint8_t>((s = s * 1664525u + 1013904223u) >> 24);
        noise[0] = 0x13;  // make sure no magic number matches by chance
        expectFormatError(noise, "not a supported image format");
        expectFormatError(Bytes{'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0}, "GIF");
        QVERIFY_THROWS_EXCEPTION(sena::FormatError, loadImage("/nonexistent/dir/x.png"));
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(sena::FormatError, loadImage(dir.path().toStdString()));
        const std::string emptyFile = dir.filePath("empty.png").toStdString();
        std::ofstream(emptyFile).close();
        try {
            loadImage(emptyFile);
            QFAIL("an empty file must be refused");
        } catch (const sena::FormatError& e) {
            QVERIFY(QString(e.what()).contains("empty.png"));
        }
    }

    void refusesDecompressionBombsFromTheHeader() {
        // Header-only files: the guard must fire before any decoder sees the (absent) pixel data.
        Bytes png = pngHeader(100000, 100000);
        expectFormatError(png, "10000000000 pixels");
        Bytes bmp{'B', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0};
        for (std::uint32_t v : {100000u, 100000u})
            for (int s = 0; s < 32; s += 8)
                bmp.push_back(static_cast<std::uint8_t>(v >> s));
        bmp.insert(bmp.end(), {1, 0, 24, 0});
        expectFormatError(bmp, "limit");
        // The limit is configurable; 1x1 over a limit of 0 is refused, under the default it is not.
        LoadOptions tiny;
        tiny.maxPixels = 0;
        expectFormatError(ppm("P6 1 1 255\n", {1, 2, 3}), "limit", tiny);
        ImageHeader h = probeImageHeader(png.data(), png.size(), "p.png");
        QCOMPARE(h.format, ImageFormat::Png);
        QCOMPARE(h.width, std::int64_t(100000));
        expectFormatError(Bytes{0xFF, 0xD8, 0xFF, 0xE0, 0x00}, "truncated");
    }

#ifdef SENA_WITH_OPENCV
    void roundTripsLosslessFormats() {
        const RgbImage src = noiseImage(37, 23, 11);
        const cv::Mat bgr = toBgr(src);
        QTemporaryDir dir;
        for (const char* ext : {".png", ".bmp", ".tiff", ".webp", ".ppm"}) {
            const std::string path = dir.filePath(QString("img") + ext).toStdString();
            std::vector<int> params;
            if (std::string(ext) == ".webp")
                params = {cv::IMWRITE_WEBP_QUALITY, 101};  // > 100 selects lossless
            QVERIFY2(cv::imwrite(path, bgr, params), ext);
            const RgbImage got = loadImage(path);
            QVERIFY2(got == src, ext);
            const auto exts = supportedImageExtensions();
            QVERIFY2(std::find(exts.begin(), exts.end(), std::string(ext)) != exts.end(), ext);
        }
    }

    void decodesJpegLikeOpenCv() {
        const RgbImage src = quadrants(32, 32);
        const Bytes jpg = encode(".jpg", toBgr(src), {cv::IMWRITE_JPEG_QUALITY, 95});
        const RgbImage got = decodeImage(jpg, "q.jpg");
        QCOMPARE(got.width, 32);
        QCOMPARE(got.height, 32);
        const cv::Mat ref = cv::imdecode(jpg, cv::IMREAD_COLOR);
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x)
                for (int c = 0; c < 3; ++c) {
                    QCOMPARE(got.at(x, y, c), ref.at<cv::Vec3b>(y, x)[2 - c]);
                    // Away from the block edges, where subsampled chroma bleeds, colours survive.
                    if (std::abs(x - 16) > 3 && std::abs(y - 16) > 3)
                        QVERIFY(std::abs(int(got.at(x, y, c)) - int(src.at(x, y, c))) < 12);
                }
    }

    void convertsGreyAlphaAndSixteenBit() {
        // Grey → replicated.
        cv::Mat grey(3, 4, CV_8UC1);
        for (int i = 0; i < 12; ++i)
            grey.data[i] = static_cast<std::uint8_t>(i * 20);
        RgbImage g = decodeImage(encode(".png", grey), "g.png");
        QCOMPARE(g.at(3, 2, 0), std::uint8_t(220));
        QCOMPARE(g.at(3, 2, 2), std::uint8_t(220));
        // RGBA → alpha dropped, colour kept even where fully transparent (PIL convert("RGB")).
        cv::Mat bgra(2, 2, CV_8UC4, cv::Scalar(10, 20, 30, 0));
        bgra.at<cv::Vec4b>(1, 1) = cv::Vec4b(40, 50, 60, 255);
        RgbImage a = decodeImage(encode(".png", bgra), "a.png");
        QCOMPARE(a.pixels, (Bytes{30, 20, 10, 30, 20, 10, 30, 20, 10, 60, 50, 40}));
        // 16-bit colour and grey → high byte.
        cv::Mat rgb16(1, 2, CV_16UC3, cv::Scalar(0x1234, 0xABFF, 0x00FF));
        QCOMPARE(decodeImage(encode(".png", rgb16), "c16.png").pixels, (Bytes{0x00, 0xAB, 0x12, 0x00, 0xAB, 0x12}));
        cv::Mat grey16(1, 1, CV_16UC1, cv::Scalar(0xFE01));
        QCOMPARE(decodeImage(encode(".png", grey16), "g16.png").pixels, (Bytes{0xFE, 0xFE, 0xFE}));
        cv::Mat rgba16(1, 1, CV_16UC4, cv::Scalar(0x0100, 0x0200, 0x0300, 0x0000));
        QCOMPARE(decodeImage(encode(".png", rgba16), "a16.png").pixels, (Bytes{3, 2, 1}));
    }

    void decodesCmykJpeg() {
        const RgbImage img = decodeImage(kCmykJpeg, sizeof kCmykJpeg, "cmyk.jpg");
        QCOMPARE(img.width, 8);
        // Pillow's values for the quadrant centres; OpenCV's CMYK conversion differs by a level or two.
        const int expected[4][3] = {{255, 254, 255}, {0, 255, 255}, {0, 0, 0}, {255, 127, 0}};
        const int at[4][2] = {{1, 1}, {6, 1}, {1, 6}, {6, 6}};
        for (int q = 0; q < 4; ++q)
            for (int c = 0; c < 3; ++c)
                QVERIFY2(std::abs(int(img.at(at[q][0], at[q][1], c)) - expected[q][c]) <= 3,
                         qPrintable(QString("quadrant %1 channel %2: %3").arg(q).arg(c)
                                        .arg(img.at(at[q][0], at[q][1], c))));
    }

    void appliesExifOrientation() {
        const Bytes plain = encode(".jpg", toBgr(quadrants(32, 16)), {cv::IMWRITE_JPEG_QUALITY, 95});
        const RgbImage upright = decodeImage(plain, "plain.jpg");
        for (int o = 1; o <= 8; ++o) {
            // JPEG: an APP1 "Exif" segment right after SOI.
            const Bytes tiff = exifWithOrientation(o, o % 2 == 0);
            Bytes app1{0xFF, 0xE1, 0, static_cast<std::uint8_t>(2 + 6 + tiff.size()), 'E', 'x', 'i', 'f', 0, 0};
            app1.insert(app1.end(), tiff.begin(), tiff.end());
            Bytes jpg = app1;
            jpg.insert(jpg.begin(), plain.begin(), plain.begin() + 2);
            jpg.insert(jpg.end(), plain.begin() + 2, plain.end());
            QVERIFY2(decodeImage(jpg, "o.jpg") == applyExifOrientation(upright, o), qPrintable(QString::number(o)));
            LoadOptions keep;
            keep.applyExifOrientation = false;
            QVERIFY(decodeImage(jpg, "o.jpg", keep) == upright);
        }
        // PNG eXIf chunk, orientation 6 = rotate 90° clockwise: out(x, y) = src(y, H - 1 - x).
        const RgbImage src = noiseImage(5, 3, 21);
        const Bytes png = encode(".png", toBgr(src));
        const Bytes chunk = pngChunk("eXIf", exifWithOrientation(6, false));
        Bytes rotated = chunk;
        rotated.insert(rotated.begin(), png.begin(), png.begin() + 33);  // signature + IHDR first
        rotated.insert(rotated.end(), png.begin() + 33, png.end());
        const RgbImage got = decodeImage(rotated, "r.png");
        QCOMPARE(got.width, 3);
        QCOMPARE(got.height, 5);
        for (int y = 0; y < 5; ++y)
            for (int x = 0; x < 3; ++x)
                QCOMPARE(got.at(x, y, 1), src.at(y, 2 - x, 1));
    }

    void rejectsTruncatedFiles() {
        const cv::Mat bgr = toBgr(noiseImage(64, 48, 5));
        const Bytes png = encode(".png", bgr);
        expectFormatError(Bytes(png.begin(), png.begin() + png.size() / 2), "PNG");
        expectFormatError(Bytes(png.begin(), png.begin() + 30), "truncated");
        const Bytes jpg = encode(".jpg", bgr);
        expectFormatError(Bytes(jpg.begin(), jpg.begin() + jpg.size() * 2 / 3), "truncated");
        const Bytes webp = encode(".webp", bgr);
        expectFormatError(Bytes(webp.begin(), webp.begin() + webp.size() / 2), "WebP");
        // Corrupt pixel data behind an intact header.
        Bytes garbled = png;
        for (std::size_t i = 60; i < garbled.size() - 20; ++i)
            garbled[i] ^= 0x5A;
        expectFormatError(garbled, "PNG");
    }

    void survivesCorruptedFiles() {
        // Deterministic byte flips and cuts of valid files: each must decode or throw FormatError.
        const cv::Mat bgr = toBgr(noiseImage(24, 17, 8));
        int refused = 0, decoded = 0;
        std::uint32_t s = 99;
        auto next = [&s] { return (s = s * 1664525u + 1013904223u) >> 8; };
        const int rounds = qEnvironmentVariableIntValue("SENA_IMAGE_FUZZ_ROUNDS") > 0
                               ? qEnvironmentVariableIntValue("SENA_IMAGE_FUZZ_ROUNDS")
                               : 40;
        for (const char* ext : {".png", ".jpg", ".webp", ".bmp", ".tiff"}) {
            const Bytes good = encode(ext, bgr);
            for (int round = 0; round < rounds; ++round) {
                Bytes bad = good;
                const int flips = 1 + static_cast<int>(next() % 8);
                for (int f = 0; f < flips; ++f)
                    bad[next() % bad.size()] = static_cast<std::uint8_t>(next());
                if (round % 3 == 0)
                    bad.resize(next() % bad.size());
                try {
                    const RgbImage img = decodeImage(bad, "fuzz");
                    QVERIFY(!img.empty() && img.pixels.size() == std::size_t(img.width) * img.height * 3);
                    ++decoded;
                } catch (const sena::FormatError&) {
                    ++refused;
                }
            }
        }
        QVERIFY(refused > 0);
        qInfo("corrupted files: %d decoded, %d refused", decoded, refused);
    }
#else
    void refusesNonPnmWithoutOpenCv() {
        Bytes png = pngHeader(4, 4);
        expectFormatError(png, "no OpenCV");
        QCOMPARE(supportedImageExtensions().front(), std::string(".ppm"));
    }
#endif
};

int runLoaderTests(int argc, char** argv) {
    LoaderTests t;
    return QTest::qExec(&t, argc, argv);
}

#include "TestLoader.moc"
