#pragma once
// Preference pairs in and out of a workspace, in the formats other tools train from:
//   trl          JSON Lines, one {"images": [path], "prompt", "chosen", "rejected"} per line; with
//                `conversational` the three texts are chat message lists (TRL's vision DPO form).
//   llamafactory LLaMA-Factory's sharegpt preference JSON: {"conversations": [{"from": "human",
//                "value": "<image>…"}], "chosen": {"from": "gpt", …}, "rejected": {…}, "images": [path]}.
//   sena         SENA/SeVa-style JSON list: {"id", "image", "type" (des|gen), "question", "prompt",
//                "chosen", "rejected" (or "reject"), "round", "curation", "tags", "note"}.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sena::store {
class Workspace;
}

namespace sena::pipeline {

enum class ExchangeFormat { Trl, LlamaFactory, Sena };
ExchangeFormat parseExchangeFormat(const std::string& name);
const char* exchangeFormatName(ExchangeFormat format);

struct ExportOptions {
    ExchangeFormat format = ExchangeFormat::Trl;
    bool conversational = false;       // trl only
    std::optional<int64_t> roundIndex; // default: every round
    bool acceptedOnly = false;         // only pairs a curator accepted or edited
    bool includeFiltered = false;      // also pairs a filter removed
    std::string relativeTo;            // write image paths relative to this folder (default absolute)
};

struct ExportSummary {
    int64_t pairs = 0;
    std::string path;
};

// Writes atomically (temporary file, then rename). Curators' edits are exported, rejected pairs never.
ExportSummary exportPairs(store::Workspace& ws, const std::string& outPath, const ExportOptions& options);

struct PairImportSummary {
    int64_t pairs = 0, images = 0, skipped = 0, roundIndex = 0;
    std::vector<std::string> problems;  // one line per skipped record
};

// Reads `path` in `format`; relative image paths resolve against `imageRoot` (default: the file's
// folder) and every image must lie inside that root. The pairs go into a new round marked as
// imported; malformed records are skipped and reported, never half-written.
PairImportSummary importPairs(store::Workspace& ws, const std::string& path, ExchangeFormat format,
                          const std::string& imageRoot = {});

}  // namespace sena::pipeline
