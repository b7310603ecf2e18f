#pragma once
// What the pair browser and the CLI ask for: a filter, a sort and a page.
#include "store/Enums.h"
#include "store/SqlText.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sena::store {

// All set members must hold (AND); unset members do not restrict.
struct PairFilter {
    std::optional<std::int64_t> roundId;
    std::optional<std::int64_t> imageId;
    std::optional<std::int64_t> questionId;
    std::vector<Curation> curation;  // any of these states; empty: all
    std::optional<PairType> type;
    std::optional<bool> passed;
    std::optional<std::string> filterHit;  // pairs this filter fired on
    std::optional<bool> anyFilterHit;      // true: some filter fired; false: none did
    // true: the chosen or the rejected answer is a bare "yes" or "no" (any case, trailing
    // punctuation ignored); false: neither is.
    std::optional<bool> yesNoAnswer;
    std::optional<std::int64_t> minChosenLength, maxChosenLength;  // characters of the effective text
    std::optional<std::int64_t> minRejectedLength, maxRejectedLength;
    std::optional<double> minMargin, maxMargin;  // reference chosen - rejected summed log-prob
    std::optional<bool> scored;                  // has reference log-probs
    std::optional<std::string> tag;
    // Words that must all occur (as word prefixes) in the question, the chosen or the rejected
    // answer; full-text search, so any number of pairs answers in milliseconds.
    std::string search;
};

enum class PairSort {
    Id,  // creation order
    Round,
    Type,
    Question,
    Chosen,
    Rejected,
    ChosenLength,
    RejectedLength,
    Margin,  // unscored pairs (no margin) sort first ascending, last descending
    Curation,
    Passed,
    Tags,
    UpdatedAt,
};

struct PairQuery {
    PairFilter filter;
    PairSort sort = PairSort::Id;
    bool descending = false;
    std::int64_t offset = 0;
    std::int64_t limit = 100;
};

// FROM + WHERE for `filter` over `pairs p`, with its parameters.
SqlFragment pairFilterSql(const PairFilter& filter);
// " ORDER BY ..." for a query, always ending with the pair id so pages never overlap.
std::string pairOrderSql(PairSort sort, bool descending);

}  // namespace sena::store
