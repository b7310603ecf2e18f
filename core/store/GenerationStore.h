#pragma once
// Every text the model generated in a round (questions, self-checks, captions, answers), with the
// prompt, the corruption and seed for rejected answers, and token counts.
#include "store/Records.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace sena::store {

class Database;

class GenerationStore {
public:
    explicit GenerationStore(Database& db) : m_db(db) {}

    std::int64_t insert(const GenerationRecord& generation);
    std::optional<GenerationRecord> get(std::int64_t id);
    std::vector<GenerationRecord> forQuestion(std::int64_t questionId);
    std::vector<GenerationRecord> forImage(std::int64_t roundId, std::int64_t imageId);

private:
    Database& m_db;
};

}  // namespace sena::store
