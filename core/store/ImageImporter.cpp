#include "store/ImageImporter.h"

#include "image/ImageProbe.h"
#include "store/Database.h"
#include "store/ImageStore.h"
#include "store/Transaction.h"
#include "util/Error.h"
#include "util/Sha256.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <unordered_map>

namespace sena::store {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

struct FileFacts {
    std::int64_t bytes = 0;
    std::int64_t mtimeNs = 0;
};

// POSIX stat: std::filesystem's file clock has no portable epoch in C++17, and the stored mtime
// should read as Unix time.
bool statFile(const std::string& path, FileFacts& facts, std::string& error) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        error = std::strerror(errno);
        return false;
    }
    facts.bytes = static_cast<std::int64_t>(st.st_size);
    facts.mtimeNs = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return true;
}

bool readFile(const std::string& path, std::vector<std::uint8_t>& bytes, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot open: " + std::string(std::strerror(errno));
        return false;
    }
    in.seekg(0, std::ios::end);
    std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size < 0) {
        error = "cannot determine its size";
        return false;
    }
    bytes.resize(static_cast<std::size_t>(size));
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
        error = "read error after " + std::to_string(in.gcount()) + " of " + std::to_string(size) + " bytes";
        return false;
    }
    return true;
}

bool isHidden(const fs::path& path) {
    std::string name = path.filename().string();
    return !name.empty() && name[0] == '.';
}

// After `rootId/rel` stopped holding `oldImageId`'s content: keep the image findable through
// another file with that content, or delete it when it was only ever here and no round uses it.
void retireReplacedImage(ImageStore& images, std::int64_t oldImageId, std::int64_t rootId, const std::string& rel) {
    auto old = images.get(oldImageId);
    if (!old || old->rootId != rootId || old->relativePath != rel)
        return;
    auto files = images.filesOf(oldImageId);
    if (!files.empty())
        images.relocate(oldImageId, files.front().first, files.front().second);
    else
        images.removeIfUnreferenced(oldImageId);
}

// What importing one file needs to know and updates.
struct ImportContext {
    ImageStore& images;
    std::int64_t rootId;
    const image::LoadOptions& load;
    std::unordered_map<std::string, KnownFile>& known;
    ImportSummary& summary;

    void fail(const std::string& path, const std::string& message) {
        ++summary.failed;
        summary.failures.push_back({path, message});
    }
};

// Stats, and when the file is new or changed, hashes, deduplicates, decodes and records one file.
void importFile(ImportContext& c, const std::string& path, const std::string& rel) {
    FileFacts facts;
    std::string error;
    std::vector<std::uint8_t> bytes;
    auto knownIt = c.known.find(rel);
    const KnownFile* previous = knownIt == c.known.end() ? nullptr : &knownIt->second;
    if (!statFile(path, facts, error)) {
        c.fail(path, "cannot read '" + path + "': " + error);
    } else if (previous && previous->bytes == facts.bytes && previous->mtimeNs == facts.mtimeNs) {
        ++c.summary.unchanged;
    } else if (!readFile(path, bytes, error)) {
        c.fail(path, "cannot read '" + path + "': " + error);
    } else {
        std::string sha = util::Sha256::hexOf(bytes);
        // Rowids start at 1, so 0 means "no image held this file's previous content".
        std::int64_t oldImage = previous && previous->imageId ? *previous->imageId : 0;
        auto existing = c.images.findBySha256(sha);
        KnownFile record{facts.bytes, facts.mtimeNs, std::nullopt};
        if (existing && oldImage == existing->id) {
            // Touched but not modified: remember the new stats so the next scan skips it.
            ++c.summary.unchanged;
            record.imageId = existing->id;
            if (existing->rootId == c.rootId && existing->relativePath == rel)
                c.images.updateFileStats(existing->id, facts.bytes, facts.mtimeNs);
        } else {
            if (previous)
                ++c.summary.changed;
            if (existing) {
                ++c.summary.duplicates;
                record.imageId = existing->id;
            } else {
                ImageRecord image;
                image.rootId = c.rootId;
                image.relativePath = rel;
                image.sha256 = sha;
                image.bytes = facts.bytes;
                image.mtimeNs = facts.mtimeNs;
                try {
                    image::RgbImage decoded = image::decodeImage(bytes, path, c.load);
                    image.width = decoded.width;
                    image.height = decoded.height;
                    image.format =
                        image::imageFormatName(image::probeImageHeader(bytes.data(), bytes.size(), path).format);
                    ++c.summary.imported;
                } catch (const std::exception& e) {
                    // FormatError for damaged files; bad_alloc for a file too large to decode.
                    image.importError = e.what();
                    c.fail(path, e.what());
                }
                record.imageId = c.images.insert(image);
            }
        }
        c.images.recordFile(c.rootId, rel, record);
        if (oldImage != 0 && oldImage != record.imageId)
            retireReplacedImage(c.images, oldImage, c.rootId, rel);
    }
}

}  // namespace

ImageImporter::ImageImporter(Database& db, ImportOptions options) : m_db(db), m_options(std::move(options)) {
    for (std::string& ext : m_options.extensions) {
        ext = lower(ext);
        if (!ext.empty() && ext[0] != '.')
            ext.insert(ext.begin(), '.');
    }
    if (m_options.batchSize == 0)
        m_options.batchSize = 1;
}

bool ImageImporter::wanted(const std::string& extension) const {
    std::string ext = lower(extension);
    return std::find(m_options.extensions.begin(), m_options.extensions.end(), ext) != m_options.extensions.end();
}

std::vector<std::string> ImageImporter::scan(const std::string& folder) const {
    std::error_code ec;
    fs::path root = fs::weakly_canonical(fs::absolute(folder), ec);
    if (ec || !fs::is_directory(root))
        throw InputError("'" + folder + "' is not a folder: choose the folder that holds the images");
    std::vector<fs::path> excluded;
    for (const std::string& dir : m_options.excludeFolders)
        excluded.push_back(fs::weakly_canonical(fs::absolute(dir), ec));

    std::vector<std::string> files;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec)
        throw InputError("cannot list '" + root.string() + "': " + ec.message());
    for (fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
        // Unreadable folders are skipped (skip_permission_denied); any other listing error would
        // silently drop the rest of the folder, so it stops the import instead.
        if (ec)
            throw InputError("cannot list the contents of '" + root.string() + "': " + ec.message());
        const fs::path& path = it->path();
        bool directory = it->is_directory(ec);
        if (isHidden(path) || (directory && std::find(excluded.begin(), excluded.end(), path) != excluded.end())) {
            if (directory)
                it.disable_recursion_pending();
            continue;
        }
        if (!directory && it->is_regular_file(ec) && wanted(path.extension().string()))
            files.push_back(path.string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

ImportSummary ImageImporter::importFolder(const std::string& folder, const ImportProgressCallback& progress) {
    std::vector<std::string> files = scan(folder);
    fs::path root = fs::weakly_canonical(fs::absolute(folder));
    ImportSummary summary;
    summary.found = files.size();

    ImageStore images(m_db);
    std::int64_t rootId;
    {
        Transaction tx(m_db);
        rootId = images.rootIdFor(root.string());
        tx.commit();
    }
    auto known = images.knownFiles(rootId);

    if (progress && !progress(ImportProgress{0, files.size(), {}, &summary})) {
        summary.cancelled = true;
        return summary;
    }
    ImportContext context{images, rootId, m_options.load, known, summary};
    std::unique_ptr<Transaction> batch;
    std::size_t inBatch = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string& path = files[i];
        std::string rel = fs::path(path).lexically_relative(root).generic_string();
        if (!batch)
            batch = std::make_unique<Transaction>(m_db);

        importFile(context, path, rel);

        if (++inBatch >= m_options.batchSize || i + 1 == files.size()) {
            batch->commit();
            batch.reset();
            inBatch = 0;
        }
        if (progress && !progress(ImportProgress{i + 1, files.size(), path, &summary})) {
            summary.cancelled = true;
            break;
        }
    }
    if (batch)
        batch->commit();
    if (!summary.cancelled) {
        std::set<std::string> listed;
        for (const std::string& path : files)
            listed.insert(fs::path(path).lexically_relative(root).generic_string());
        for (const auto& entry : known)
            summary.missing += listed.count(entry.first) == 0;
    }
    return summary;
}

}  // namespace sena::store
