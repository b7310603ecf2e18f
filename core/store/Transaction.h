#pragma once
// RAII transaction: BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless commit() ran.
// Nested inside an open transaction it becomes a SAVEPOINT, so a store method that needs to be
// atomic can be called alone or as part of a caller's larger batch.
namespace sena::store {

class Database;

class Transaction {
public:
    // IMMEDIATE takes the write lock at once (waiting up to the busy timeout), so two writers
    // queue up instead of one failing half-way when its read lock cannot be upgraded.
    enum class Mode { Immediate, Deferred };

    explicit Transaction(Database& db, Mode mode = Mode::Immediate);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();
    void rollback();
    bool isNested() const { return m_savepoint != 0; }

private:
    Database& m_db;
    int m_savepoint = 0;  // 0 for the outermost transaction
    bool m_open = true;
};

}  // namespace sena::store
