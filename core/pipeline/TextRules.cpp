#include "pipeline/TextRules.h"

#include <algorithm>
#include <cctype>

namespace sena::pipeline {

std::string trim(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
        ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
        --e;
    return s.substr(b, e - b);
}

std::string toLower(const std::string& s) {
    std::string out = s;
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

namespace {
bool startsWithNoCase(const std::string& s, const std::string& prefix) {
    return s.size() >= prefix.size() && toLower(s.substr(0, prefix.size())) == toLower(prefix);
}

std::string stripQuotes(std::string s) {
    s = trim(s);
    while (s.size() >= 2 && ((s.front() == '"' && s.back() == '"') || (s.front() == '\'' && s.back() == '\'')))
        s = trim(s.substr(1, s.size() - 2));
    if (!s.empty() && (s.front() == '"' || s.front() == '\''))
        s = trim(s.substr(1));
    return s;
}
}  // namespace

std::vector<std::string> parseQuestions(const std::string& reply, const std::string& prefix) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&](bool isQuestion) {
        std::string q = trim(current);
        current.clear();
        if (!isQuestion)
            return;
        // The prefix may appear more than once ("QUESTION: QUESTION: …"); strip each.
        while (!prefix.empty() && startsWithNoCase(q, prefix))
            q = trim(q.substr(prefix.size()));
        q = stripQuotes(q);
        if (q.size() > 1 && std::find(out.begin(), out.end(), q) == out.end())
            out.push_back(q);
    };
    for (char ch : reply) {
        if (ch == '\n') {
            flush(false);  // a line break ends a non-question sentence
            continue;
        }
        current.push_back(ch);
        if (ch == '?')
            flush(true);
        else if (ch == '.' || ch == '!')
            flush(false);
    }
    return out;
}

std::string parseImprovedAnswer(const std::string& reply, const std::string& prefix) {
    std::string r = trim(reply);
    if (!startsWithNoCase(r, prefix))
        return {};
    r = stripQuotes(r.substr(prefix.size()));
    // Only the first line: the model sometimes continues with an explanation.
    const size_t nl = r.find('\n');
    return trim(nl == std::string::npos ? r : r.substr(0, nl));
}

bool isYesNo(const std::string& s) {
    std::string t;
    for (char c : toLower(trim(s)))
        if (std::isalpha(static_cast<unsigned char>(c)))
            t.push_back(c);
    return t == "yes" || t == "no";
}

}  // namespace sena::pipeline
