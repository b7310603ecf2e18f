#pragma once
// A prepared SQLite statement: bind by index (1-based) or by name, step, read typed columns, reset.
// Move-only; finalizes itself. Every failure throws sena::StoreError naming the SQL and the file.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

struct sqlite3_stmt;

namespace sena::store {

class Database;

// A value for a dynamically built query (see PairQueryBuilder); NULL is std::monostate.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binds integers, bools (0/1), floating point, text (anything convertible to string_view),
    // nullptr (NULL) and std::optional of those (nullopt binds NULL).
    template <typename T>
    Statement& bind(int index, const T& value);
    template <typename T>
    Statement& bind(std::string_view name, const T& value) {
        return bind(parameterIndex(name), value);
    }
    // Binds the arguments to parameters 1, 2, ... in order.
    template <typename... Args>
    Statement& bindAll(const Args&... args) {
        int index = 1;
        (bind(index++, args), ...);
        return *this;
    }
    Statement& bindNull(int index);
    Statement& bindInt64(int index, std::int64_t value);
    Statement& bindDouble(int index, double value);
    Statement& bindText(int index, std::string_view value);
    Statement& bindBlob(int index, const std::vector<std::uint8_t>& value);
    Statement& bindValue(int index, const SqlValue& value);
    int parameterIndex(std::string_view name) const;  // throws when the SQL has no such parameter

    // Advances to the next row: true when a row is available, false when the statement is done.
    bool step();
    // Steps to completion, for statements that return no rows (INSERT, UPDATE, ...).
    void run();
    // Rewinds so the statement can run again and clears the bindings. Releases any read lock the
    // statement held, which a half-stepped SELECT otherwise keeps until it is reset.
    void reset();

    int columnCount() const;
    bool isNull(int column) const;
    std::int64_t getInt64(int column) const;
    int getInt(int column) const;
    bool getBool(int column) const { return getInt64(column) != 0; }
    double getDouble(int column) const;
    std::string getText(int column) const;
    std::vector<std::uint8_t> getBlob(int column) const;
    std::optional<std::int64_t> getOptInt64(int column) const;
    std::optional<double> getOptDouble(int column) const;
    std::optional<std::string> getOptText(int column) const;

    std::string sql() const;

private:
    template <typename>
    struct IsOptional : std::false_type {};
    template <typename U>
    struct IsOptional<std::optional<U>> : std::true_type {};
    template <typename>
    static constexpr bool kUnsupported = false;

    void checkColumn(int column) const;
    [[noreturn]] void fail(int rc, const std::string& what) const;

    Database* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

template <typename T>
Statement& Statement::bind(int index, const T& value) {
    if constexpr (std::is_same_v<T, std::nullptr_t> || std::is_same_v<T, std::nullopt_t>) {
        return bindNull(index);
    } else if constexpr (IsOptional<T>::value) {
        return value ? bind(index, *value) : bindNull(index);
    } else if constexpr (std::is_same_v<T, bool>) {
        return bindInt64(index, value ? 1 : 0);
    } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
        static_assert(!std::is_enum_v<T>, "bind enums through their toString()");
        return bindInt64(index, static_cast<std::int64_t>(value));
    } else if constexpr (std::is_floating_point_v<T>) {
        return bindDouble(index, static_cast<double>(value));
    } else if constexpr (std::is_same_v<T, SqlValue>) {
        return bindValue(index, value);
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        return bindText(index, std::string_view(value));
    } else {
        static_assert(kUnsupported<T>, "no SQLite binding for this type");
        return *this;
    }
}

}  // namespace sena::store
