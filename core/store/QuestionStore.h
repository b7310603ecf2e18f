#pragma once
// Self-generated questions with their self-check trace and the filters that fired on them.
#include "store/Records.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace sena::store {

class Database;

class QuestionStore {
public:
    explicit QuestionStore(Database& db) : m_db(db) {}

    // Stores the question and its filter hits atomically; returns its id. (round, image,
    // ordinal) is unique: storing the same question twice is a StoreError, not a duplicate.
    std::int64_t insert(const QuestionRecord& question);
    std::optional<QuestionRecord> get(std::int64_t id);
    std::vector<QuestionRecord> forImage(std::int64_t roundId, std::int64_t imageId);
    std::vector<QuestionRecord> forRound(std::int64_t roundId, std::int64_t offset = 0, std::int64_t limit = -1);
    std::int64_t count(std::int64_t roundId);

private:
    Database& m_db;
};

}  // namespace sena::store
