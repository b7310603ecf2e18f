#pragma once
// Images, their import roots and the scanned-file cache the importer uses.
#include "store/Records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sena::store {

class Database;

struct ImageFilter {
    enum class Status { All, Ok, Failed };
    std::optional<std::int64_t> roundId;  // only images assigned to this round; badges then count that round only
    Status status = Status::All;
    std::string pathContains;  // case-insensitive (ASCII) substring of the relative path
};

enum class ImageSort { Id, Path, ImportedAt, Bytes, Width, Height, Format };

struct ImageQuery {
    ImageFilter filter;
    ImageSort sort = ImageSort::Id;
    bool descending = false;
    std::int64_t offset = 0;
    std::int64_t limit = 100;
};

// An image with the badge counts the image browser shows (import error: !image.ok()).
struct ImageListRow {
    ImageRecord image;
    std::int64_t questions = 0;
    std::int64_t pairs = 0;
    std::int64_t accepted = 0;
    std::int64_t rejected = 0;
};

// A file the folder scan has already seen; lets a re-scan skip it when size and mtime match.
struct KnownFile {
    std::int64_t bytes = 0;
    std::int64_t mtimeNs = 0;
    std::optional<std::int64_t> imageId;  // the image with this file's content
};

class ImageStore {
public:
    explicit ImageStore(Database& db) : m_db(db) {}

    // The id of an import root folder (absolute path), created on first use.
    std::int64_t rootIdFor(const std::string& absoluteFolder);
    std::optional<std::string> rootPath(std::int64_t rootId);
    // Points a root at a new folder, e.g. after the images were moved; the relative paths stay.
    void moveRoot(std::int64_t rootId, const std::string& newAbsoluteFolder);

    // Stores `image` (rootId, relativePath and file facts set; sha256 unique when non-empty) and
    // returns its id.
    std::int64_t insert(const ImageRecord& image);
    // Records new size and mtime for an image whose file was touched but whose content is unchanged.
    void updateFileStats(std::int64_t imageId, std::int64_t bytes, std::int64_t mtimeNs);
    std::optional<ImageRecord> get(std::int64_t id);
    std::optional<ImageRecord> findBySha256(const std::string& sha256);
    // Whether any round, question, generation or pair uses the image.
    bool isReferenced(std::int64_t id);
    // Deletes the image when nothing references it; returns whether it did.
    bool removeIfUnreferenced(std::int64_t id);

    std::int64_t count(const ImageFilter& filter = {});
    std::vector<ImageListRow> find(const ImageQuery& query);

    // The scanned-file cache of one root, keyed by relative path.
    std::unordered_map<std::string, KnownFile> knownFiles(std::int64_t rootId);
    void recordFile(std::int64_t rootId, const std::string& relativePath, const KnownFile& file);
    // The scanned files (root id, relative path) holding an image's content.
    std::vector<std::pair<std::int64_t, std::string>> filesOf(std::int64_t imageId);
    // Moves an image's recorded location to another file with the same content.
    void relocate(std::int64_t imageId, std::int64_t rootId, const std::string& relativePath);

private:
    Database& m_db;
};

}  // namespace sena::store
