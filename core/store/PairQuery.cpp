#include "store/PairQuery.h"

namespace sena::store {

namespace {

void addRange(std::vector<std::string>& conditions, std::vector<SqlValue>& args, const char* column,
              const std::optional<std::int64_t>& low, const std::optional<std::int64_t>& high) {
    if (low) {
        conditions.push_back(std::string(column) + " >= ?");
        args.emplace_back(*low);
    }
    if (high) {
        conditions.push_back(std::string(column) + " <= ?");
        args.emplace_back(*high);
    }
}

}  // namespace

SqlFragment pairFilterSql(const PairFilter& filter) {
    std::vector<std::string> conditions;
    std::vector<SqlValue> args;
    auto equals = [&](const char* column, SqlValue value) {
        conditions.push_back(std::string(column) + " = ?");
        args.push_back(std::move(value));
    };
    if (filter.roundId)
        equals("p.round_id", *filter.roundId);
    if (filter.imageId)
        equals("p.image_id", *filter.imageId);
    if (filter.questionId)
        equals("p.question_id", *filter.questionId);
    if (!filter.curation.empty()) {
        std::string in = "p.curation IN (";
        for (std::size_t i = 0; i < filter.curation.size(); ++i) {
            in += i == 0 ? "?" : ", ?";
            args.emplace_back(std::string(toString(filter.curation[i])));
        }
        conditions.push_back(in + ")");
    }
    if (filter.type)
        equals("p.type", std::string(toString(*filter.type)));
    if (filter.passed)
        equals("p.passed", std::int64_t(*filter.passed ? 1 : 0));
    if (filter.filterHit) {
        conditions.emplace_back("p.id IN (SELECT pair_id FROM pair_filter_hits WHERE filter = ?)");
        args.emplace_back(*filter.filterHit);
    }
    if (filter.anyFilterHit)
        conditions.push_back(std::string(*filter.anyFilterHit ? "" : "NOT ") +
                             "EXISTS (SELECT 1 FROM pair_filter_hits h WHERE h.pair_id = p.id)");
    if (filter.yesNoAnswer)
        equals("p.yes_no", std::int64_t(*filter.yesNoAnswer ? 1 : 0));
    addRange(conditions, args, "p.chosen_len", filter.minChosenLength, filter.maxChosenLength);
    addRange(conditions, args, "p.rejected_len", filter.minRejectedLength, filter.maxRejectedLength);
    if (filter.minMargin) {
        conditions.emplace_back("p.margin >= ?");
        args.emplace_back(*filter.minMargin);
    }
    if (filter.maxMargin) {
        conditions.emplace_back("p.margin <= ?");
        args.emplace_back(*filter.maxMargin);
    }
    // The margin is NULL exactly when the pair has no reference log-probs, and it is indexed.
    if (filter.scored)
        conditions.push_back(std::string("p.margin IS ") + (*filter.scored ? "NOT NULL" : "NULL"));
    if (filter.tag) {
        conditions.emplace_back("p.id IN (SELECT pair_id FROM pair_tags WHERE tag = ?)");
        args.emplace_back(*filter.tag);
    }
    std::string fts = ftsQueryFromWords(filter.search);
    if (!fts.empty()) {
        conditions.emplace_back("p.id IN (SELECT rowid FROM pairs_fts WHERE pairs_fts MATCH ?)");
        args.emplace_back(fts);
    }
    SqlFragment out;
    out.sql = " FROM pairs p";
    for (std::size_t i = 0; i < conditions.size(); ++i)
        out.sql += (i == 0 ? " WHERE " : " AND ") + conditions[i];
    out.args = std::move(args);
    return out;
}

std::string pairOrderSql(PairSort sort, bool descending) {
    // Every key is the expression of a pairs_sort_* index (Schema.cpp) and must match it exactly:
    // an index on (key) holds (key, rowid), so "ORDER BY key, id" walks it and stops after a page.
    std::vector<std::string> keys;
    switch (sort) {
        case PairSort::Id:
            break;
        case PairSort::Round:
            keys = {"p.round_id"};
            break;
        case PairSort::Type:
            keys = {"p.type"};
            break;
        case PairSort::Question:
            keys = {"p.eff_prompt COLLATE NOCASE"};
            break;
        case PairSort::Chosen:
            keys = {"p.eff_chosen COLLATE NOCASE"};
            break;
        case PairSort::Rejected:
            keys = {"p.eff_rejected COLLATE NOCASE"};
            break;
        case PairSort::ChosenLength:
            keys = {"p.chosen_len"};
            break;
        case PairSort::RejectedLength:
            keys = {"p.rejected_len"};
            break;
        case PairSort::Margin:
            keys = {"p.margin"};
            break;
        case PairSort::Curation:
            keys = {"p.curation"};
            break;
        case PairSort::Passed:
            keys = {"p.passed"};
            break;
        case PairSort::Tags:
            keys = {"p.tag_list"};
            break;
        case PairSort::UpdatedAt:
            keys = {"p.updated_at"};
            break;
    }
    return orderByClause(keys, descending, "p.id");
}

}  // namespace sena::store
