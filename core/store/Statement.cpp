#include "store/Statement.h"

#include "store/Database.h"

#include <sqlite3.h>

namespace sena::store {

namespace {
std::string shortSql(const std::string& sql) {
    return sql.size() > 120 ? sql.substr(0, 117) + "..." : sql;
}
}  // namespace

Statement::Statement(Database& db, std::string_view sql) : m_db(&db) {
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &m_stmt, &tail);
    if (rc != SQLITE_OK)
        db.fail(rc, "preparing '" + shortSql(std::string(sql)) + "'");
    if (!m_stmt)
        throw StoreError(StoreError::Kind::General, "'" + db.path() + "': empty SQL statement");
    // Trailing statements would be silently ignored; only whitespace and ';' may follow.
    for (const char* p = tail; p && p < sql.data() + sql.size(); ++p) {
        if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r' && *p != ';') {
            sqlite3_finalize(m_stmt);
            m_stmt = nullptr;
            throw StoreError(StoreError::Kind::General,
                             "more than one SQL statement in '" + shortSql(std::string(sql)) + "': use Database::exec");
        }
    }
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt) {
    other.m_stmt = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

void Statement::fail(int rc, const std::string& what) const {
    m_db->fail(rc, what + " '" + shortSql(sql()) + "'");
}

int Statement::parameterIndex(std::string_view name) const {
    std::string key(name);
    if (!key.empty() && key[0] != ':' && key[0] != '@' && key[0] != '$')
        key.insert(key.begin(), ':');
    int index = sqlite3_bind_parameter_index(m_stmt, key.c_str());
    if (index == 0)
        throw StoreError(StoreError::Kind::General, "no parameter '" + key + "' in '" + shortSql(sql()) + "'");
    return index;
}

Statement& Statement::bindNull(int index) {
    if (int rc = sqlite3_bind_null(m_stmt, index); rc != SQLITE_OK)
        fail(rc, "binding parameter " + std::to_string(index) + " of");
    return *this;
}

Statement& Statement::bindInt64(int index, std::int64_t value) {
    if (int rc = sqlite3_bind_int64(m_stmt, index, value); rc != SQLITE_OK)
        fail(rc, "binding parameter " + std::to_string(index) + " of");
    return *this;
}

Statement& Statement::bindDouble(int index, double value) {
    if (int rc = sqlite3_bind_double(m_stmt, index, value); rc != SQLITE_OK)
        fail(rc, "binding parameter " + std::to_string(index) + " of");
    return *this;
}

Statement& Statement::bindText(int index, std::string_view value) {
    int rc = sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK)
        fail(rc, "binding parameter " + std::to_string(index) + " of");
    return *this;
}

Statement& Statement::bindBlob(int index, const std::vector<std::uint8_t>& value) {
    int rc = sqlite3_bind_blob64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK)
        fail(rc, "binding parameter " + std::to_string(index) + " of");
    return *this;
}

Statement& Statement::bindValue(int index, const SqlValue& value) {
    if (std::holds_alternative<std::int64_t>(value))
        return bindInt64(index, std::get<std::int64_t>(value));
    if (std::holds_alternative<double>(value))
        return bindDouble(index, std::get<double>(value));
    if (std::holds_alternative<std::string>(value))
        return bindText(index, std::get<std::string>(value));
    return bindNull(index);
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    // Reset so the statement does not keep its (failed) transaction state; the message survives.
    std::string message = sqlite3_errmsg(m_db->handle());
    sqlite3_reset(m_stmt);
    throw StoreError(
        storeErrorKind(rc),
        "'" + m_db->path() + "': running '" + shortSql(sql()) + "' failed: " + message + "; " + storeErrorAdvice(rc),
        rc);
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(m_stmt);  // returns the last step's error, which step() has already thrown
    sqlite3_clear_bindings(m_stmt);
}

int Statement::columnCount() const {
    return sqlite3_column_count(m_stmt);
}

void Statement::checkColumn(int column) const {
    if (column < 0 || column >= sqlite3_data_count(m_stmt))
        throw StoreError(StoreError::Kind::General, "column " + std::to_string(column) + " out of range (no row, or " +
                                                        std::to_string(sqlite3_data_count(m_stmt)) + " columns) in '" +
                                                        shortSql(sql()) + "'");
}

bool Statement::isNull(int column) const {
    checkColumn(column);
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::getInt64(int column) const {
    checkColumn(column);
    return sqlite3_column_int64(m_stmt, column);
}

int Statement::getInt(int column) const {
    checkColumn(column);
    return sqlite3_column_int(m_stmt, column);
}

double Statement::getDouble(int column) const {
    checkColumn(column);
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::getText(int column) const {
    checkColumn(column);
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    int size = sqlite3_column_bytes(m_stmt, column);
    return text ? std::string(text, static_cast<std::size_t>(size)) : std::string();
}

std::vector<std::uint8_t> Statement::getBlob(int column) const {
    checkColumn(column);
    auto data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
    int size = sqlite3_column_bytes(m_stmt, column);
    return data ? std::vector<std::uint8_t>(data, data + size) : std::vector<std::uint8_t>();
}

std::optional<std::int64_t> Statement::getOptInt64(int column) const {
    if (isNull(column))
        return std::nullopt;
    return sqlite3_column_int64(m_stmt, column);
}

std::optional<double> Statement::getOptDouble(int column) const {
    if (isNull(column))
        return std::nullopt;
    return sqlite3_column_double(m_stmt, column);
}

std::optional<std::string> Statement::getOptText(int column) const {
    if (isNull(column))
        return std::nullopt;
    return getText(column);
}

std::string Statement::sql() const {
    const char* text = m_stmt ? sqlite3_sql(m_stmt) : nullptr;
    return text ? text : "";
}

}  // namespace sena::store
