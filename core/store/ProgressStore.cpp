#include "store/ProgressStore.h"

#include "store/Database.h"
#include "util/Error.h"

#include <sqlite3.h>

namespace sena::store {

void ProgressStore::markDone(std::int64_t roundId, std::int64_t imageId, const std::string& stage) {
    if (stage.empty())
        throw InputError("a progress stage needs a name");
    auto s = m_db.cached("INSERT OR IGNORE INTO stage_done(round_id, image_id, stage) VALUES (?, ?, ?)");
    try {
        s->bindAll(roundId, imageId, stage).run();
    } catch (const StoreError& e) {
        if (e.sqliteCode() == SQLITE_CONSTRAINT_FOREIGNKEY)
            throw InputError("cannot mark stage '" + stage + "' done for image " + std::to_string(imageId) +
                             ": it is not assigned to round " + std::to_string(roundId) + " (" + e.what() + ")");
        throw;
    }
}

bool ProgressStore::isDone(std::int64_t roundId, std::int64_t imageId, const std::string& stage) {
    auto s = m_db.cached("SELECT 1 FROM stage_done WHERE round_id = ? AND image_id = ? AND stage = ?");
    s->bindAll(roundId, imageId, stage);
    return s->step();
}

std::vector<std::int64_t> ProgressStore::pendingImages(std::int64_t roundId, const std::string& stage,
                                                       std::int64_t limit) {
    auto s = m_db.cached(
        "SELECT ri.image_id FROM round_images ri WHERE ri.round_id = ?1 AND NOT EXISTS "
        "(SELECT 1 FROM stage_done d WHERE d.round_id = ?1 AND d.image_id = ri.image_id AND d.stage = ?2) "
        "ORDER BY ri.ordinal LIMIT ?3");
    s->bindAll(roundId, stage, limit);
    std::vector<std::int64_t> ids;
    while (s->step())
        ids.push_back(s->getInt64(0));
    return ids;
}

std::map<std::string, std::int64_t> ProgressStore::doneCounts(std::int64_t roundId) {
    auto s = m_db.cached("SELECT stage, count(*) FROM stage_done WHERE round_id = ? GROUP BY stage");
    s->bind(1, roundId);
    std::map<std::string, std::int64_t> counts;
    while (s->step())
        counts[s->getText(0)] = s->getInt64(1);
    return counts;
}

std::int64_t ProgressStore::clearStage(std::int64_t roundId, const std::string& stage) {
    auto s = m_db.cached("DELETE FROM stage_done WHERE round_id = ? AND stage = ?");
    s->bindAll(roundId, stage).run();
    return m_db.changes();
}

}  // namespace sena::store
