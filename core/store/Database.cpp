#include "store/Database.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>

namespace sena::store {

namespace fs = std::filesystem;

StoreError::Kind storeErrorKind(int sqliteCode) {
    switch (sqliteCode & 0xff) {
        case SQLITE_NOTADB:
            return StoreError::Kind::NotAWorkspace;
        case SQLITE_CORRUPT:
            return StoreError::Kind::Corrupt;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return StoreError::Kind::Locked;
        case SQLITE_READONLY:
        case SQLITE_PERM:
            return StoreError::Kind::ReadOnly;
        case SQLITE_FULL:
            return StoreError::Kind::DiskFull;
        case SQLITE_IOERR:
            return StoreError::Kind::Io;
        case SQLITE_CANTOPEN:
            return StoreError::Kind::NotFound;
        default:
            return StoreError::Kind::General;
    }
}

std::string storeErrorAdvice(int sqliteCode) {
    switch (sqliteCode & 0xff) {
        case SQLITE_NOTADB:
            return "the file is not a SQLite database, so it is not a SENA workspace: choose the workspace folder "
                   "(the one holding workspace.sqlite)";
        case SQLITE_CORRUPT:
            return "the file is corrupt: restore workspace.sqlite from a backup";
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "the database is locked by another process (another SENA Workbench window or a `sena` command "
                   "on this workspace): wait for it to finish or close it, then retry";
        case SQLITE_READONLY:
        case SQLITE_PERM:
            return "the database cannot be written: check the permissions of the file and its folder, or open it "
                   "read-write";
        case SQLITE_FULL:
            return "the disk is full: free some space and retry";
        case SQLITE_IOERR:
            return "a disk I/O error occurred: check the disk (and that a network folder is still mounted), then retry";
        case SQLITE_CANTOPEN:
            return "the file cannot be opened: check that it exists and that its folder is readable and writable";
        case SQLITE_CONSTRAINT:
            return "a record broke a database constraint (a duplicate or a reference to a missing record)";
        case SQLITE_NOMEM:
            return "SQLite ran out of memory";
        default:
            return "this is unexpected: please report it with the message above";
    }
}

// ---------------------------------------------------------------------------------------------
// CachedStatement

CachedStatement::CachedStatement(CachedStatement&& other) noexcept
    : m_own(std::move(other.m_own)), m_stmt(other.m_stmt), m_inUse(other.m_inUse) {
    other.m_stmt = nullptr;
    other.m_inUse = nullptr;
}

CachedStatement::~CachedStatement() {
    if (m_stmt && m_inUse) {
        try {
            m_stmt->reset();
        } catch (...) {
            // reset() reports the error of the last step, which the caller has already seen.
        }
        *m_inUse = false;
    }
}

// ---------------------------------------------------------------------------------------------
// Database

Database::Database(const std::string& path, const DatabaseOptions& options) : m_path(path), m_options(options) {
    if (!options.create && !fs::exists(path))
        throw StoreError(StoreError::Kind::NotFound, "'" + path + "' does not exist");
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (options.readOnly)
        flags |= SQLITE_OPEN_READONLY;
    else
        flags |= SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw StoreError(storeErrorKind(rc), "cannot open '" + path + "': " + message + "; " + storeErrorAdvice(rc),
                         rc);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, options.busyTimeoutMs);
    try {
        // Connection settings only: they do not write to the file. The larger page cache (32 MiB,
        // used only as needed) keeps a 100k-pair workspace's hot indexes in memory between pages.
        exec("PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY");
    } catch (...) {
        sqlite3_close_v2(m_db);  // the destructor does not run for a constructor that throws
        throw;
    }
}

Database::~Database() {
    m_cache.clear();  // statements must be finalized before the connection closes
    sqlite3_close_v2(m_db);
}

void Database::checkFileLooksLikeSqlite(const std::string& path) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec || size == 0)
        return;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw StoreError(StoreError::Kind::ReadOnly, "cannot read '" + path + "': check its permissions");
    std::array<unsigned char, 100> header{};
    in.read(reinterpret_cast<char*>(header.data()), header.size());
    std::size_t got = static_cast<std::size_t>(in.gcount());
    static const char kMagic[] = "SQLite format 3";  // followed by a NUL: 16 bytes
    bool magicOk = got >= 16 && std::equal(kMagic, kMagic + 16, header.begin());
    if (!magicOk) {
        bool partialMagic = got < 16 && std::equal(header.begin(), header.begin() + got, kMagic);
        if (partialMagic)
            throw StoreError(StoreError::Kind::Corrupt, "'" + path + "' is a truncated SQLite file (" +
                                                            std::to_string(size) +
                                                            " bytes): restore workspace.sqlite from a backup");
        throw StoreError(StoreError::Kind::NotAWorkspace,
                         "'" + path +
                             "' is not a SQLite database, so it is not a SENA workspace: choose the "
                             "workspace folder (the one holding workspace.sqlite)");
    }
    if (got < header.size())
        throw StoreError(StoreError::Kind::Corrupt, "'" + path + "' is a truncated SQLite file (" +
                                                        std::to_string(size) +
                                                        " bytes): restore workspace.sqlite from a backup");
    auto be16 = [&](int at) { return (std::uint32_t(header[at]) << 8) | header[at + 1]; };
    auto be32 = [&](int at) { return (be16(at) << 16) | be16(at + 2); };
    std::uint64_t pageSize = be16(16) == 1 ? 65536 : be16(16);
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        throw StoreError(StoreError::Kind::Corrupt, "'" + path + "' has a damaged SQLite header (page size " +
                                                        std::to_string(pageSize) +
                                                        "): the file is corrupt: restore it from a backup");
    // A pending WAL or rollback journal may legitimately finish a half-written checkpoint, so the
    // size check is left to SQLite's recovery then.
    for (const char* suffix : {"-wal", "-journal"}) {
        auto journalSize = fs::file_size(path + suffix, ec);
        if (!ec && journalSize > 0)
            return;
    }
    // The page count in the header is only valid when the change counter matches
    // "version-valid-for" (file format documentation, offsets 24, 28 and 92).
    std::uint64_t pages = be32(28);
    bool countValid = pages != 0 && be32(24) == be32(92);
    if (size % pageSize != 0 || (countValid && size < pages * pageSize)) {
        std::string expected =
            countValid ? std::to_string(pages * pageSize) : "a multiple of " + std::to_string(pageSize);
        throw StoreError(StoreError::Kind::Corrupt,
                         "'" + path + "' is truncated (" + std::to_string(size) + " bytes, its header promises " +
                             expected + "): the file is corrupt: restore workspace.sqlite from a backup");
    }
}

void Database::fail(int rc, const std::string& what) const {
    std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
    throw StoreError(storeErrorKind(rc),
                     "'" + m_path + "': " + what + " failed: " + message + "; " + storeErrorAdvice(rc), rc);
}

void Database::exec(std::string_view sql) {
    std::string text(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        sqlite3_free(error);  // the same text is still available through sqlite3_errmsg
        std::string shown = text.size() > 120 ? text.substr(0, 117) + "..." : text;
        fail(rc, "running '" + shown + "'");
    }
}

Statement Database::prepare(std::string_view sql) {
    return Statement(*this, sql);
}

CachedStatement Database::cached(const std::string& sql) {
    auto& entry = m_cache[sql];
    if (!entry.statement)
        entry.statement = std::make_unique<Statement>(*this, sql);
    if (entry.inUse)
        return CachedStatement(std::make_unique<Statement>(*this, sql));
    entry.inUse = true;
    return CachedStatement(entry.statement.get(), &entry.inUse);
}

std::int64_t Database::queryInt64(std::string_view sql, std::int64_t fallback) {
    Statement stmt(*this, sql);
    if (!stmt.step() || stmt.isNull(0))
        return fallback;
    return stmt.getInt64(0);
}

std::string Database::queryText(std::string_view sql, const std::string& fallback) {
    Statement stmt(*this, sql);
    if (!stmt.step() || stmt.isNull(0))
        return fallback;
    return stmt.getText(0);
}

void Database::enableWal() {
    std::string mode = queryText("PRAGMA journal_mode = WAL");
    if (mode != "wal")
        throw StoreError(StoreError::Kind::General,
                         "'" + m_path + "': cannot switch to write-ahead logging (journal mode stays '" + mode +
                             "'); a workspace must live on a local disk, not a network share");
    exec("PRAGMA synchronous = NORMAL");
}

std::string Database::journalMode() {
    return queryText("PRAGMA journal_mode");
}

void Database::checkpoint() {
    int rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    if (rc != SQLITE_OK)
        fail(rc, "checkpointing the write-ahead log");
}

std::vector<std::string> Database::integrityProblems(int maxProblems) {
    std::vector<std::string> problems;
    try {
        Statement stmt(*this, "PRAGMA quick_check(" + std::to_string(maxProblems) + ")");
        while (stmt.step()) {
            std::string line = stmt.getText(0);
            if (line != "ok")
                problems.push_back(line);
        }
    } catch (const StoreError& e) {
        // A file damaged badly enough makes quick_check itself fail; that is a finding too.
        problems.push_back(e.what());
    }
    return problems;
}

void Database::setBusyTimeout(int milliseconds) {
    m_options.busyTimeoutMs = milliseconds;
    sqlite3_busy_timeout(m_db, milliseconds);
}

std::int64_t Database::lastInsertId() const {
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const {
    return sqlite3_changes(m_db);
}

bool Database::inTransaction() const {
    return sqlite3_get_autocommit(m_db) == 0;
}

}  // namespace sena::store
