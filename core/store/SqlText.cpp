#include "store/SqlText.h"

#include <cctype>

namespace sena::store {

void bindArgs(Statement& statement, const std::vector<SqlValue>& args, int first) {
    for (std::size_t i = 0; i < args.size(); ++i)
        statement.bindValue(first + static_cast<int>(i), args[i]);
}

std::string escapeLike(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

std::string orderByClause(const std::vector<std::string>& keys, bool descending, const std::string& tieBreak) {
    const char* direction = descending ? " DESC" : " ASC";
    std::string clause = " ORDER BY ";
    for (const std::string& key : keys)
        clause += key + direction + ", ";
    return clause + tieBreak + direction;
}

std::string ftsQueryFromWords(const std::string& text) {
    std::string query;
    std::string word;
    auto flush = [&] {
        if (word.empty())
            return;
        query += (query.empty() ? "\"" : " \"") + word + "\"*";
        word.clear();
    };
    // Split where FTS5's unicode61 tokenizer splits ASCII (anything but letters and digits), so no
    // quoted word is left without a token; bytes of non-ASCII characters stay inside words.
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80 && !std::isalnum(byte))
            flush();
        else
            word += c;
    }
    flush();
    return query;
}

}  // namespace sena::store
