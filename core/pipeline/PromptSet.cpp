#include "pipeline/PromptSet.h"

#include "util/Error.h"

namespace sena::pipeline {

namespace {
// resources/prompts/sena-default.json, embedded at build time (see core/pipeline/CMakeLists.txt).
const char* kBuiltinPrompts =
#include "sena-default.json.inc"
    ;

std::string required(const util::JsonObject& o, const std::string& key) {
    auto v = o.optString(key);
    if (!v || v->empty())
        throw ConfigError(o.where() + ": '" + key + "' is missing or empty");
    return *v;
}

void needs(const util::JsonObject& o, const std::string& key, const std::string& text,
           std::initializer_list<const char*> placeholders) {
    for (const char* p : placeholders)
        if (text.find(std::string("{") + p + "}") == std::string::npos)
            throw ConfigError(o.where() + ": '" + key + "' must contain the placeholder {" + p + "}");
}
}  // namespace

std::string fillTemplate(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [name, value] : values) {
        const std::string token = "{" + name + "}";
        for (size_t pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + value.size()))
            text.replace(pos, token.size(), value);
    }
    return text;
}

PromptSet PromptSet::fromJson(const util::Json& json, const std::string& where) {
    util::JsonObject o(json, where);
    PromptSet p;
    p.name = o.string("name", "unnamed");
    p.selfQuestion = required(o, "self_question");
    p.selfCheckWithImage = required(o, "self_check_with_image");
    p.selfCheckTextOnly = required(o, "self_check_text_only");
    p.questionPrefix = required(o, "question_prefix");
    p.captionSuffix = o.string("caption_suffix", "");
    p.answerSuffix = o.string("answer_suffix", "");
    p.improveWithDescription = required(o, "improve_with_description");
    p.improveWithoutDescription = required(o, "improve_without_description");
    p.improvedPrefix = required(o, "improved_prefix");
    needs(o, "self_check_with_image", p.selfCheckWithImage, {"question"});
    needs(o, "self_check_text_only", p.selfCheckTextOnly, {"question"});
    needs(o, "improve_with_description", p.improveWithDescription, {"description", "question", "answer"});
    needs(o, "improve_without_description", p.improveWithoutDescription, {"question", "answer"});
    if (!json.contains("caption_prompts") || !json["caption_prompts"].is_array() || json["caption_prompts"].empty())
        throw ConfigError(where + ": 'caption_prompts' must be a non-empty list of strings");
    for (const auto& c : json["caption_prompts"]) {
        if (!c.is_string() || c.get<std::string>().empty())
            throw ConfigError(where + ": 'caption_prompts' must hold non-empty strings only");
        p.captionPrompts.push_back(c.get<std::string>());
    }
    return p;
}

PromptSet PromptSet::fromFile(const std::string& path) { return fromJson(util::readJsonFile(path), path); }

PromptSet PromptSet::builtin() { return fromJson(util::Json::parse(kBuiltinPrompts), "built-in prompts"); }

util::Json PromptSet::toJson() const {
    return {{"name", name},
            {"self_question", selfQuestion},
            {"self_check_with_image", selfCheckWithImage},
            {"self_check_text_only", selfCheckTextOnly},
            {"question_prefix", questionPrefix},
            {"caption_prompts", captionPrompts},
            {"caption_suffix", captionSuffix},
            {"answer_suffix", answerSuffix},
            {"improve_with_description", improveWithDescription},
            {"improve_without_description", improveWithoutDescription},
            {"improved_prefix", improvedPrefix}};
}

}  // namespace sena::pipeline
