#include "image/corruption/PreviewImage.h"

#include "util/Error.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace sena::image {

RgbImage sideBySide(const RgbImage& left, const RgbImage& right, int gap) {
    gap = std::max(gap, 0);
    RgbImage out = RgbImage::filled(left.width + gap + right.width, std::max(left.height, right.height), 128, 128, 128);
    pasteImage(out, left, 0, 0);
    pasteImage(out, right, left.width + gap, 0);
    return out;
}

std::vector<std::uint8_t> encodePng(const RgbImage& image) {
    if (image.empty() || image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 3)
        throw InputError("PNG: cannot encode an empty image or one whose pixel buffer does not match its size");
    const cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.pixels.data()),
                      image.rowBytes());
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);  // OpenCV's codecs expect BGR
    std::vector<std::uint8_t> bytes;
    if (!cv::imencode(".png", bgr, bytes))
        throw InputError("PNG: OpenCV could not encode a " + std::to_string(image.width) + "x" +
                         std::to_string(image.height) + " image");
    return bytes;
}

void writePng(const RgbImage& image, const std::string& path) {
    const std::vector<std::uint8_t> bytes = encodePng(image);
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (file)
        file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!file)
        throw FormatError(path + ": cannot write the PNG (" + std::strerror(errno) +
                          "); check that the folder exists and is writable");
}

}  // namespace sena::image
