#include "store/QuestionStore.h"

#include "store/Database.h"
#include "store/SqlText.h"
#include "store/Transaction.h"

namespace sena::store {

namespace {

// Reads questions matching `tail` (WHERE ... ORDER ... LIMIT) and attaches their filter hits.
std::vector<QuestionRecord> fetchQuestions(Database& db, const std::string& tail, const std::vector<SqlValue>& args) {
    Statement s = db.prepare(
        "SELECT id, round_id, image_id, ordinal, first_question, self_check_reply, final_question, attempts, mode, "
        "kept, created_at FROM questions " +
        tail);
    bindArgs(s, args);
    std::vector<QuestionRecord> out;
    while (s.step()) {
        QuestionRecord q;
        q.id = s.getInt64(0);
        q.roundId = s.getInt64(1);
        q.imageId = s.getInt64(2);
        q.ordinal = s.getInt(3);
        q.firstQuestion = s.getText(4);
        q.selfCheckReply = s.getText(5);
        q.finalQuestion = s.getText(6);
        q.attempts = s.getInt(7);
        q.mode = parseQuestionMode(s.getText(8));
        q.kept = s.getBool(9);
        q.createdAt = s.getText(10);
        out.push_back(std::move(q));
    }
    if (out.empty())
        return out;
    auto hits = db.cached("SELECT filter, detail FROM question_filter_hits WHERE question_id = ? ORDER BY filter");
    for (QuestionRecord& q : out) {
        hits->bind(1, q.id);
        while (hits->step())
            q.filterHits.push_back({hits->getText(0), hits->getText(1)});
        hits->reset();
    }
    return out;
}

}  // namespace

std::int64_t QuestionStore::insert(const QuestionRecord& question) {
    Transaction tx(m_db);
    auto s = m_db.cached(
        "INSERT INTO questions(round_id, image_id, ordinal, first_question, self_check_reply, final_question, "
        "attempts, mode, kept) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s->bindAll(question.roundId, question.imageId, question.ordinal, question.firstQuestion, question.selfCheckReply,
               question.finalQuestion, question.attempts, toString(question.mode), question.kept);
    s->run();
    std::int64_t id = m_db.lastInsertId();
    auto hit = m_db.cached("INSERT INTO question_filter_hits(question_id, filter, detail) VALUES (?, ?, ?)");
    for (const FilterHit& h : question.filterHits) {
        hit->bindAll(id, h.filter, h.detail).run();
        hit->reset();
    }
    tx.commit();
    return id;
}

std::optional<QuestionRecord> QuestionStore::get(std::int64_t id) {
    auto found = fetchQuestions(m_db, "WHERE id = ?", {id});
    if (found.empty())
        return std::nullopt;
    return std::move(found.front());
}

std::vector<QuestionRecord> QuestionStore::forImage(std::int64_t roundId, std::int64_t imageId) {
    return fetchQuestions(m_db, "WHERE round_id = ? AND image_id = ? ORDER BY ordinal, id", {roundId, imageId});
}

std::vector<QuestionRecord> QuestionStore::forRound(std::int64_t roundId, std::int64_t offset, std::int64_t limit) {
    return fetchQuestions(m_db, "WHERE round_id = ? ORDER BY id LIMIT ? OFFSET ?", {roundId, limit, offset});
}

std::int64_t QuestionStore::count(std::int64_t roundId) {
    auto s = m_db.cached("SELECT count(*) FROM questions WHERE round_id = ?");
    s->bind(1, roundId).step();
    return s->getInt64(0);
}

}  // namespace sena::store
