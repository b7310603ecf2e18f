#pragma once
// Shared helpers of the store tests: workspaces in temporary folders, file bytes, and small
// records inserted through the public stores.
#include "util/Sha256.h"
#include "store/Transaction.h"
#include "store/Workspace.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace storetest {

using namespace sena::store;

inline std::string tempPath(const QTemporaryDir& dir, const std::string& name = {}) {
    std::string base = dir.path().toStdString();
    return name.empty() ? base : base + "/" + name;
}

inline std::vector<std::uint8_t> readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void writeBytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// What a call threw, if it threw a StoreError (checked by the caller with QVERIFY, which only
// returns from the test function that uses it).
struct CaughtStoreError {
    bool thrown = false;
    sena::StoreError::Kind kind = sena::StoreError::Kind::General;
    std::string message;

    bool says(const std::string& fragment) const { return message.find(fragment) != std::string::npos; }
};

template <typename F>
CaughtStoreError catchStoreError(F&& f) {
    CaughtStoreError caught;
    try {
        f();
    } catch (const sena::StoreError& e) {
        caught.thrown = true;
        caught.kind = e.kind();
        caught.message = e.what();
    }
    return caught;
}

// The SHA-256 of a file, to prove a refused open left it byte-for-byte unchanged.
inline std::string fileHash(const std::string& path) {
    return sena::util::Sha256::hexOf(readBytes(path));
}

// An image row as the importer would store it (no file needed).
inline std::int64_t addImage(Workspace& ws, const std::string& relPath, const std::string& root = "/data/images") {
    ImageStore images = ws.images();
    ImageRecord image;
    image.rootId = images.rootIdFor(root);
    image.relativePath = relPath;
    image.sha256 = sena::util::Sha256::hexOf(reinterpret_cast<const std::uint8_t*>(relPath.data()), relPath.size());
    image.width = 640;
    image.height = 480;
    image.format = "JPEG";
    image.bytes = 1000 + static_cast<std::int64_t>(relPath.size());
    image.mtimeNs = 1700000000000000000;
    return images.insert(image);
}

inline std::int64_t addRound(Workspace& ws, const std::string& model = "/models/llava-1.5-7b") {
    RoundRecord round;
    round.generatorModelPath = model;
    round.generatorModelHash = "abc123";
    round.configJson = R"({"corruption":"diffusion:t=600","seed":7})";
    return ws.rounds().create(round);
}

inline PairRecord makePair(std::int64_t roundId, std::int64_t imageId, const std::string& prompt,
                           const std::string& chosen, const std::string& rejected, PairType type = PairType::General) {
    PairRecord pair;
    pair.roundId = roundId;
    pair.imageId = imageId;
    pair.type = type;
    pair.prompt = prompt;
    pair.chosen = chosen;
    pair.rejected = rejected;
    return pair;
}

}  // namespace storetest
