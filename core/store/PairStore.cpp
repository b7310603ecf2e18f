#include "store/PairStore.h"

#include "store/Database.h"
#include "store/Transaction.h"
#include "util/Error.h"

#include <algorithm>

namespace sena::store {

namespace {

// The round index comes from a correlated subquery, which runs only for the rows a page returns;
// a join would run for every row an OFFSET skips.
const char* const kPairColumns =
    "p.id, p.round_id, (SELECT idx FROM rounds WHERE id = p.round_id), p.image_id, p.question_id, p.type, p.prompt, "
    "p.chosen, p.rejected, "
    "p.chosen_generation_id, p.rejected_generation_id, p.passed, p.curation, p.edited_prompt, p.edited_chosen, "
    "p.edited_rejected, p.tag_list, p.note, p.ref_chosen_logp_sum, p.ref_chosen_logp_mean, p.ref_rejected_logp_sum, "
    "p.ref_rejected_logp_mean, p.ref_model_hash, p.created_at, p.updated_at";

const std::string kTagSeparator = ", ";

std::vector<std::string> splitTags(const std::string& list) {
    std::vector<std::string> tags;
    std::size_t start = 0;
    while (start < list.size()) {
        std::size_t end = list.find(kTagSeparator, start);
        if (end == std::string::npos)
            end = list.size();
        tags.push_back(list.substr(start, end - start));
        start = end + kTagSeparator.size();
    }
    return tags;
}

PairRecord readPair(const Statement& s) {
    PairRecord p;
    p.id = s.getInt64(0);
    p.roundId = s.getInt64(1);
    p.roundIndex = s.getInt(2);
    p.imageId = s.getInt64(3);
    p.questionId = s.getOptInt64(4);
    p.type = parsePairType(s.getText(5));
    p.prompt = s.getText(6);
    p.chosen = s.getText(7);
    p.rejected = s.getText(8);
    p.chosenGenerationId = s.getOptInt64(9);
    p.rejectedGenerationId = s.getOptInt64(10);
    p.passed = s.getBool(11);
    p.curation = parseCuration(s.getText(12));
    p.editedPrompt = s.getOptText(13);
    p.editedChosen = s.getOptText(14);
    p.editedRejected = s.getOptText(15);
    p.tags = splitTags(s.getText(16));
    p.note = s.getText(17);
    if (!s.isNull(18))
        p.reference = ReferenceLogps{s.getDouble(18), s.getDouble(19), s.getDouble(20), s.getDouble(21),
                                     s.getOptText(22).value_or("")};
    p.createdAt = s.getText(23);
    p.updatedAt = s.getText(24);
    return p;
}

std::string normalisedTag(const std::string& tag) {
    const char* blanks = " \t\r\n";
    std::size_t first = tag.find_first_not_of(blanks);
    if (first == std::string::npos)
        throw InputError("a tag cannot be empty");
    std::string trimmed = tag.substr(first, tag.find_last_not_of(blanks) - first + 1);
    if (trimmed.find(',') != std::string::npos)
        throw InputError("tag '" + trimmed + "' contains a comma; tags are shown comma-separated, so use another word");
    return trimmed;
}

}  // namespace

void PairStore::requireChanged(std::int64_t id) {
    if (m_db.changes() == 0)
        throw InputError("there is no pair with id " + std::to_string(id) + " in this workspace");
}

std::int64_t PairStore::insert(const PairRecord& pair) {
    Transaction tx(m_db);
    auto s = m_db.cached(
        "INSERT INTO pairs(round_id, image_id, question_id, type, prompt, chosen, rejected, chosen_generation_id, "
        "rejected_generation_id, passed, curation, edited_prompt, edited_chosen, edited_rejected, note, "
        "ref_chosen_logp_sum, ref_chosen_logp_mean, ref_rejected_logp_sum, ref_rejected_logp_mean, ref_model_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const auto& ref = pair.reference;
    auto refValue = [&](double ReferenceLogps::*member) {
        return ref ? std::optional<double>((*ref).*member) : std::nullopt;
    };
    s->bindAll(pair.roundId, pair.imageId, pair.questionId, toString(pair.type), pair.prompt, pair.chosen,
               pair.rejected, pair.chosenGenerationId, pair.rejectedGenerationId, pair.passed, toString(pair.curation),
               pair.editedPrompt, pair.editedChosen, pair.editedRejected, pair.note,
               refValue(&ReferenceLogps::chosenSum), refValue(&ReferenceLogps::chosenMean),
               refValue(&ReferenceLogps::rejectedSum), refValue(&ReferenceLogps::rejectedMean),
               ref ? std::optional<std::string>(ref->modelHash) : std::nullopt);
    s->run();
    std::int64_t id = m_db.lastInsertId();
    auto hit = m_db.cached("INSERT INTO pair_filter_hits(pair_id, filter, detail) VALUES (?, ?, ?)");
    for (const FilterHit& h : pair.filterHits) {
        hit->bindAll(id, h.filter, h.detail).run();
        hit->reset();
    }
    if (!pair.tags.empty())
        writeTags(id, pair.tags);
    tx.commit();
    return id;
}

std::optional<PairRecord> PairStore::get(std::int64_t id) {
    Statement s = m_db.prepare(std::string("SELECT ") + kPairColumns + " FROM pairs p WHERE p.id = ?");
    s.bind(1, id);
    if (!s.step())
        return std::nullopt;
    PairRecord pair = readPair(s);
    s.reset();
    auto hits = m_db.cached("SELECT filter, detail FROM pair_filter_hits WHERE pair_id = ? ORDER BY filter");
    hits->bind(1, id);
    while (hits->step())
        pair.filterHits.push_back({hits->getText(0), hits->getText(1)});
    return pair;
}

std::vector<PairRecord> PairStore::find(const PairQuery& query) {
    SqlFragment where = pairFilterSql(query.filter);
    Statement s = m_db.prepare(std::string("SELECT ") + kPairColumns + where.sql +
                               pairOrderSql(query.sort, query.descending) + " LIMIT ? OFFSET ?");
    bindArgs(s, where.args);
    int next = static_cast<int>(where.args.size()) + 1;
    s.bind(next, query.limit).bind(next + 1, query.offset);
    std::vector<PairRecord> rows;
    while (s.step())
        rows.push_back(readPair(s));
    s.reset();
    // Filter hits of the page's rows: one primary-key lookup per row.
    auto hits = m_db.cached("SELECT filter, detail FROM pair_filter_hits WHERE pair_id = ? ORDER BY filter");
    for (PairRecord& pair : rows) {
        hits->bind(1, pair.id);
        while (hits->step())
            pair.filterHits.push_back({hits->getText(0), hits->getText(1)});
        hits->reset();
    }
    return rows;
}

std::int64_t PairStore::count(const PairFilter& filter) {
    SqlFragment where = pairFilterSql(filter);
    Statement s = m_db.prepare("SELECT count(*)" + where.sql);
    bindArgs(s, where.args);
    s.step();
    return s.getInt64(0);
}

void PairStore::setCuration(std::int64_t id, Curation state) {
    auto s = m_db.cached(std::string("UPDATE pairs SET curation = ?, updated_at = ") + kSqlNow + " WHERE id = ?");
    s->bindAll(toString(state), id).run();
    requireChanged(id);
}

std::int64_t PairStore::setCuration(const std::vector<std::int64_t>& ids, Curation state) {
    Transaction tx(m_db);
    auto s = m_db.cached(std::string("UPDATE pairs SET curation = ?, updated_at = ") + kSqlNow + " WHERE id = ?");
    std::int64_t changed = 0;
    for (std::int64_t id : ids) {
        s->bindAll(toString(state), id).run();
        s->reset();
        changed += m_db.changes();
    }
    tx.commit();
    return changed;
}

void PairStore::edit(std::int64_t id, const PairEdit& edit) {
    Transaction tx(m_db);
    auto current = get(id);
    if (!current)
        throw InputError("there is no pair with id " + std::to_string(id) + " in this workspace");
    PairRecord next = *current;
    auto apply = [](std::optional<std::string>& edited, const std::string& generated,
                    const std::optional<std::string>& value) {
        if (value)
            edited = *value == generated ? std::nullopt : value;
    };
    apply(next.editedPrompt, current->prompt, edit.prompt);
    apply(next.editedChosen, current->chosen, edit.chosen);
    apply(next.editedRejected, current->rejected, edit.rejected);
    bool anyEdit = next.editedPrompt || next.editedChosen || next.editedRejected;
    bool textChanged = next.effectivePrompt() != current->effectivePrompt() ||
                       next.effectiveChosen() != current->effectiveChosen() ||
                       next.effectiveRejected() != current->effectiveRejected();
    std::string sql = std::string(
                          "UPDATE pairs SET edited_prompt = ?, edited_chosen = ?, edited_rejected = ?, "
                          "curation = ?, updated_at = ") +
                      kSqlNow;
    // The cached reference log-probs belong to the old text.
    if (textChanged)
        sql +=
            ", ref_chosen_logp_sum = NULL, ref_chosen_logp_mean = NULL, ref_rejected_logp_sum = NULL, "
            "ref_rejected_logp_mean = NULL, ref_model_hash = NULL";
    Statement s = m_db.prepare(sql + " WHERE id = ?");
    s.bindAll(next.editedPrompt, next.editedChosen, next.editedRejected,
              toString(anyEdit ? Curation::Edited : Curation::Pending), id);
    s.run();
    tx.commit();
}

void PairStore::revertEdits(std::int64_t id) {
    Transaction tx(m_db);
    auto current = get(id);
    if (!current)
        throw InputError("there is no pair with id " + std::to_string(id) + " in this workspace");
    // Editing every text back to what was generated removes every edit (see edit()).
    edit(id, PairEdit{current->prompt, current->chosen, current->rejected});
    tx.commit();
}

void PairStore::swap(std::int64_t id) {
    // SQLite evaluates every right-hand side on the old row, so these assignments exchange values.
    auto s = m_db.cached(
        std::string("UPDATE pairs SET chosen = rejected, rejected = chosen, edited_chosen = edited_rejected, "
                    "edited_rejected = edited_chosen, chosen_generation_id = rejected_generation_id, "
                    "rejected_generation_id = chosen_generation_id, ref_chosen_logp_sum = ref_rejected_logp_sum, "
                    "ref_rejected_logp_sum = ref_chosen_logp_sum, ref_chosen_logp_mean = ref_rejected_logp_mean, "
                    "ref_rejected_logp_mean = ref_chosen_logp_mean, curation = 'edited', updated_at = ") +
        kSqlNow + " WHERE id = ?");
    s->bind(1, id).run();
    requireChanged(id);
}

std::vector<std::string> PairStore::tagsOf(std::int64_t id) {
    auto s = m_db.cached("SELECT tag FROM pair_tags WHERE pair_id = ? ORDER BY tag");
    s->bind(1, id);
    std::vector<std::string> tags;
    while (s->step())
        tags.push_back(s->getText(0));
    return tags;
}

void PairStore::writeTags(std::int64_t id, std::vector<std::string> tags) {
    for (std::string& tag : tags)
        tag = normalisedTag(tag);
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    std::string list;
    for (const std::string& tag : tags)
        list += (list.empty() ? "" : kTagSeparator) + tag;
    Transaction tx(m_db);
    auto update = m_db.cached(std::string("UPDATE pairs SET tag_list = ?, updated_at = ") + kSqlNow + " WHERE id = ?");
    update->bindAll(list, id).run();
    requireChanged(id);
    auto clear = m_db.cached("DELETE FROM pair_tags WHERE pair_id = ?");
    clear->bind(1, id).run();
    auto insert = m_db.cached("INSERT INTO pair_tags(pair_id, tag) VALUES (?, ?)");
    for (const std::string& tag : tags) {
        insert->bindAll(id, tag).run();
        insert->reset();
    }
    tx.commit();
}

void PairStore::addTag(std::int64_t id, const std::string& tag) {
    Transaction tx(m_db);
    auto tags = tagsOf(id);
    tags.push_back(tag);
    writeTags(id, tags);
    tx.commit();
}

void PairStore::removeTag(std::int64_t id, const std::string& tag) {
    Transaction tx(m_db);
    auto tags = tagsOf(id);
    std::string name = normalisedTag(tag);
    tags.erase(std::remove(tags.begin(), tags.end(), name), tags.end());
    writeTags(id, tags);
    tx.commit();
}

void PairStore::setTags(std::int64_t id, const std::vector<std::string>& tags) {
    writeTags(id, tags);
}

void PairStore::setNote(std::int64_t id, const std::string& note) {
    auto s = m_db.cached(std::string("UPDATE pairs SET note = ?, updated_at = ") + kSqlNow + " WHERE id = ?");
    s->bindAll(note, id).run();
    requireChanged(id);
}

void PairStore::setReference(std::int64_t id, const ReferenceLogps& reference) {
    auto s = m_db.cached(
        "UPDATE pairs SET ref_chosen_logp_sum = ?, ref_chosen_logp_mean = ?, ref_rejected_logp_sum = ?, "
        "ref_rejected_logp_mean = ?, ref_model_hash = ? WHERE id = ?");
    s->bindAll(reference.chosenSum, reference.chosenMean, reference.rejectedSum, reference.rejectedMean,
               reference.modelHash, id)
        .run();
    requireChanged(id);
}

std::vector<std::pair<std::string, std::int64_t>> PairStore::tagCounts() {
    auto s = m_db.cached("SELECT tag, count(*) FROM pair_tags GROUP BY tag ORDER BY tag");
    std::vector<std::pair<std::string, std::int64_t>> out;
    while (s->step())
        out.emplace_back(s->getText(0), s->getInt64(1));
    return out;
}

std::vector<std::pair<std::string, std::int64_t>> PairStore::filterHitCounts(std::optional<std::int64_t> roundId) {
    Statement s =
        m_db.prepare(roundId ? "SELECT h.filter, count(*) FROM pair_filter_hits h JOIN pairs p ON p.id = h.pair_id "
                               "WHERE p.round_id = ? GROUP BY h.filter ORDER BY h.filter"
                             : "SELECT filter, count(*) FROM pair_filter_hits GROUP BY filter ORDER BY filter");
    if (roundId)
        s.bind(1, *roundId);
    std::vector<std::pair<std::string, std::int64_t>> out;
    while (s.step())
        out.emplace_back(s.getText(0), s.getInt64(1));
    return out;
}

}  // namespace sena::store
