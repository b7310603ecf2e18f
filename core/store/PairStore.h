#pragma once
// Preference pairs: insertion by the pipeline, paged queries for the pair browser, curation
// (accept, reject, edit, swap, tags, notes) and cached reference log-probs.
//
// Every curation change stamps updated_at. Edits that change a text the reference model scored
// drop the pair's reference log-probs, so the scoring stage scores the new text before training.
#include "store/PairQuery.h"
#include "store/Records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sena::store {

class Database;

// A curator's edit: each set field replaces the effective text; setting a field back to the
// generated text removes that edit.
struct PairEdit {
    std::optional<std::string> prompt;
    std::optional<std::string> chosen;
    std::optional<std::string> rejected;
};

class PairStore {
public:
    explicit PairStore(Database& db) : m_db(db) {}

    // Stores the pair with its filter hits, tags and (if set) reference log-probs, atomically.
    // Curation, edits and note are taken as given. Returns the id.
    std::int64_t insert(const PairRecord& pair);
    std::optional<PairRecord> get(std::int64_t id);

    // One page of pairs matching the query, with round index, tags and filter hits filled in.
    std::vector<PairRecord> find(const PairQuery& query);
    std::int64_t count(const PairFilter& filter = {});

    void setCuration(std::int64_t id, Curation state);
    // Sets many pairs at once (a multi-selection) in one transaction; returns how many changed.
    std::int64_t setCuration(const std::vector<std::int64_t>& ids, Curation state);
    // Applies an edit; the pair becomes Edited while any edit remains, Pending when none does.
    void edit(std::int64_t id, const PairEdit& edit);
    // Drops all edits; the pair becomes Pending.
    void revertEdits(std::int64_t id);
    // Exchanges chosen and rejected (texts, edits, generation ids and reference log-probs);
    // the pair becomes Edited.
    void swap(std::int64_t id);
    // Tags are trimmed, non-empty and may not contain ','.
    void addTag(std::int64_t id, const std::string& tag);
    void removeTag(std::int64_t id, const std::string& tag);
    void setTags(std::int64_t id, const std::vector<std::string>& tags);
    void setNote(std::int64_t id, const std::string& note);

    // Caches the reference model's log-probs (not a curation change: updated_at stays).
    void setReference(std::int64_t id, const ReferenceLogps& reference);

    // Every tag in use with its number of pairs, by name.
    std::vector<std::pair<std::string, std::int64_t>> tagCounts();
    // Every filter that fired on some pair (of a round, when given) with its number of pairs.
    std::vector<std::pair<std::string, std::int64_t>> filterHitCounts(std::optional<std::int64_t> roundId = {});

private:
    void requireChanged(std::int64_t id);
    void writeTags(std::int64_t id, std::vector<std::string> tags);
    std::vector<std::string> tagsOf(std::int64_t id);

    Database& m_db;
};

}  // namespace sena::store
