#pragma once
// Plain records of the workspace tables. Ids are SQLite rowids (0 = not stored yet); timestamps are
// ISO-8601 UTC text ("2025-01-31T12:00:00.000Z") set by the database.
#include "store/Enums.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sena::store {

struct ImageRecord {
    std::int64_t id = 0;
    std::int64_t rootId = 0;
    std::string root;          // absolute folder (import root)
    std::string relativePath;  // inside `root`, with '/' separators
    std::string sha256;        // lower-case hex of the file bytes; empty when the file could not be read
    int width = 0;             // 0 when the image did not decode
    int height = 0;
    std::string format;  // "JPEG", "PNG", ...; empty when unknown
    std::int64_t bytes = 0;
    std::int64_t mtimeNs = 0;  // file modification time, ns since the Unix epoch
    std::optional<std::string> importError;
    std::string importedAt;

    std::string absolutePath() const;
    bool ok() const { return !importError.has_value(); }
};

struct RoundRecord {
    std::int64_t id = 0;
    int index = 0;  // 1, 2, ...; 0 asks RoundStore::create for the next free index
    std::optional<std::int64_t> parentRoundId;
    RoundStatus status = RoundStatus::Created;
    std::string generatorModelPath;
    std::string generatorModelHash;
    std::string configJson = "{}";  // the full round configuration, for reproducibility
    std::string createdAt;
    std::optional<std::string> startedAt;
    std::optional<std::string> finishedAt;
    std::optional<std::string> error;
};

// One filter that fired on a question or a pair, with the reason it gives.
struct FilterHit {
    std::string filter;  // e.g. "contains_name", "chosen_equals_rejected"
    std::string detail;  // e.g. "question contains 'name'"

    bool operator==(const FilterHit& other) const { return filter == other.filter && detail == other.detail; }
};

struct QuestionRecord {
    std::int64_t id = 0;
    std::int64_t roundId = 0;
    std::int64_t imageId = 0;
    int ordinal = 0;  // position among this image's questions in the round (unique per round and image)
    std::string firstQuestion;
    std::string selfCheckReply;
    std::string finalQuestion;
    int attempts = 1;
    QuestionMode mode = QuestionMode::Paper;
    bool kept = true;  // false when a filter dropped it
    std::vector<FilterHit> filterHits;
    std::string createdAt;
};

struct GenerationRecord {
    std::int64_t id = 0;
    std::int64_t roundId = 0;
    std::int64_t imageId = 0;
    std::optional<std::int64_t> questionId;
    GenerationKind kind = GenerationKind::CleanAnswer;
    std::string prompt;
    std::string text;
    std::optional<std::string> corruptionSpec;  // set for answers on a corrupted image
    std::optional<std::int64_t> corruptionSeed;
    std::optional<int> promptTokens;
    std::optional<int> newTokens;
    std::optional<std::string> finishReason;  // "eos", "length", "stop_string", ...
    std::string createdAt;
};

// Reference-model log-probs of a pair's responses (response tokens only, EOS included).
struct ReferenceLogps {
    double chosenSum = 0;
    double chosenMean = 0;
    double rejectedSum = 0;
    double rejectedMean = 0;
    std::string modelHash;
};

struct PairRecord {
    std::int64_t id = 0;
    std::int64_t roundId = 0;
    int roundIndex = 0;  // filled when read back; ignored on insert
    std::int64_t imageId = 0;
    std::optional<std::int64_t> questionId;
    PairType type = PairType::General;
    std::string prompt;
    std::string chosen;
    std::string rejected;
    std::optional<std::int64_t> chosenGenerationId;
    std::optional<std::int64_t> rejectedGenerationId;
    std::vector<FilterHit> filterHits;
    bool passed = true;
    Curation curation = Curation::Pending;
    std::optional<std::string> editedPrompt;
    std::optional<std::string> editedChosen;
    std::optional<std::string> editedRejected;
    std::vector<std::string> tags;  // sorted, unique
    std::string note;
    std::optional<ReferenceLogps> reference;
    std::string createdAt;
    std::string updatedAt;

    // The texts training uses: the curator's edit when there is one.
    const std::string& effectivePrompt() const { return editedPrompt ? *editedPrompt : prompt; }
    const std::string& effectiveChosen() const { return editedChosen ? *editedChosen : chosen; }
    const std::string& effectiveRejected() const { return editedRejected ? *editedRejected : rejected; }
    // Reference chosen minus rejected summed log-prob; empty until the pair is scored.
    std::optional<double> margin() const {
        return reference ? std::optional<double>(reference->chosenSum - reference->rejectedSum) : std::nullopt;
    }
};

struct CorruptionPreset {
    std::int64_t id = 0;
    std::string name;
    std::string spec;  // e.g. "blur:sigma=2+diffusion:t=600"
    std::string createdAt;
};

}  // namespace sena::store
