#include "store/ImageStore.h"

#include "store/Database.h"
#include "store/SqlText.h"

#include <filesystem>

namespace sena::store {

namespace {

const char* const kImageColumns =
    "i.id, i.root_id, r.path, i.rel_path, i.sha256, i.width, i.height, i.format, i.bytes, i.mtime_ns, "
    "i.import_error, i.imported_at";

ImageRecord readImage(const Statement& s) {
    ImageRecord image;
    image.id = s.getInt64(0);
    image.rootId = s.getInt64(1);
    image.root = s.getText(2);
    image.relativePath = s.getText(3);
    image.sha256 = s.getOptText(4).value_or("");
    image.width = static_cast<int>(s.getOptInt64(5).value_or(0));
    image.height = static_cast<int>(s.getOptInt64(6).value_or(0));
    image.format = s.getOptText(7).value_or("");
    image.bytes = s.getInt64(8);
    image.mtimeNs = s.getInt64(9);
    image.importError = s.getOptText(10);
    image.importedAt = s.getText(11);
    return image;
}

std::vector<std::string> sortKeys(ImageSort sort) {
    switch (sort) {
        case ImageSort::Path:
            return {"r.path", "i.rel_path"};
        case ImageSort::ImportedAt:
            return {"i.imported_at"};
        case ImageSort::Bytes:
            return {"i.bytes"};
        case ImageSort::Width:
            return {"i.width"};
        case ImageSort::Height:
            return {"i.height"};
        case ImageSort::Format:
            return {"i.format"};
        case ImageSort::Id:
            break;
    }
    return {};
}

// FROM + WHERE for a filter; the round join is what scopes the list to a round.
SqlFragment imageWhere(const ImageFilter& filter) {
    SqlFragment f;
    f.sql = " FROM images i JOIN import_roots r ON r.id = i.root_id";
    if (filter.roundId) {
        f.sql += " JOIN round_images ri ON ri.image_id = i.id AND ri.round_id = ?";
        f.args.emplace_back(*filter.roundId);
    }
    std::vector<std::string> conditions;
    if (filter.status == ImageFilter::Status::Ok)
        conditions.emplace_back("i.import_error IS NULL");
    else if (filter.status == ImageFilter::Status::Failed)
        conditions.emplace_back("i.import_error IS NOT NULL");
    if (!filter.pathContains.empty()) {
        conditions.emplace_back("i.rel_path LIKE ? ESCAPE '\\'");
        f.args.emplace_back("%" + escapeLike(filter.pathContains) + "%");
    }
    for (std::size_t i = 0; i < conditions.size(); ++i)
        f.sql += (i == 0 ? " WHERE " : " AND ") + conditions[i];
    return f;
}

}  // namespace

std::string ImageRecord::absolutePath() const {
    return (std::filesystem::path(root) / relativePath).lexically_normal().string();
}

std::int64_t ImageStore::rootIdFor(const std::string& absoluteFolder) {
    {
        auto find = m_db.cached("SELECT id FROM import_roots WHERE path = ?");
        find->bind(1, absoluteFolder);
        if (find->step())
            return find->getInt64(0);
    }
    auto insert = m_db.cached("INSERT INTO import_roots(path) VALUES (?)");
    insert->bind(1, absoluteFolder).run();
    return m_db.lastInsertId();
}

std::optional<std::string> ImageStore::rootPath(std::int64_t rootId) {
    auto find = m_db.cached("SELECT path FROM import_roots WHERE id = ?");
    find->bind(1, rootId);
    if (!find->step())
        return std::nullopt;
    return find->getText(0);
}

void ImageStore::moveRoot(std::int64_t rootId, const std::string& newAbsoluteFolder) {
    auto update = m_db.cached("UPDATE import_roots SET path = ? WHERE id = ?");
    update->bindAll(newAbsoluteFolder, rootId).run();
    if (m_db.changes() == 0)
        throw StoreError(StoreError::Kind::General, "no import root with id " + std::to_string(rootId));
}

std::int64_t ImageStore::insert(const ImageRecord& image) {
    auto insert = m_db.cached(
        "INSERT INTO images(root_id, rel_path, sha256, width, height, format, bytes, mtime_ns, import_error) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto orNull = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
    auto dimension = [&](int v) { return image.ok() ? std::optional<int>(v) : std::nullopt; };
    insert->bindAll(image.rootId, image.relativePath, orNull(image.sha256), dimension(image.width),
                    dimension(image.height), orNull(image.format), image.bytes, image.mtimeNs, image.importError);
    insert->run();
    return m_db.lastInsertId();
}

void ImageStore::updateFileStats(std::int64_t imageId, std::int64_t bytes, std::int64_t mtimeNs) {
    auto update = m_db.cached("UPDATE images SET bytes = ?, mtime_ns = ? WHERE id = ?");
    update->bindAll(bytes, mtimeNs, imageId).run();
}

std::optional<ImageRecord> ImageStore::get(std::int64_t id) {
    auto s = m_db.cached(std::string("SELECT ") + kImageColumns +
                         " FROM images i JOIN import_roots r ON r.id = i.root_id WHERE i.id = ?");
    s->bind(1, id);
    if (!s->step())
        return std::nullopt;
    return readImage(*s);
}

std::optional<ImageRecord> ImageStore::findBySha256(const std::string& sha256) {
    auto s = m_db.cached(std::string("SELECT ") + kImageColumns +
                         " FROM images i JOIN import_roots r ON r.id = i.root_id WHERE i.sha256 = ?");
    s->bind(1, sha256);
    if (!s->step())
        return std::nullopt;
    return readImage(*s);
}

bool ImageStore::isReferenced(std::int64_t id) {
    auto s = m_db.cached(
        "SELECT EXISTS (SELECT 1 FROM round_images WHERE image_id = ?1) "
        "OR EXISTS (SELECT 1 FROM questions WHERE image_id = ?1) "
        "OR EXISTS (SELECT 1 FROM generations WHERE image_id = ?1) "
        "OR EXISTS (SELECT 1 FROM pairs WHERE image_id = ?1)");
    s->bind(1, id);
    s->step();
    return s->getBool(0);
}

bool ImageStore::removeIfUnreferenced(std::int64_t id) {
    if (isReferenced(id))
        return false;
    auto s = m_db.cached("DELETE FROM images WHERE id = ?");
    s->bind(1, id).run();
    return m_db.changes() > 0;
}

std::int64_t ImageStore::count(const ImageFilter& filter) {
    SqlFragment where = imageWhere(filter);
    Statement s = m_db.prepare("SELECT count(*)" + where.sql);
    bindArgs(s, where.args);
    s.step();
    return s.getInt64(0);
}

std::vector<ImageListRow> ImageStore::find(const ImageQuery& query) {
    SqlFragment where = imageWhere(query.filter);
    // Badge counts as correlated subqueries: only the rows of one page pay for them, each an
    // index lookup on pairs(image_id, round_id, curation) or questions(image_id, round_id).
    std::string scope = query.filter.roundId ? " AND round_id = ri.round_id" : "";
    std::string sql =
        std::string("SELECT ") + kImageColumns + ", (SELECT count(*) FROM questions WHERE image_id = i.id" + scope +
        ")" + ", (SELECT count(*) FROM pairs WHERE image_id = i.id" + scope + ")" +
        ", (SELECT count(*) FROM pairs WHERE image_id = i.id" + scope + " AND curation = 'accepted')" +
        ", (SELECT count(*) FROM pairs WHERE image_id = i.id" + scope + " AND curation = 'rejected')" + where.sql;
    sql += orderByClause(sortKeys(query.sort), query.descending, "i.id") + " LIMIT ? OFFSET ?";
    Statement s = m_db.prepare(sql);
    bindArgs(s, where.args);
    int next = static_cast<int>(where.args.size()) + 1;
    s.bind(next, query.limit).bind(next + 1, query.offset);
    std::vector<ImageListRow> rows;
    while (s.step()) {
        ImageListRow row;
        row.image = readImage(s);
        row.questions = s.getInt64(12);
        row.pairs = s.getInt64(13);
        row.accepted = s.getInt64(14);
        row.rejected = s.getInt64(15);
        rows.push_back(std::move(row));
    }
    return rows;
}

std::unordered_map<std::string, KnownFile> ImageStore::knownFiles(std::int64_t rootId) {
    std::unordered_map<std::string, KnownFile> files;
    Statement s = m_db.prepare("SELECT rel_path, bytes, mtime_ns, image_id FROM image_files WHERE root_id = ?");
    s.bind(1, rootId);
    while (s.step())
        files.emplace(s.getText(0), KnownFile{s.getInt64(1), s.getInt64(2), s.getOptInt64(3)});
    return files;
}

void ImageStore::recordFile(std::int64_t rootId, const std::string& relativePath, const KnownFile& file) {
    auto s = m_db.cached(
        "INSERT INTO image_files(root_id, rel_path, bytes, mtime_ns, image_id) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (root_id, rel_path) DO UPDATE SET bytes = excluded.bytes, mtime_ns = excluded.mtime_ns, "
        "image_id = excluded.image_id, seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    s->bindAll(rootId, relativePath, file.bytes, file.mtimeNs, file.imageId).run();
}

std::vector<std::pair<std::int64_t, std::string>> ImageStore::filesOf(std::int64_t imageId) {
    auto s = m_db.cached("SELECT root_id, rel_path FROM image_files WHERE image_id = ? ORDER BY id");
    s->bind(1, imageId);
    std::vector<std::pair<std::int64_t, std::string>> files;
    while (s->step())
        files.emplace_back(s->getInt64(0), s->getText(1));
    return files;
}

void ImageStore::relocate(std::int64_t imageId, std::int64_t rootId, const std::string& relativePath) {
    auto s = m_db.cached("UPDATE images SET root_id = ?, rel_path = ? WHERE id = ?");
    s->bindAll(rootId, relativePath, imageId).run();
}

}  // namespace sena::store
