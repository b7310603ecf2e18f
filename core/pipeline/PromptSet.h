#pragma once
// The prompts of a SENA round, as editable data (resources/prompts/*.json). A user can load
// another set, e.g. the paper's exact strings, without rebuilding.
#include "util/Json.h"

#include <string>
#include <vector>

namespace sena::pipeline {

struct PromptSet {
    std::string name;
    std::string selfQuestion;
    std::string selfCheckWithImage;  // {question}
    std::string selfCheckTextOnly;   // {question}
    std::string questionPrefix = "QUESTION:";
    std::vector<std::string> captionPrompts;
    std::string captionSuffix;
    std::string answerSuffix;
    std::string improveWithDescription;     // {description} {question} {answer}
    std::string improveWithoutDescription;  // {question} {answer}
    std::string improvedPrefix = "Improved Answer:";

    // Validates that every field is present and each template holds the placeholders it needs.
    static PromptSet fromJson(const util::Json& json, const std::string& where);
    static PromptSet fromFile(const std::string& path);
    // The built-in set (compiled in from resources/prompts/sena-default.json).
    static PromptSet builtin();
    util::Json toJson() const;
};

// Replaces {name} placeholders; unknown placeholders are left as they are.
std::string fillTemplate(std::string text, const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace sena::pipeline
