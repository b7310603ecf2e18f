#include "image/ImageLoader.h"

#include "image/ImageProbe.h"
#include "util/Error.h"

#include <filesystem>
#include <fstream>
#include <limits>
#include <system_error>

#ifdef SENA_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#endif

namespace sena::image {

namespace {

// Files this large are not photos; refusing them avoids reading gigabytes into memory first.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(1) << 30;

void checkPixelBudget(const ImageHeader& h, const std::string& name, const LoadOptions& options) {
    const std::uint64_t pixels = static_cast<std::uint64_t>(h.width) * static_cast<std::uint64_t>(h.height);
    if (pixels > options.maxPixels)
        throw FormatError("'" + name + "' claims to be " + std::to_string(h.width) + "x" + std::to_string(h.height) +
                          " = " + std::to_string(pixels) + " pixels, more than the limit of " +
                          std::to_string(options.maxPixels) +
                          " (a guard against decompression bombs); downscale it with an image editor first");
}

#ifdef SENA_WITH_OPENCV
// Turns what OpenCV decoded (1..4 channels in BGR(A) order, 8 or 16 bit) into RGB8.
RgbImage fromMat(const cv::Mat& m, const std::string& name, ImageFormat format) {
    const int depth = m.depth();
    const int channels = m.channels();
    if (depth != CV_8U && depth != CV_16U)
        throw FormatError("'" + name + "' is a " + imageFormatName(format) +
                          " file with samples that are neither 8- nor 16-bit unsigned integers (e.g. float); "
                          "convert it to an 8-bit PNG or JPEG");
    if (channels < 1 || channels > 4)
        throw FormatError("'" + name + "' decoded to " + std::to_string(channels) +
                          " channels; convert it to an RGB PNG or JPEG");
    RgbImage out(m.cols, m.rows);
    for (int y = 0; y < m.rows; ++y) {
        std::uint8_t* dst = out.row(y);
        for (int x = 0; x < m.cols; ++x, dst += 3) {
            std::uint32_t v[4] = {0, 0, 0, 0};
            for (int c = 0; c < channels; ++c)
                v[c] = depth == CV_8U ? m.ptr<std::uint8_t>(y)[x * channels + c]
                                      : (m.ptr<std::uint16_t>(y)[x * channels + c] >> 8);  // PIL keeps the high byte
            if (channels <= 2) {  // grey (+ alpha, dropped)
                dst[0] = dst[1] = dst[2] = static_cast<std::uint8_t>(v[0]);
            } else {  // BGR (+ alpha, dropped)
                dst[0] = static_cast<std::uint8_t>(v[2]);
                dst[1] = static_cast<std::uint8_t>(v[1]);
                dst[2] = static_cast<std::uint8_t>(v[0]);
            }
        }
    }
    return out;
}

RgbImage decodeWithOpenCv(const std::uint8_t* data, std::size_t size, const std::string& name,
                          const ImageHeader& header) {
    // ANYDEPTH keeps 16-bit samples so the 16 → 8 rule is ours; ANYCOLOR gives 1 channel for grey
    // and 3 for everything else (alpha stripped by the codec); orientation is applied by us for
    // every format, so OpenCV must not apply it a second time.
    const int flags = cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR | cv::IMREAD_IGNORE_ORIENTATION;
    cv::Mat decoded;
    try {
        const cv::Mat buffer(1, static_cast<int>(size), CV_8UC1, const_cast<std::uint8_t*>(data));
        decoded = cv::imdecode(buffer, flags);
    } catch (const cv::Exception& e) {
        throw FormatError("'" + name + "' could not be decoded as " + imageFormatName(header.format) + ": " +
                          e.what() + "; re-export it as PNG or JPEG");
    }
    if (decoded.empty())
        throw FormatError("'" + name + "' could not be decoded as " + std::string(imageFormatName(header.format)) +
                          " (the file is truncated, corrupt or uses an unsupported variant); re-download it or "
                          "re-export it as PNG or JPEG");
    return fromMat(decoded, name, header.format);
}
#endif

}  // namespace

RgbImage decodePnm(const std::uint8_t* data, std::size_t size, const std::string& name, const LoadOptions& options) {
    const PnmHeader h = parsePnmHeader(data, size, name);
    if (h.kind != '5' && h.kind != '6')
        throw FormatError("'" + name + "' is an ASCII or bitmap PNM (P" + std::string(1, h.kind) +
                          "); only binary PGM (P5) and PPM (P6) are read without OpenCV. Convert it to P6, e.g. "
                          "`convert in out.ppm` with ImageMagick");
    ImageHeader ih;
    ih.format = ImageFormat::Pnm;
    ih.width = h.width;
    ih.height = h.height;
    if (h.width <= 0 || h.height <= 0)
        throw FormatError("'" + name + "' is a PNM file that claims a size of " + std::to_string(h.width) + "x" +
                          std::to_string(h.height) + "; it is corrupt, re-export it");
    checkPixelBudget(ih, name, options);

    const int channels = h.kind == '6' ? 3 : 1;
    const int sampleBytes = h.maxValue > 255 ? 2 : 1;
    const std::uint64_t need = static_cast<std::uint64_t>(h.width) * h.height * channels * sampleBytes;
    if (size - h.dataOffset < need)
        throw FormatError("'" + name + "' is a truncated PNM file: " + std::to_string(need) +
                          " bytes of pixel data expected, " + std::to_string(size - h.dataOffset) +
                          " found; re-export it");

    const std::uint32_t maxValue = static_cast<std::uint32_t>(h.maxValue);
    auto to8 = [&](std::uint32_t v) -> std::uint8_t {
        if (v > maxValue)
            v = maxValue;
        if (sampleBytes == 1)
            return static_cast<std::uint8_t>(maxValue == 255 ? v : (v * 255 + maxValue / 2) / maxValue);
        const std::uint32_t v16 = maxValue == 65535 ? v : (v * 65535u + maxValue / 2) / maxValue;
        return static_cast<std::uint8_t>(v16 >> 8);
    };
    RgbImage out(static_cast<int>(h.width), static_cast<int>(h.height));
    const std::uint8_t* p = data + h.dataOffset;
    const std::size_t samples = static_cast<std::size_t>(h.width) * h.height * channels;
    for (std::size_t i = 0; i < samples; ++i) {
        const std::uint32_t raw = sampleBytes == 1 ? p[i] : (std::uint32_t(p[2 * i]) << 8) | p[2 * i + 1];
        const std::uint8_t v = to8(raw);
        if (channels == 3) {
            out.pixels[i] = v;
        } else {
            out.pixels[3 * i] = out.pixels[3 * i + 1] = out.pixels[3 * i + 2] = v;
        }
    }
    return out;
}

RgbImage decodeImage(const std::uint8_t* data, std::size_t size, const std::string& name, const LoadOptions& options) {
    const ImageHeader header = probeImageHeader(data, size, name);
    checkPixelBudget(header, name, options);
    RgbImage image;
#ifdef SENA_WITH_OPENCV
    if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw FormatError("'" + name + "' is larger than 2 GiB; it cannot be an image this program reads");
    // Binary PGM/PPM always use the built-in decoder, so they load the same with or without OpenCV
    // (OpenCV would not rescale a maximum value other than 255 or 65535).
    if (header.format == ImageFormat::Pnm && (header.pnmKind == '5' || header.pnmKind == '6'))
        image = decodePnm(data, size, name, options);
    else
        image = decodeWithOpenCv(data, size, name, header);
#else
    if (header.format != ImageFormat::Pnm)
        throw FormatError("'" + name + "' is a " + imageFormatName(header.format) +
                          " file, but this build has no OpenCV and reads only binary PPM (P6) and PGM (P5). "
                          "Convert it, e.g. `convert in out.ppm` with ImageMagick, or rebuild with "
                          "-DSENA_WITH_OPENCV=ON");
    image = decodePnm(data, size, name, options);
#endif
    // The decoder is bounded by the header we checked; re-check in case a codec disagrees with it.
    checkPixelBudget(ImageHeader{header.format, image.width, image.height}, name, options);
    if (options.applyExifOrientation && header.exifOrientation != 1)
        image = applyExifOrientation(image, header.exifOrientation);
    return image;
}

RgbImage decodeImage(const std::vector<std::uint8_t>& bytes, const std::string& name, const LoadOptions& options) {
    return decodeImage(bytes.data(), bytes.size(), name, options);
}

RgbImage loadImage(const std::string& path, const LoadOptions& options) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        throw FormatError("cannot open image '" + path + "': no such file");
    if (!std::filesystem::is_regular_file(status))
        throw FormatError("cannot open image '" + path + "': it is not a regular file");
    const std::uintmax_t fileSize = std::filesystem::file_size(path, ec);
    if (ec)
        throw FormatError("cannot read the size of image '" + path + "': " + ec.message());
    if (fileSize > kMaxFileBytes)
        throw FormatError("image '" + path + "' is " + std::to_string(fileSize) +
                          " bytes, over the 1 GiB limit; downscale or recompress it first");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FormatError("cannot open image '" + path + "' for reading; check its permissions");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(fileSize));
    if (!bytes.empty() && !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())))
        throw FormatError("cannot read image '" + path + "': the read stopped early (was it changed while reading?)");
    return decodeImage(bytes, path, options);
}

bool imageLoaderHasOpenCv() {
#ifdef SENA_WITH_OPENCV
    return true;
#else
    return false;
#endif
}

std::vector<std::string> supportedImageExtensions() {
#ifdef SENA_WITH_OPENCV
    return {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".bmp", ".dib", ".tif", ".tiff", ".ppm", ".pgm", ".pbm", ".pnm"};
#else
    return {".ppm", ".pgm", ".pnm"};
#endif
}

}  // namespace sena::image
