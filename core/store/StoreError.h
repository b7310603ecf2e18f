#pragma once
// The error the workspace database throws: the SQLite message plus what the user can do about it.
#include "util/Error.h"

#include <string>

namespace sena {

class StoreError : public Error {
public:
    // What went wrong, coarsely, so a caller can react (the GUI offers "open another workspace"
    // for NotAWorkspace, "retry" for Locked) without parsing the message.
    enum class Kind {
        General,        // any other SQLite failure, including constraint violations (a caller's bug)
        NotFound,       // the workspace folder or its database file does not exist
        NotAWorkspace,  // not SQLite at all, or SQLite without the SENA application id
        NewerSchema,    // made by a newer SENA Workbench
        Corrupt,        // malformed or truncated file
        Locked,         // another connection holds the lock longer than the busy timeout
        ReadOnly,       // no write permission, or opened read-only
        DiskFull,
        Io,
    };

    StoreError(Kind kind, const std::string& message, int sqliteCode = 0)
        : Error(message), m_kind(kind), m_sqliteCode(sqliteCode) {}

    Kind kind() const { return m_kind; }
    // The extended SQLite result code, 0 when the error did not come from SQLite.
    int sqliteCode() const { return m_sqliteCode; }

private:
    Kind m_kind;
    int m_sqliteCode;
};

}  // namespace sena
