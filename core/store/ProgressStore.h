#pragma once
// Which stages of a round are done for which image: what makes a killed run resumable.
//
// The pipeline writes a stage's outputs for an image and calls markDone() inside one
// Transaction; on restart it asks pendingImages() and redoes only uncommitted work, so nothing is
// generated twice. Stage names are the pipeline's ("questions", "captions", "answers", "pairs",
// "reference", ...); the store does not restrict them.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sena::store {

class Database;

class ProgressStore {
public:
    explicit ProgressStore(Database& db) : m_db(db) {}

    // Marks the stage done for an image of the round (the image must be assigned to the round).
    // Marking twice is harmless.
    void markDone(std::int64_t roundId, std::int64_t imageId, const std::string& stage);
    bool isDone(std::int64_t roundId, std::int64_t imageId, const std::string& stage);
    // The round's images (in round order) for which the stage is not done yet; limit < 0: all.
    std::vector<std::int64_t> pendingImages(std::int64_t roundId, const std::string& stage, std::int64_t limit = -1);
    // stage -> number of images done.
    std::map<std::string, std::int64_t> doneCounts(std::int64_t roundId);
    // Forgets a stage for every image of the round (to redo it); returns how many marks went.
    std::int64_t clearStage(std::int64_t roundId, const std::string& stage);

private:
    Database& m_db;
};

}  // namespace sena::store
