#pragma once
// Small helpers for the SQL the stores build at run time. Only fixed SQL text from the stores goes
// into a statement; every user-supplied value is bound as a parameter.
#include "store/Statement.h"

#include <string>
#include <vector>

namespace sena::store {

// The current time as the stores write it (same format as the schema's column defaults).
constexpr const char* kSqlNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

// A piece of SQL with its positional ('?') parameters, in order.
struct SqlFragment {
    std::string sql;
    std::vector<SqlValue> args;
};

// Binds `args` to parameters first, first + 1, ...
void bindArgs(Statement& statement, const std::vector<SqlValue>& args, int first = 1);

// Escapes '%', '_' and '\' for a LIKE pattern written with ESCAPE '\'.
std::string escapeLike(const std::string& text);

// "ORDER BY k1 DIR, k2 DIR, tieBreak DIR": every key takes the direction; the tie-break (a unique
// column) makes paging stable when sort values repeat.
std::string orderByClause(const std::vector<std::string>& keys, bool descending, const std::string& tieBreak);

// Turns words a user typed into an FTS5 query that cannot be a syntax error: each word (a run of
// letters and digits) quoted, matched as a prefix, all words required; punctuation and FTS5
// operators are plain separators. Empty when the text has no words.
std::string ftsQueryFromWords(const std::string& text);

}  // namespace sena::store
