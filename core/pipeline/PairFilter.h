#pragma once
// SENA's pair filters. Each is toggleable and records why it fired, so the researcher can see
// (and count) what every filter removed.
#include "util/Json.h"

#include <string>
#include <vector>

namespace sena::pipeline {

enum class FilterKind {
    QuestionHasName,     // the question contains "name" (unanswerable "what is the name of…")
    Repetition,          // a repeated sentence, or a token more than 30 times, in either answer
    NonAlphanumeric,     // more than half non-alphanumeric characters, or empty
    Identical,           // chosen equals rejected
    YesNo,               // either answer is exactly yes or no
    RejectedInChosen,    // lower-cased rejected is a substring of lower-cased chosen
};

const char* filterName(FilterKind kind);  // "name", "repetition", "non_alnum", "identical", "yes_no", "rejected_in_chosen"
std::vector<FilterKind> allFilters();

struct FilterVerdict {
    FilterKind kind;
    bool fired = false;
    std::string reason;  // why it fired, quoting the offending text
};

struct FilterSettings {
    std::vector<FilterKind> enabled = allFilters();
    int maxTokenRepeats = 30;
    double maxNonAlnumShare = 0.5;

    // "all", "none", or a comma-separated list of filter names. Throws ConfigError on unknown names.
    static FilterSettings parse(const std::string& list);
    bool isEnabled(FilterKind kind) const;
    std::string toString() const;
};

struct FilterResult {
    std::vector<FilterVerdict> verdicts;  // one per enabled filter
    bool passed = true;
    util::Json toJson() const;  // {"name": {"fired": false}, "identical": {"fired": true, "reason": "…"}, …}
};

FilterResult applyFilters(const FilterSettings& settings, const std::string& question, const std::string& chosen,
                          const std::string& rejected);

}  // namespace sena::pipeline
