#pragma once
// Imports a folder of images into the workspace: recursive scan, SHA-256 of the bytes, dedupe by
// content, decode to validate and measure, incremental re-scan, cancellable with progress.
//
//  * Files are matched by extension (case-insensitive); hidden files and folders (name starting
//    with '.') and the excluded folders are skipped; symlinked folders are not followed. Images
//    that disappeared are only counted: rounds that used them keep their records.
//  * A file whose size and mtime match what the last scan recorded is skipped without reading.
//    A changed file is re-hashed: same content counts as unchanged; new content is imported, and
//    the image it replaced is deleted when no round uses it.
//  * A file that does not decode is stored with its error message (so it is not retried until it
//    changes) and counted as failed; a file that cannot be read is only reported, and retried by
//    the next scan. Neither stops the import.
//  * Work is committed in batches; after a cancel or a crash, the next scan resumes where the
//    last committed batch ended.
#include "image/ImageLoader.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace sena::store {

class Database;

struct ImportOptions {
    std::vector<std::string> extensions = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"};
    std::vector<std::string> excludeFolders;  // not descended into (e.g. the workspace folder)
    std::size_t batchSize = 64;               // files per transaction
    image::LoadOptions load;
};

struct ImportFailure {
    std::string path;  // absolute
    std::string message;
};

struct ImportSummary {
    std::size_t found = 0;       // image files in the folder
    std::size_t imported = 0;    // new images stored (decoded)
    std::size_t duplicates = 0;  // files whose content was already in the workspace
    std::size_t failed = 0;      // unreadable or undecodable files
    std::size_t unchanged = 0;   // known files skipped (size and mtime, or content, unchanged)
    std::size_t changed = 0;     // known files with new content (also counted as imported, duplicate or failed)
    std::size_t missing = 0;     // files an earlier scan of this folder saw that are gone (not counted when cancelled)
    bool cancelled = false;
    std::vector<ImportFailure> failures;
};

struct ImportProgress {
    std::size_t processed = 0;  // files handled so far
    std::size_t total = 0;      // files found
    std::string path;           // the file just handled (absolute); empty before the first
    const ImportSummary* summary = nullptr;
};

// Return false to cancel; what was done so far is kept.
using ImportProgressCallback = std::function<bool(const ImportProgress&)>;

class ImageImporter {
public:
    explicit ImageImporter(Database& db, ImportOptions options = {});

    // Throws InputError when `folder` is not a readable folder; StoreError on database failures
    // (the batch in flight is rolled back, earlier batches stay).
    ImportSummary importFolder(const std::string& folder, const ImportProgressCallback& progress = {});

    // The image files under `folder` that an import would consider, sorted.
    std::vector<std::string> scan(const std::string& folder) const;

private:
    bool wanted(const std::string& extension) const;

    Database& m_db;
    ImportOptions m_options;
};

}  // namespace sena::store
