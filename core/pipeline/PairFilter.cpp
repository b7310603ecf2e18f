#include "pipeline/PairFilter.h"

#include "pipeline/TextRules.h"
#include "util/Error.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace sena::pipeline {

const char* filterName(FilterKind kind) {
    switch (kind) {
    case FilterKind::QuestionHasName: return "name";
    case FilterKind::Repetition: return "repetition";
    case FilterKind::NonAlphanumeric: return "non_alnum";
    case FilterKind::Identical: return "identical";
    case FilterKind::YesNo: return "yes_no";
    case FilterKind::RejectedInChosen: return "rejected_in_chosen";
    }
    return "?";
}

std::vector<FilterKind> allFilters() {
    return {FilterKind::QuestionHasName, FilterKind::Repetition, FilterKind::NonAlphanumeric,
            FilterKind::Identical,       FilterKind::YesNo,      FilterKind::RejectedInChosen};
}

FilterSettings FilterSettings::parse(const std::string& list) {
    FilterSettings s;
    const std::string l = trim(list);
    if (l.empty() || l == "all")
        return s;
    s.enabled.clear();
    if (l == "none")
        return s;
    std::stringstream in(l);
    std::string name;
    while (std::getline(in, name, ',')) {
        name = trim(name);
        bool found = false;
        for (auto k : allFilters())
            if (name == filterName(k)) {
                if (!s.isEnabled(k))
                    s.enabled.push_back(k);
                found = true;
            }
        if (!found) {
            std::string known;
            for (auto k : allFilters())
                known += std::string(known.empty() ? "" : ", ") + filterName(k);
            throw ConfigError("unknown filter '" + name + "' (known: " + known + ", or all / none)");
        }
    }
    return s;
}

bool FilterSettings::isEnabled(FilterKind kind) const {
    return std::find(enabled.begin(), enabled.end(), kind) != enabled.end();
}

std::string FilterSettings::toString() const {
    if (enabled.empty())
        return "none";
    std::string out;
    for (auto k : enabled)
        out += std::string(out.empty() ? "" : ",") + filterName(k);
    return out;
}

util::Json FilterResult::toJson() const {
    util::Json j = util::Json::object();
    for (const auto& v : verdicts) {
        util::Json e = {{"fired", v.fired}};
        if (v.fired)
            e["reason"] = v.reason;
        j[filterName(v.kind)] = e;
    }
    return j;
}

namespace {

std::string quote(const std::string& s) {
    return "\"" + (s.size() > 60 ? s.substr(0, 57) + "..." : s) + "\"";
}

// A sentence that occurs twice, or a whitespace token that occurs more than `maxRepeats` times.
std::string repetitionIn(const std::string& text, int maxRepeats) {
    std::map<std::string, int> sentences, tokens;
    std::string current;
    auto endSentence = [&] {
        const std::string s = toLower(trim(current));
        current.clear();
        if (s.size() > 3 && ++sentences[s] == 2)
            return "the sentence " + quote(s) + " repeats";
        return std::string();
    };
    for (char c : text) {
        current.push_back(c);
        if (c == '.' || c == '!' || c == '?' || c == '\n') {
            const std::string r = endSentence();
            if (!r.empty())
                return r;
        }
    }
    const std::string r = endSentence();
    if (!r.empty())
        return r;
    std::stringstream in(toLower(text));
    std::string tok;
    while (in >> tok)
        if (++tokens[tok] > maxRepeats)
            return "the token " + quote(tok) + " occurs more than " + std::to_string(maxRepeats) + " times";
    return {};
}

double nonAlnumShare(const std::string& text) {
    if (text.empty())
        return 1.0;
    size_t other = 0, total = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if ((c & 0xC0) == 0x80)
            continue;  // UTF-8 continuation byte: counted with its lead byte
        ++total;
        // Non-ASCII letters (lead bytes ≥ 0xC0) count as alphanumeric: CJK answers are legitimate.
        if (!(std::isalnum(c) || c >= 0xC0))
            ++other;
    }
    return total ? static_cast<double>(other) / static_cast<double>(total) : 1.0;
}

}  // namespace

FilterResult applyFilters(const FilterSettings& settings, const std::string& question, const std::string& chosen,
                          const std::string& rejected) {
    FilterResult result;
    for (auto kind : settings.enabled) {
        FilterVerdict v{kind, false, {}};
        switch (kind) {
        case FilterKind::QuestionHasName:
            if (toLower(question).find("name") != std::string::npos) {
                v.fired = true;
                v.reason = "the question " + quote(question) + " asks for a name";
            }
            break;
        case FilterKind::Repetition:
            for (const auto* answer : {&chosen, &rejected}) {
                const std::string r = repetitionIn(*answer, settings.maxTokenRepeats);
                if (!r.empty()) {
                    v.fired = true;
                    v.reason = (answer == &chosen ? "chosen: " : "rejected: ") + r;
                    break;
                }
            }
            break;
        case FilterKind::NonAlphanumeric:
            for (const auto* answer : {&chosen, &rejected}) {
                const double share = nonAlnumShare(trim(*answer));
                if (share > settings.maxNonAlnumShare) {
                    v.fired = true;
                    v.reason = std::string(answer == &chosen ? "chosen" : "rejected") +
                               (trim(*answer).empty() ? " is empty"
                                                      : " is " + std::to_string(static_cast<int>(share * 100)) +
                                                            "% non-alphanumeric");
                    break;
                }
            }
            break;
        case FilterKind::Identical:
            if (trim(chosen) == trim(rejected)) {
                v.fired = true;
                v.reason = "chosen and rejected are both " + quote(trim(chosen));
            }
            break;
        case FilterKind::YesNo:
            for (const auto* answer : {&chosen, &rejected}) {
                const std::string t = toLower(trim(*answer));
                if (t == "yes" || t == "no" || t == "yes." || t == "no.") {
                    v.fired = true;
                    v.reason = std::string(answer == &chosen ? "chosen" : "rejected") + " is just " + quote(trim(*answer));
                    break;
                }
            }
            break;
        case FilterKind::RejectedInChosen: {
            const std::string r = toLower(trim(rejected)), c = toLower(trim(chosen));
            if (!r.empty() && c.find(r) != std::string::npos) {
                v.fired = true;
                v.reason = "the rejected answer " + quote(r) + " is part of the chosen one";
            }
            break;
        }
        }
        result.passed = result.passed && !v.fired;
        result.verdicts.push_back(v);
    }
    return result;
}

}  // namespace sena::pipeline
