#include "store/Workspace.h"

#include "store/Schema.h"

#include <algorithm>
#include <filesystem>

namespace sena::store {

namespace fs = std::filesystem;

namespace {

const char* const kSubfolders[] = {"checkpoints", "exports", "thumbnails"};

void makeSubfolders(const fs::path& folder) {
    for (const char* name : kSubfolders) {
        std::error_code ec;
        fs::create_directories(folder / name, ec);
        if (ec)
            throw StoreError(StoreError::Kind::ReadOnly, "cannot create '" + (folder / name).string() +
                                                             "': " + ec.message() + "; check the folder's permissions");
    }
}

}  // namespace

Workspace::Workspace(std::string folder, std::unique_ptr<Database> db)
    : m_folder(std::move(folder)), m_db(std::move(db)) {}
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;

Workspace::~Workspace() {
    if (!m_db || m_db->isReadOnly())
        return;
    try {
        refreshStatistics();
    } catch (...) {
        // Closing must not throw; stale statistics only cost query speed.
    }
}

bool Workspace::exists(const std::string& folder) {
    return fs::is_regular_file(fs::path(folder) / kDatabaseFile);
}

Workspace Workspace::create(const std::string& folder, const WorkspaceOptions& options) {
    if (options.readOnly)
        throw StoreError(StoreError::Kind::ReadOnly, "cannot create a workspace read-only ('" + folder + "')");
    fs::path dir = fs::absolute(folder).lexically_normal();
    fs::path dbPath = dir / kDatabaseFile;
    if (fs::exists(dbPath))
        throw StoreError(
            StoreError::Kind::General,
            "'" + dir.string() + "' already holds a workspace: open it instead, or choose an empty folder");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw StoreError(StoreError::Kind::ReadOnly,
                         "cannot create the folder '" + dir.string() + "': " + ec.message());
    DatabaseOptions dbOptions;
    dbOptions.create = true;
    dbOptions.busyTimeoutMs = options.busyTimeoutMs;
    auto db = std::make_unique<Database>(dbPath.string(), dbOptions);
    db->enableWal();
    migrateSchema(*db);
    makeSubfolders(dir);
    return Workspace(dir.string(), std::move(db));
}

Workspace Workspace::open(const std::string& folder, const WorkspaceOptions& options) {
    fs::path dir = fs::absolute(folder).lexically_normal();
    fs::path dbPath = dir / kDatabaseFile;
    if (!fs::is_directory(dir))
        throw StoreError(StoreError::Kind::NotFound, "the workspace folder '" + dir.string() + "' does not exist");
    if (!fs::exists(dbPath))
        throw StoreError(StoreError::Kind::NotFound, "'" + dir.string() + "' is not a SENA workspace (it has no " +
                                                         kDatabaseFile +
                                                         "): choose a workspace folder or create a new workspace");
    // Nothing may write to the file until it is known to be a workspace this build can handle.
    Database::checkFileLooksLikeSqlite(dbPath.string());
    DatabaseOptions dbOptions;
    dbOptions.readOnly = options.readOnly;
    dbOptions.busyTimeoutMs = options.busyTimeoutMs;
    auto db = std::make_unique<Database>(dbPath.string(), dbOptions);
    SchemaInfo info = readSchemaInfo(*db);
    checkSchemaCompatible(info, dbPath.string(), false);
    if (options.readOnly) {
        if (info.version < kSchemaVersion)
            throw StoreError(StoreError::Kind::ReadOnly,
                             "'" + dbPath.string() + "' uses schema " + std::to_string(info.version) +
                                 " and must be upgraded to " + std::to_string(kSchemaVersion) +
                                 ": open it once read-write");
    } else {
        if (db->journalMode() != "wal")
            db->enableWal();
        else
            db->exec("PRAGMA synchronous = NORMAL");
        migrateSchema(*db);
        makeSubfolders(dir);
    }
    Workspace workspace(dir.string(), std::move(db));
    if (!options.readOnly) {
        try {
            workspace.refreshStatistics();
        } catch (const StoreError&) {
            // Statistics only speed up queries; a busy writer must not stop the workspace opening.
        }
    }
    return workspace;
}

std::string Workspace::databasePath() const {
    return (fs::path(m_folder) / kDatabaseFile).string();
}

std::string Workspace::checkpointsFolder() const {
    return (fs::path(m_folder) / "checkpoints").string();
}

std::string Workspace::exportsFolder() const {
    return (fs::path(m_folder) / "exports").string();
}

std::string Workspace::thumbnailsFolder() const {
    return (fs::path(m_folder) / "thumbnails").string();
}

int Workspace::schemaVersion() {
    return static_cast<int>(m_db->queryInt64("PRAGMA user_version"));
}

ImportSummary Workspace::importImages(const std::string& imageFolder, const ImportProgressCallback& progress,
                                      ImportOptions options) {
    // The folders the workbench writes images into; images a user keeps elsewhere in the
    // workspace folder are fair game.
    for (const std::string& own : {checkpointsFolder(), exportsFolder(), thumbnailsFolder()})
        options.excludeFolders.push_back(own);
    ImageImporter importer(*m_db, std::move(options));
    return importer.importFolder(imageFolder, progress);
}

bool Workspace::refreshStatistics(bool force) {
    if (m_db->isReadOnly())
        return false;
    // Below this size any plan is fast; statistics would only churn.
    constexpr std::int64_t kMinimumRows = 1000;
    std::int64_t rows = m_db->queryInt64("SELECT count(*) FROM pairs");
    // sqlite_stat1 exists only after a first ANALYZE; its first number is the table's row count.
    bool haveStats = m_db->queryInt64("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'") > 0;
    std::int64_t analysed =
        haveStats ? m_db->queryInt64("SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 WHERE tbl = 'pairs' LIMIT 1") : 0;
    bool stale = rows >= kMinimumRows && (analysed == 0 || rows > 2 * analysed || 2 * rows < analysed);
    if (!force && !stale)
        return false;
    // A full ANALYZE (about half a second per 100,000 pairs). A bounded one (analysis_limit)
    // caps every per-value row count near the limit, so the planner believes a round holds a
    // thousand pairs instead of thirty thousand and picks the plans this is meant to avoid.
    // It needs the write lock: wait briefly rather than the full busy timeout, since it can
    // simply run next time.
    int patience = m_db->busyTimeout();
    m_db->setBusyTimeout(std::min(patience, 200));
    try {
        m_db->exec("ANALYZE");
    } catch (...) {
        m_db->setBusyTimeout(patience);
        throw;
    }
    m_db->setBusyTimeout(patience);
    return true;
}

std::vector<std::string> Workspace::checkIntegrity() {
    return m_db->integrityProblems();
}

std::optional<std::string> Workspace::setting(const std::string& key) {
    auto stmt = m_db->prepare("SELECT value FROM settings WHERE key = ?");
    stmt.bindAll(key);
    if (!stmt.step())
        return std::nullopt;
    return stmt.getText(0);
}

void Workspace::setSetting(const std::string& key, const std::string& value) {
    auto stmt = m_db->prepare("INSERT INTO settings(key, value) VALUES (?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    stmt.bindAll(key, value);
    stmt.run();
}

}  // namespace sena::store
