// loadTokenizer(): finds the tokenizer file of a model folder and applies HF's side files.
#include "text/BpeTokenizer.h"
#include "text/SentencePieceTokenizer.h"
#include "text/Tokenizer.h"
#include "text/TokenizerConfig.h"
#include "util/Error.h"
#include "util/Json.h"

#include <filesystem>

namespace sena::text {

namespace fs = std::filesystem;

namespace {

// The first object with this "type" inside a normaliser or pre-tokenizer (Sequences nest).
const util::Json* findType(const util::Json& spec, const std::string& type) {
    if (spec.is_object() && spec.contains("type") && spec.at("type") == type)
        return &spec;
    if (spec.is_object() || spec.is_array()) {
        for (const auto& item : spec.items())
            if (const util::Json* found = findType(item.value(), type))
                return found;
    }
    return nullptr;
}

// What a LLaMA-style tokenizer.json beside tokenizer.model says about the legacy rule. HF loads
// that file rather than tokenizer_config.json's `legacy`, so it decides when present:
// a Prepend("▁") normaliser is legacy; a Metaspace pre-tokenizer with prepend_scheme "first" is not.
std::optional<bool> legacyFromTokenizerJson(const fs::path& path) {
    if (!fs::exists(path))
        return std::nullopt;
    const util::Json json = util::readJsonFile(path.string());
    if (!json.is_object())
        return std::nullopt;
    if (json.contains("normalizer") && findType(json.at("normalizer"), "Prepend"))
        return true;
    const util::Json* metaspace = json.contains("pre_tokenizer") ? findType(json.at("pre_tokenizer"), "Metaspace") : nullptr;
    if (metaspace && metaspace->contains("prepend_scheme") && metaspace->at("prepend_scheme").is_string()) {
        const std::string scheme = metaspace->at("prepend_scheme").get<std::string>();
        if (scheme == "first")
            return false;
        if (scheme == "always")
            return true;
    }
    return std::nullopt;
}

std::unique_ptr<Tokenizer> loadSentencePiece(const fs::path& file, const fs::path& folder) {
    auto tokenizer = std::make_unique<SentencePieceTokenizer>(SentencePieceModel::fromFile(file.string()));
    const TokenizerConfig config = TokenizerConfig::readFolder(folder.string());
    tokenizer->setLegacy(legacyFromTokenizerJson(folder / "tokenizer.json").value_or(config.legacy().value_or(true)));
    if (config.addPrefixSpace())
        tokenizer->setAddPrefixSpace(*config.addPrefixSpace());
    config.apply(*tokenizer, tokenizer->specialIds());
    return tokenizer;
}

std::unique_ptr<Tokenizer> loadByteLevelBpe(const fs::path& file, const fs::path& folder) {
    std::unique_ptr<Tokenizer> tokenizer = BpeTokenizer::fromFile(file.string());
    const TokenizerConfig config = TokenizerConfig::readFolder(folder.string());
    config.apply(*tokenizer, tokenizer->specialIds());
    return tokenizer;
}

}  // namespace

std::unique_ptr<Tokenizer> loadTokenizer(const std::string& modelDirOrFile) {
    const fs::path path(modelDirOrFile);
    std::error_code error;
    if (!fs::exists(path, error))
        throw ConfigError("tokenizer path '" + modelDirOrFile +
                          "' does not exist; pass a model folder or a tokenizer.model / tokenizer.json file");
    if (fs::is_directory(path, error)) {
        // SentencePiece first: LLaMA-family folders often carry both files, and their
        // tokenizer.json is SentencePiece-style BPE, not byte-level.
        if (fs::exists(path / "tokenizer.model"))
            return loadSentencePiece(path / "tokenizer.model", path);
        if (fs::exists(path / "tokenizer.json"))
            return loadByteLevelBpe(path / "tokenizer.json", path);
        throw ConfigError("'" + modelDirOrFile +
                          "' has neither tokenizer.model nor tokenizer.json; copy the tokenizer files of the "
                          "model into it");
    }
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    const std::string extension = path.extension().string();
    if (extension == ".model")
        return loadSentencePiece(path, folder);
    if (extension == ".json")
        return loadByteLevelBpe(path, folder);
    throw ConfigError("'" + modelDirOrFile +
                      "' is neither a SentencePiece .model nor a tokenizer .json file; pass the model folder instead");
}

}  // namespace sena::text
