#pragma once
// One SENA generation round over a workspace: self-questioning with self-check, captions, clean
// answers, self-enhanced (chosen) answers, answers on corrupted images (rejected) and the pair
// filters. Images are processed in batches; each image's records are committed in one transaction
// together with its "done" mark, so a killed run resumes where it stopped with nothing lost and
// nothing duplicated.
#include "pipeline/RoundConfig.h"
#include "pipeline/VisionLanguageModel.h"

#include <atomic>
#include <functional>
#include <optional>

namespace sena::store {
class Workspace;
}

namespace sena::pipeline {

struct GenerationProgress {
    int64_t roundId = 0;
    int64_t imagesDone = 0, imagesTotal = 0, imagesFailed = 0;
    int64_t questions = 0, pairsMade = 0, pairsPassed = 0;
    double tokensPerSecond = 0, etaSeconds = 0, elapsedSeconds = 0;
    std::string stage;  // what the model is doing now
};

// Returns false to cancel (the batch in flight is discarded; everything committed stays).
using GenerationCallback = std::function<bool(const GenerationProgress&)>;

class RoundGenerator {
public:
    RoundGenerator(store::Workspace& workspace, VisionLanguageModel& model, RoundConfig config);

    // A new round over the workspace's images not used by an earlier round (all images for the first
    // round), at most config.limit of them. Returns the round id.
    int64_t createRound(std::optional<int64_t> parentRoundId = std::nullopt);
    // The same without a loaded model: the round records `modelPath` and `modelHash` as its
    // generator (used when a trained θ(k) starts the next round).
    static int64_t createRound(store::Workspace& workspace, const RoundConfig& config, const std::string& modelPath,
                               const std::string& modelHash, std::optional<int64_t> parentRoundId);
    // Processes the round's pending images. Safe to call again after a crash or a cancel. `progress`
    // is called at every stage and batch; `cancel` is polled at every decoded token. Either one
    // stops the run with sena::Cancelled, keeping everything committed.
    GenerationProgress run(int64_t roundId, const GenerationCallback& progress = {},
                           const std::atomic<bool>* cancel = nullptr);

    // Data-parallel generation: this process takes the pending images whose id % worldSize == rank.
    // Each image commits in its own transaction, so shards merge safely into one workspace (SQLite
    // serialises the writers; its busy timeout absorbs the waits).
    void setShard(int rank, int worldSize);

    // The stage name written to the progress table when an image is complete.
    static constexpr const char* kImageDone = "complete";

private:
    struct ImageWork;
    void processBatch(int64_t roundId, std::vector<ImageWork>& batch, GenerationProgress& state);
    void selfQuestion(std::vector<ImageWork>& batch, const std::vector<VlmImage>& images);
    void answer(int64_t roundId, std::vector<ImageWork>& batch, const std::vector<VlmImage>& images);
    void commit(int64_t roundId, ImageWork& work, GenerationProgress& state);
    std::vector<VlmReply> ask(const std::vector<VlmImage>& images, const std::vector<VlmRequest>& requests,
                              const std::string& stage);

    store::Workspace& m_ws;
    VisionLanguageModel& m_model;
    RoundConfig m_config;
    GenerationCallback m_callback;
    const std::atomic<bool>* m_cancel = nullptr;
    int m_rank = 0, m_worldSize = 1;
    GenerationProgress* m_state = nullptr;
};

}  // namespace sena::pipeline
