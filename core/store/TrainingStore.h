#pragma once
// Training runs, their per-step metrics (TRL's names) with the pairs of each step, and the
// reference log-prob cache.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sena::store {

class Database;

struct TrainingRun {
    int64_t id = 0;
    int64_t roundId = 0;
    std::string status = "running";  // running | finished | failed | cancelled
    std::string configJson = "{}";
    std::string outputDir;
    std::optional<std::string> modelOut;  // the trained model folder (θ(k)) once finished
    int64_t steps = 0, totalSteps = 0;
    std::optional<std::string> error;
    std::string startedAt;
    std::optional<std::string> finishedAt;
};

struct CachedReference {
    double chosenSum = 0, rejectedSum = 0;
    int64_t chosenTokens = 0, rejectedTokens = 0;
};

class TrainingStore {
public:
    explicit TrainingStore(Database& db) : m_db(db) {}

    int64_t createRun(int64_t roundId, const std::string& configJson, const std::string& outputDir);
    std::optional<TrainingRun> run(int64_t id);
    std::vector<TrainingRun> runsForRound(int64_t roundId);
    std::optional<TrainingRun> latestRun(int64_t roundId);
    void finishRun(int64_t id, const std::string& status, const std::optional<std::string>& modelOut,
                   const std::optional<std::string>& error = std::nullopt);
    // One optimizer step: every metric and the step's pairs, in one transaction. Re-recording a
    // step (after a resume) replaces it.
    void recordStep(int64_t runId, int64_t step, int64_t totalSteps,
                    const std::vector<std::pair<std::string, double>>& metrics, const std::vector<int64_t>& pairIds);
    // name → (step, value) series, for plots.
    std::map<std::string, std::vector<std::pair<int64_t, double>>> metrics(int64_t runId);
    std::vector<int64_t> stepPairs(int64_t runId, int64_t step);

    std::optional<CachedReference> cachedReference(const std::string& modelHash, const std::string& pairHash);
    void cacheReference(const std::string& modelHash, const std::string& pairHash, const CachedReference& value);

private:
    Database& m_db;
};

}  // namespace sena::store
