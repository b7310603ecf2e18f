#include "text/PreTokenizer.h"

#include "text/ByteLevel.h"
#include "util/Error.h"

#include <algorithm>

namespace sena::text {

namespace {

// GPT-2's split, which HF's ByteLevel pre-tokenizer applies when use_regex is true.
const char* const kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

std::string typeOf(const util::Json& spec) {
    if (!spec.is_object() || !spec.contains("type") || !spec.at("type").is_string())
        return "";
    return spec.at("type").get<std::string>();
}

}  // namespace

PreTokenizer PreTokenizer::fromJson(const util::Json& spec, const std::string& where) {
    PreTokenizer result;
    if (!spec.is_null())
        addStage(result.m_stages, spec, where);
    return result;
}

void PreTokenizer::addStage(std::vector<Stage>& stages, const util::Json& spec, const std::string& where) {
    const std::string type = typeOf(spec);
    const util::JsonObject object(spec, where + ": pre_tokenizer " + type);
    if (type == "Sequence") {
        const util::Json& list = spec.contains("pretokenizers") ? spec.at("pretokenizers") : util::Json();
        if (!list.is_array())
            object.fail("pretokenizers", "an array");
        for (const util::Json& item : list)
            addStage(stages, item, where);
        return;
    }
    Stage stage;
    if (type == "ByteLevel") {
        stage.byteLevel = true;
        stage.addPrefixSpace = object.boolean("add_prefix_space", true);
        if (object.boolean("use_regex", true))
            stage.regex.emplace(kGpt2Pattern, false, where + ": ByteLevel pre-tokenizer");
    } else if (type == "Split") {
        const util::JsonObject pattern = object.object("pattern");
        if (auto regex = pattern.optString("Regex"))
            stage.regex.emplace(*regex, false, where + ": Split pre-tokenizer");
        else if (auto literal = pattern.optString("String"))
            stage.regex.emplace(*literal, true, where + ": Split pre-tokenizer");
        else
            object.fail("pattern", "an object with \"Regex\" or \"String\"");
        const std::string behavior = object.string("behavior", "Isolated");
        if (behavior == "Isolated")
            stage.behavior = Behavior::Isolated;
        else if (behavior == "Removed")
            stage.behavior = Behavior::Removed;
        else if (behavior == "MergedWithPrevious")
            stage.behavior = Behavior::MergedWithPrevious;
        else if (behavior == "MergedWithNext")
            stage.behavior = Behavior::MergedWithNext;
        else if (behavior == "Contiguous")
            stage.behavior = Behavior::Contiguous;
        else
            object.fail("behavior", "one of Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous");
        stage.invert = object.boolean("invert", false);
    } else {
        throw ConfigError(where + ": pre_tokenizer type '" + (type.empty() ? spec.dump() : type) +
                          "' is not supported; byte-level BPE tokenizers (Qwen2, GPT-2, Llama 3) use Split and "
                          "ByteLevel. A SentencePiece-style tokenizer.json (Metaspace) needs the model's "
                          "tokenizer.model instead");
    }
    stages.push_back(std::move(stage));
}

std::vector<std::string> PreTokenizer::applySplit(const Stage& stage, const std::string& piece) {
    // HF's NormalizedString::split: cover the text with alternating (range, isMatch) parts, then
    // keep, drop or merge them by behaviour.
    struct Part {
        std::size_t begin, end;
        bool isMatch;
    };
    std::vector<Part> parts;
    std::size_t previous = 0;
    for (const auto& [begin, end] : stage.regex->findMatches(piece)) {
        if (begin > previous)
            parts.push_back({previous, begin, stage.invert});
        parts.push_back({begin, end, !stage.invert});
        previous = end;
    }
    if (previous < piece.size())
        parts.push_back({previous, piece.size(), stage.invert});

    std::vector<Part> kept;
    bool previousWasMatch = false;
    switch (stage.behavior) {
    case Behavior::Isolated:
        kept = parts;
        break;
    case Behavior::Removed:
        for (const Part& part : parts)
            if (!part.isMatch)
                kept.push_back(part);
        break;
    case Behavior::Contiguous:
        for (const Part& part : parts) {
            if (!kept.empty() && part.isMatch == previousWasMatch)
                kept.back().end = part.end;
            else
                kept.push_back(part);
            previousWasMatch = part.isMatch;
        }
        break;
    case Behavior::MergedWithPrevious:
        for (const Part& part : parts) {
            if (!kept.empty() && part.isMatch && !previousWasMatch)
                kept.back().end = part.end;
            else
                kept.push_back(part);
            previousWasMatch = part.isMatch;
        }
        break;
    case Behavior::MergedWithNext:
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
            if (!kept.empty() && it->isMatch && !previousWasMatch)
                kept.back().begin = it->begin;
            else
                kept.push_back(*it);
            previousWasMatch = it->isMatch;
        }
        std::reverse(kept.begin(), kept.end());
        break;
    }
    std::vector<std::string> out;
    for (const Part& part : kept)
        if (part.end > part.begin)
            out.push_back(piece.substr(part.begin, part.end - part.begin));
    return out;
}

std::vector<std::string> PreTokenizer::split(std::string_view text) const {
    std::vector<std::string> pieces;
    if (!text.empty())
        pieces.emplace_back(text);
    for (const Stage& stage : m_stages) {
        std::vector<std::string> next;
        for (std::string& piece : pieces) {
            if (stage.byteLevel && stage.addPrefixSpace && piece.front() != ' ')
                piece.insert(piece.begin(), ' ');
            std::vector<std::string> parts;
            if (!stage.regex)
                parts.push_back(std::move(piece));
            else
                parts = applySplit(stage, piece);
            for (std::string& part : parts)
                next.push_back(stage.byteLevel ? ByteLevelAlphabet::instance().encode(part) : std::move(part));
        }
        pieces = std::move(next);
    }
    return pieces;
}

bool PreTokenizer::hasByteLevel() const {
    for (const Stage& stage : m_stages)
        if (stage.byteLevel)
            return true;
    return false;
}

}  // namespace sena::text
