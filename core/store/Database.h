#pragma once
// One RAII connection to a SQLite database file, as the workspace uses it: foreign keys on, a busy
// timeout so a reader and a writer in different threads or processes wait for each other instead
// of failing, WAL on request, and errors turned into sena::StoreError with advice.
//
// A connection must be used by one thread at a time: give each thread (GUI, worker) its own.
#include "store/Statement.h"
#include "store/StoreError.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;

namespace sena::store {

struct DatabaseOptions {
    bool create = false;    // create the file when it does not exist (else NotFound)
    bool readOnly = false;  // open read-only: every write fails with Kind::ReadOnly
    int busyTimeoutMs = 5000;
};

class Database;

// A statement borrowed from the connection's cache; reset (bindings cleared, read lock released)
// when the lease ends, so a cached SELECT never pins an old snapshot.
class CachedStatement {
public:
    CachedStatement(CachedStatement&& other) noexcept;
    CachedStatement& operator=(CachedStatement&&) = delete;
    CachedStatement(const CachedStatement&) = delete;
    CachedStatement& operator=(const CachedStatement&) = delete;
    ~CachedStatement();

    Statement& operator*() { return *m_stmt; }
    Statement* operator->() { return m_stmt; }

private:
    friend class Database;
    CachedStatement(Statement* cached, bool* inUse) : m_stmt(cached), m_inUse(inUse) {}
    explicit CachedStatement(std::unique_ptr<Statement> own) : m_own(std::move(own)), m_stmt(m_own.get()) {}

    std::unique_ptr<Statement> m_own;  // set when the cached copy was busy (a nested use)
    Statement* m_stmt = nullptr;
    bool* m_inUse = nullptr;
};

class Database {
public:
    // Opens (or with options.create, creates) `path`. Opening reads nothing yet; call
    // checkFileLooksLikeSqlite() first to refuse other files without SQLite touching them.
    explicit Database(const std::string& path, const DatabaseOptions& options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Reads the 100-byte header of an existing, non-empty file and throws StoreError when it is
    // not a SQLite database (Kind::NotAWorkspace) or is shorter than its header says
    // (Kind::Corrupt: truncated). Never writes. A missing or empty file passes.
    static void checkFileLooksLikeSqlite(const std::string& path);

    // Runs one or more SQL statements that return no rows.
    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    // A prepared statement kept for the life of the connection; for SQL that runs many times.
    CachedStatement cached(const std::string& sql);
    // The first column of the first row of a query, or `fallback` when there is no row or NULL.
    std::int64_t queryInt64(std::string_view sql, std::int64_t fallback = 0);
    std::string queryText(std::string_view sql, const std::string& fallback = {});

    // Switches to write-ahead logging (persistent in the file) and synchronous=NORMAL, which in
    // WAL mode cannot corrupt the database and only risks the last commits on power loss.
    void enableWal();
    std::string journalMode();
    // Copies the WAL into the database file and truncates the WAL.
    void checkpoint();
    // PRAGMA quick_check: an empty list when the file is sound, else SQLite's findings.
    std::vector<std::string> integrityProblems(int maxProblems = 20);

    // How long a statement waits for another connection's lock before failing with Kind::Locked.
    void setBusyTimeout(int milliseconds);
    int busyTimeout() const { return m_options.busyTimeoutMs; }

    std::int64_t lastInsertId() const;
    int changes() const;
    bool inTransaction() const;
    bool isReadOnly() const { return m_options.readOnly; }
    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }

    // Throws the StoreError for SQLite result code `rc` while doing `what` (e.g. "running
    // 'SELECT ...'"): the file, SQLite's own message and what the user can do.
    [[noreturn]] void fail(int rc, const std::string& what) const;

private:
    struct CacheEntry {
        std::unique_ptr<Statement> statement;
        bool inUse = false;
    };

    std::string m_path;
    DatabaseOptions m_options;
    sqlite3* m_db = nullptr;
    std::unordered_map<std::string, CacheEntry> m_cache;
};

// The StoreError kind and the advice for an SQLite result code.
StoreError::Kind storeErrorKind(int sqliteCode);
std::string storeErrorAdvice(int sqliteCode);

}  // namespace sena::store
