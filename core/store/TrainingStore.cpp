#include "store/TrainingStore.h"

#include "store/Database.h"
#include "store/Transaction.h"

namespace sena::store {

namespace {
const char* kRunColumns =
    "SELECT id, round_id, status, config_json, output_dir, model_out, steps, total_steps, error, started_at, "
    "finished_at FROM training_runs ";

TrainingRun readRun(const Statement& s) {
    TrainingRun r;
    r.id = s.getInt64(0);
    r.roundId = s.getInt64(1);
    r.status = s.getText(2);
    r.configJson = s.getText(3);
    r.outputDir = s.getText(4);
    r.modelOut = s.getOptText(5);
    r.steps = s.getInt64(6);
    r.totalSteps = s.getInt64(7);
    r.error = s.getOptText(8);
    r.startedAt = s.getText(9);
    r.finishedAt = s.getOptText(10);
    return r;
}
}  // namespace

int64_t TrainingStore::createRun(int64_t roundId, const std::string& configJson, const std::string& outputDir) {
    auto s = m_db.cached("INSERT INTO training_runs(round_id, config_json, output_dir) VALUES (?, ?, ?) RETURNING id");
    s->bindAll(roundId, configJson, outputDir);
    s->step();
    return s->getInt64(0);
}

std::optional<TrainingRun> TrainingStore::run(int64_t id) {
    auto s = m_db.prepare(std::string(kRunColumns) + "WHERE id = ?");
    s.bindAll(id);
    if (!s.step())
        return std::nullopt;
    return readRun(s);
}

std::vector<TrainingRun> TrainingStore::runsForRound(int64_t roundId) {
    auto s = m_db.prepare(std::string(kRunColumns) + "WHERE round_id = ? ORDER BY id");
    s.bindAll(roundId);
    std::vector<TrainingRun> out;
    while (s.step())
        out.push_back(readRun(s));
    return out;
}

std::optional<TrainingRun> TrainingStore::latestRun(int64_t roundId) {
    auto runs = runsForRound(roundId);
    if (runs.empty())
        return std::nullopt;
    return runs.back();
}

void TrainingStore::finishRun(int64_t id, const std::string& status, const std::optional<std::string>& modelOut,
                              const std::optional<std::string>& error) {
    auto s = m_db.prepare(
        "UPDATE training_runs SET status = ?, model_out = ?, error = ?, "
        "finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?");
    s.bindAll(status, modelOut, error, id);
    s.run();
}

void TrainingStore::recordStep(int64_t runId, int64_t step, int64_t totalSteps,
                               const std::vector<std::pair<std::string, double>>& metrics,
                               const std::vector<int64_t>& pairIds) {
    Transaction tx(m_db);
    {
        auto s = m_db.cached("INSERT OR REPLACE INTO train_metrics(run_id, step, name, value) VALUES (?, ?, ?, ?)");
        for (const auto& [name, value] : metrics) {
            s->bindAll(runId, step, name, value);
            s->run();
            s->reset();
        }
    }
    {
        auto del = m_db.cached("DELETE FROM train_step_pairs WHERE run_id = ? AND step = ?");
        del->bindAll(runId, step);
        del->run();
    }
    {
        auto s = m_db.cached("INSERT OR IGNORE INTO train_step_pairs(run_id, step, pair_id) VALUES (?, ?, ?)");
        for (int64_t id : pairIds) {
            s->bindAll(runId, step, id);
            s->run();
            s->reset();
        }
    }
    {
        auto s = m_db.cached("UPDATE training_runs SET steps = ?, total_steps = ? WHERE id = ?");
        s->bindAll(step, totalSteps, runId);
        s->run();
    }
    tx.commit();
}

std::map<std::string, std::vector<std::pair<int64_t, double>>> TrainingStore::metrics(int64_t runId) {
    auto s = m_db.prepare("SELECT name, step, value FROM train_metrics WHERE run_id = ? ORDER BY name, step");
    s.bindAll(runId);
    std::map<std::string, std::vector<std::pair<int64_t, double>>> out;
    while (s.step())
        out[s.getText(0)].emplace_back(s.getInt64(1), s.getDouble(2));
    return out;
}

std::vector<int64_t> TrainingStore::stepPairs(int64_t runId, int64_t step) {
    auto s = m_db.prepare("SELECT pair_id FROM train_step_pairs WHERE run_id = ? AND step = ? ORDER BY pair_id");
    s.bindAll(runId, step);
    std::vector<int64_t> out;
    while (s.step())
        out.push_back(s.getInt64(0));
    return out;
}

std::optional<CachedReference> TrainingStore::cachedReference(const std::string& modelHash, const std::string& pairHash) {
    auto s = m_db.cached(
        "SELECT chosen_sum, rejected_sum, chosen_tokens, rejected_tokens FROM reference_cache "
        "WHERE model_hash = ? AND pair_hash = ?");
    s->bindAll(modelHash, pairHash);
    if (!s->step())
        return std::nullopt;
    return CachedReference{s->getDouble(0), s->getDouble(1), s->getInt64(2), s->getInt64(3)};
}

void TrainingStore::cacheReference(const std::string& modelHash, const std::string& pairHash, const CachedReference& v) {
    auto s = m_db.cached(
        "INSERT OR REPLACE INTO reference_cache(model_hash, pair_hash, chosen_sum, rejected_sum, chosen_tokens, "
        "rejected_tokens) VALUES (?, ?, ?, ?, ?, ?)");
    s->bindAll(modelHash, pairHash, v.chosenSum, v.rejectedSum, v.chosenTokens, v.rejectedTokens);
    s->run();
}

}  // namespace sena::store
