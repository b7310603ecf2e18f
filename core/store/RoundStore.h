#pragma once
// Rounds, the images each round works on, and the per-round status counts (`sena round status`).
#include "store/Records.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sena::store {

class Database;

// Everything the round status view shows, counted in the database.
struct RoundSummary {
    std::int64_t roundId = 0;
    int roundIndex = 0;
    RoundStatus status = RoundStatus::Created;
    std::int64_t images = 0;                         // assigned to the round
    std::map<std::string, std::int64_t> stagesDone;  // stage -> images done
    std::int64_t questions = 0;
    std::int64_t questionsKept = 0;
    std::map<std::string, std::int64_t> questionFilterHits;  // filter -> questions it fired on
    std::map<std::string, std::int64_t> generations;         // kind ("caption", ...) -> count
    std::int64_t pairs = 0;
    std::int64_t pairsPassed = 0;
    std::int64_t pairsScored = 0;                         // with reference log-probs
    std::map<std::string, std::int64_t> pairsByType;      // "des" / "gen"
    std::map<std::string, std::int64_t> pairsByCuration;  // every state, zeros included
    std::map<std::string, std::int64_t> pairFilterHits;   // filter -> pairs it fired on
};

class RoundStore {
public:
    explicit RoundStore(Database& db) : m_db(db) {}

    // Stores a new round and returns its id. round.index 0 takes the next free index (1 for the
    // first round). round.configJson must be valid JSON (InputError otherwise).
    std::int64_t create(const RoundRecord& round);
    std::optional<RoundRecord> get(std::int64_t id);
    std::optional<RoundRecord> byIndex(int index);
    std::optional<RoundRecord> latest();
    std::vector<RoundRecord> list();

    // Moves a round to `status`. Leaving Created stamps started_at (once); a final status
    // (trained, failed, cancelled) stamps finished_at, any other clears it. `error` is stored as
    // given (nullopt clears it).
    void setStatus(std::int64_t roundId, RoundStatus status, const std::optional<std::string>& error = std::nullopt);
    void setGeneratorModelHash(std::int64_t roundId, const std::string& hash);
    // Deletes a round with everything it generated (questions, generations, pairs, progress);
    // the images stay. Rounds that named it as parent keep a NULL parent.
    void remove(std::int64_t roundId);

    // Appends images to the round's work list, after those already there; images already
    // assigned keep their place. Runs in one transaction.
    void assignImages(std::int64_t roundId, const std::vector<std::int64_t>& imageIds);
    std::vector<std::int64_t> images(std::int64_t roundId);

    RoundSummary summary(std::int64_t roundId);

private:
    RoundRecord require(std::int64_t roundId);
    Database& m_db;
};

}  // namespace sena::store
