#include "store/Transaction.h"

#include "store/Database.h"

#include <atomic>
#include <string>

namespace sena::store {

namespace {
// Savepoint names only have to be unique among the savepoints open on one connection at once.
std::atomic<int> g_nextSavepoint{1};
}  // namespace

Transaction::Transaction(Database& db, Mode mode) : m_db(db) {
    if (db.inTransaction()) {
        m_savepoint = g_nextSavepoint++;
        db.exec("SAVEPOINT sena_sp_" + std::to_string(m_savepoint));
    } else {
        db.exec(mode == Mode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    }
}

Transaction::~Transaction() {
    if (!m_open)
        return;
    try {
        rollback();
    } catch (...) {
        // A destructor must not throw; SQLite rolls back by itself when the connection closes.
    }
}

void Transaction::commit() {
    if (!m_open)
        return;
    if (m_savepoint)
        m_db.exec("RELEASE sena_sp_" + std::to_string(m_savepoint));
    else
        m_db.exec("COMMIT");
    m_open = false;
}

void Transaction::rollback() {
    if (!m_open)
        return;
    m_open = false;
    if (m_savepoint) {
        std::string name = "sena_sp_" + std::to_string(m_savepoint);
        m_db.exec("ROLLBACK TO " + name + "; RELEASE " + name);
    } else if (m_db.inTransaction()) {
        // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL).
        m_db.exec("ROLLBACK");
    }
}

}  // namespace sena::store
