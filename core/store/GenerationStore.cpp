#include "store/GenerationStore.h"

#include "store/Database.h"
#include "store/SqlText.h"

namespace sena::store {

namespace {

std::vector<GenerationRecord> fetchGenerations(Database& db, const std::string& tail,
                                               const std::vector<SqlValue>& args) {
    Statement s = db.prepare(
        "SELECT id, round_id, image_id, question_id, kind, prompt, text, corruption_spec, corruption_seed, "
        "prompt_tokens, new_tokens, finish_reason, created_at FROM generations " +
        tail);
    bindArgs(s, args);
    std::vector<GenerationRecord> out;
    auto optInt = [&](int column) {
        auto v = s.getOptInt64(column);
        return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
    };
    while (s.step()) {
        GenerationRecord g;
        g.id = s.getInt64(0);
        g.roundId = s.getInt64(1);
        g.imageId = s.getInt64(2);
        g.questionId = s.getOptInt64(3);
        g.kind = parseGenerationKind(s.getText(4));
        g.prompt = s.getText(5);
        g.text = s.getText(6);
        g.corruptionSpec = s.getOptText(7);
        g.corruptionSeed = s.getOptInt64(8);
        g.promptTokens = optInt(9);
        g.newTokens = optInt(10);
        g.finishReason = s.getOptText(11);
        g.createdAt = s.getText(12);
        out.push_back(std::move(g));
    }
    return out;
}

}  // namespace

std::int64_t GenerationStore::insert(const GenerationRecord& g) {
    auto s = m_db.cached(
        "INSERT INTO generations(round_id, image_id, question_id, kind, prompt, text, corruption_spec, "
        "corruption_seed, prompt_tokens, new_tokens, finish_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s->bindAll(g.roundId, g.imageId, g.questionId, toString(g.kind), g.prompt, g.text, g.corruptionSpec,
               g.corruptionSeed, g.promptTokens, g.newTokens, g.finishReason);
    s->run();
    return m_db.lastInsertId();
}

std::optional<GenerationRecord> GenerationStore::get(std::int64_t id) {
    auto found = fetchGenerations(m_db, "WHERE id = ?", {id});
    if (found.empty())
        return std::nullopt;
    return std::move(found.front());
}

std::vector<GenerationRecord> GenerationStore::forQuestion(std::int64_t questionId) {
    return fetchGenerations(m_db, "WHERE question_id = ? ORDER BY id", {questionId});
}

std::vector<GenerationRecord> GenerationStore::forImage(std::int64_t roundId, std::int64_t imageId) {
    return fetchGenerations(m_db, "WHERE image_id = ? AND round_id = ? ORDER BY id", {imageId, roundId});
}

}  // namespace sena::store
