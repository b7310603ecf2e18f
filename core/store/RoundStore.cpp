#include "store/RoundStore.h"

#include "store/Database.h"
#include "store/SqlText.h"
#include "store/Transaction.h"
#include "util/Json.h"

namespace sena::store {

namespace {

const char* const kRoundColumns =
    "id, idx, parent_round_id, status, generator_model_path, generator_model_hash, config_json, created_at, "
    "started_at, finished_at, error";

RoundRecord readRound(const Statement& s) {
    RoundRecord round;
    round.id = s.getInt64(0);
    round.index = s.getInt(1);
    round.parentRoundId = s.getOptInt64(2);
    round.status = parseRoundStatus(s.getText(3));
    round.generatorModelPath = s.getText(4);
    round.generatorModelHash = s.getText(5);
    round.configJson = s.getText(6);
    round.createdAt = s.getText(7);
    round.startedAt = s.getOptText(8);
    round.finishedAt = s.getOptText(9);
    round.error = s.getOptText(10);
    return round;
}

void countInto(Statement& s, std::map<std::string, std::int64_t>& into) {
    while (s.step())
        into[s.getText(0)] = s.getInt64(1);
}

}  // namespace

std::int64_t RoundStore::create(const RoundRecord& round) {
    util::Json config;
    try {
        config = util::Json::parse(round.configJson);
    } catch (const util::Json::exception& e) {
        throw InputError("the configuration of a new round is not valid JSON: " + std::string(e.what()));
    }
    if (!config.is_object())
        throw InputError("the configuration of a new round must be a JSON object, got " + util::jsonTypeName(config));
    if (round.index < 0)
        throw InputError("round index must be 1 or more, got " + std::to_string(round.index));
    Transaction tx(m_db);
    int index = round.index;
    if (index == 0)
        index = static_cast<int>(m_db.queryInt64("SELECT coalesce(max(idx), 0) + 1 FROM rounds"));
    auto s = m_db.cached(
        "INSERT INTO rounds(idx, parent_round_id, status, generator_model_path, generator_model_hash, config_json) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    s->bindAll(index, round.parentRoundId, toString(round.status), round.generatorModelPath, round.generatorModelHash,
               round.configJson);
    s->run();
    std::int64_t id = m_db.lastInsertId();
    tx.commit();
    return id;
}

std::optional<RoundRecord> RoundStore::get(std::int64_t id) {
    auto s = m_db.cached(std::string("SELECT ") + kRoundColumns + " FROM rounds WHERE id = ?");
    s->bind(1, id);
    if (!s->step())
        return std::nullopt;
    return readRound(*s);
}

std::optional<RoundRecord> RoundStore::byIndex(int index) {
    auto s = m_db.cached(std::string("SELECT ") + kRoundColumns + " FROM rounds WHERE idx = ?");
    s->bind(1, index);
    if (!s->step())
        return std::nullopt;
    return readRound(*s);
}

std::optional<RoundRecord> RoundStore::latest() {
    auto s = m_db.cached(std::string("SELECT ") + kRoundColumns + " FROM rounds ORDER BY idx DESC LIMIT 1");
    if (!s->step())
        return std::nullopt;
    return readRound(*s);
}

std::vector<RoundRecord> RoundStore::list() {
    auto s = m_db.cached(std::string("SELECT ") + kRoundColumns + " FROM rounds ORDER BY idx");
    std::vector<RoundRecord> rounds;
    while (s->step())
        rounds.push_back(readRound(*s));
    return rounds;
}

RoundRecord RoundStore::require(std::int64_t roundId) {
    auto round = get(roundId);
    if (!round)
        throw InputError("there is no round with id " + std::to_string(roundId) + " in this workspace");
    return *round;
}

void RoundStore::setStatus(std::int64_t roundId, RoundStatus status, const std::optional<std::string>& error) {
    auto s = m_db.cached(std::string("UPDATE rounds SET status = ?1, error = ?2, ") +
                         "started_at = CASE WHEN ?1 = 'created' THEN started_at ELSE coalesce(started_at, " + kSqlNow +
                         ") END, finished_at = CASE WHEN ?3 THEN " + kSqlNow + " ELSE NULL END WHERE id = ?4");
    s->bindAll(toString(status), error, isFinal(status), roundId).run();
    if (m_db.changes() == 0)
        require(roundId);  // throws the clear "no such round" error
}

void RoundStore::setGeneratorModelHash(std::int64_t roundId, const std::string& hash) {
    auto s = m_db.cached("UPDATE rounds SET generator_model_hash = ? WHERE id = ?");
    s->bindAll(hash, roundId).run();
    if (m_db.changes() == 0)
        require(roundId);
}

void RoundStore::remove(std::int64_t roundId) {
    Transaction tx(m_db);
    auto s = m_db.cached("DELETE FROM rounds WHERE id = ?");
    s->bind(1, roundId).run();
    if (m_db.changes() == 0)
        require(roundId);
    tx.commit();
}

void RoundStore::assignImages(std::int64_t roundId, const std::vector<std::int64_t>& imageIds) {
    Transaction tx(m_db);
    require(roundId);
    std::int64_t next;
    {
        auto s = m_db.cached("SELECT coalesce(max(ordinal), -1) + 1 FROM round_images WHERE round_id = ?");
        s->bind(1, roundId).step();
        next = s->getInt64(0);
    }
    auto insert = m_db.cached("INSERT OR IGNORE INTO round_images(round_id, image_id, ordinal) VALUES (?, ?, ?)");
    for (std::int64_t imageId : imageIds) {
        insert->bindAll(roundId, imageId, next).run();
        insert->reset();
        next += m_db.changes();
    }
    tx.commit();
}

std::vector<std::int64_t> RoundStore::images(std::int64_t roundId) {
    auto s = m_db.cached("SELECT image_id FROM round_images WHERE round_id = ? ORDER BY ordinal");
    s->bind(1, roundId);
    std::vector<std::int64_t> ids;
    while (s->step())
        ids.push_back(s->getInt64(0));
    return ids;
}

RoundSummary RoundStore::summary(std::int64_t roundId) {
    // One read transaction, so every count comes from the same snapshot while a worker writes.
    Transaction snapshot(m_db, Transaction::Mode::Deferred);
    RoundRecord round = require(roundId);
    RoundSummary out;
    out.roundId = round.id;
    out.roundIndex = round.index;
    out.status = round.status;
    auto count = [&](const char* sql) {
        auto s = m_db.cached(sql);
        s->bind(1, roundId).step();
        return s->getInt64(0);
    };
    auto group = [&](const char* sql, std::map<std::string, std::int64_t>& into) {
        auto s = m_db.cached(sql);
        s->bind(1, roundId);
        countInto(*s, into);
    };
    out.images = count("SELECT count(*) FROM round_images WHERE round_id = ?");
    group("SELECT stage, count(*) FROM stage_done WHERE round_id = ? GROUP BY stage", out.stagesDone);
    out.questions = count("SELECT count(*) FROM questions WHERE round_id = ?");
    out.questionsKept = count("SELECT count(*) FROM questions WHERE round_id = ? AND kept = 1");
    group(
        "SELECT h.filter, count(*) FROM question_filter_hits h JOIN questions q ON q.id = h.question_id "
        "WHERE q.round_id = ? GROUP BY h.filter",
        out.questionFilterHits);
    group("SELECT kind, count(*) FROM generations WHERE round_id = ? GROUP BY kind", out.generations);
    out.pairs = count("SELECT count(*) FROM pairs WHERE round_id = ?");
    out.pairsPassed = count("SELECT count(*) FROM pairs WHERE round_id = ? AND passed = 1");
    out.pairsScored = count("SELECT count(*) FROM pairs WHERE round_id = ? AND ref_chosen_logp_sum IS NOT NULL");
    group("SELECT type, count(*) FROM pairs WHERE round_id = ? GROUP BY type", out.pairsByType);
    for (Curation c : {Curation::Pending, Curation::Accepted, Curation::Rejected, Curation::Edited})
        out.pairsByCuration[toString(c)] = 0;
    group("SELECT curation, count(*) FROM pairs WHERE round_id = ? GROUP BY curation", out.pairsByCuration);
    group(
        "SELECT h.filter, count(*) FROM pair_filter_hits h JOIN pairs p ON p.id = h.pair_id "
        "WHERE p.round_id = ? GROUP BY h.filter",
        out.pairFilterHits);
    snapshot.commit();
    return out;
}

}  // namespace sena::store
