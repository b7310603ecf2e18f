#include "model/LoraConfig.h"

#include "util/AtomicFile.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace sena::model {
namespace fs = std::filesystem;

namespace {

// Python's re and std::regex (ECMAScript) agree on the patterns adapters use in practice;
// Python-only syntax such as (?P<name>…) fails to compile and is reported, not misread.
std::regex compile(const std::string& pattern, const std::string& what) {
    try {
        return std::regex(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        throw ConfigError(what + " '" + pattern + "' is not a regular expression this build understands (" +
                          e.what() + "); write it in the common subset of Python and ECMAScript regex syntax");
    }
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isAllLinear(const std::string& regex) {
    std::string lower = regex;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower == "all-linear";
}

// PEFT's list rule: the key itself, or a dotted suffix of it.
bool listMatches(const std::vector<std::string>& names, const std::string& key) {
    for (const auto& n : names)
        if (key == n || endsWith(key, "." + n))
            return true;
    return false;
}

// PEFT's get_pattern_key: re.match(rf"(.*\.)?({pattern})$", key), first pattern wins.
template <typename T>
const T* patternValue(const std::vector<std::pair<std::string, T>>& patterns, const std::string& key) {
    for (const auto& [pattern, value] : patterns)
        if (std::regex_match(key, compile("(.*\\.)?(" + pattern + ")", "rank_pattern/alpha_pattern key")))
            return &value;
    return nullptr;
}

std::string joinList(const std::vector<std::string>& names) {
    std::string out = "[";
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? ", " : "") + names[i];
    return out + "]";
}

using OJson = nlohmann::ordered_json;

bool isSet(const OJson& v) {
    if (v.is_null())
        return false;
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_string())
        return !v.get<std::string>().empty();
    if (v.is_array() || v.is_object())
        return !v.empty();
    return true;
}

class Reader {
public:
    Reader(const OJson& json, std::string where) : m_json(json), m_where(std::move(where)) {}

    bool has(const char* key) const { return m_json.contains(key) && !m_json.at(key).is_null(); }
    const OJson& at(const char* key) const { return m_json.at(key); }

    [[noreturn]] void fail(const char* key, const std::string& message) const {
        throw ConfigError(m_where + ": '" + key + "' " + message);
    }
    bool boolean(const char* key, bool fallback) const {
        if (!has(key))
            return fallback;
        if (!at(key).is_boolean())
            fail(key, "must be true or false, found " + at(key).dump());
        return at(key).get<bool>();
    }
    double number(const char* key, double fallback) const {
        if (!has(key))
            return fallback;
        if (!at(key).is_number())
            fail(key, "must be a number, found " + at(key).dump());
        return at(key).get<double>();
    }
    std::string string(const char* key, const std::string& fallback) const {
        if (!has(key))
            return fallback;
        if (!at(key).is_string())
            fail(key, "must be a string, found " + at(key).dump());
        return at(key).get<std::string>();
    }
    // A string (regex) or a list of strings, into one of the two outputs.
    void names(const char* key, std::vector<std::string>& list, std::string& regex) const {
        list.clear();
        regex.clear();
        if (!has(key))
            return;
        if (at(key).is_string()) {
            regex = at(key).get<std::string>();
            return;
        }
        if (!at(key).is_array())
            fail(key, "must be a regex string or a list of module names, found " + at(key).dump());
        for (const auto& v : at(key)) {
            if (!v.is_string())
                fail(key, "holds a non-string entry " + v.dump());
            list.push_back(v.get<std::string>());
        }
    }

private:
    const OJson& m_json;
    std::string m_where;
};

}  // namespace

bool LoraConfig::targets(const std::string& key) const {
    if (!excludeRegex.empty() && std::regex_match(key, compile(excludeRegex, "exclude_modules")))
        return false;
    if (listMatches(excludeModules, key))
        return false;
    if (!targetModules.empty())
        return listMatches(targetModules, key);
    if (isAllLinear(targetRegex))
        return key != "lm_head";
    return !targetRegex.empty() && std::regex_match(key, compile(targetRegex, "target_modules"));
}

int64_t LoraConfig::rankFor(const std::string& key) const {
    const auto* v = patternValue(rankPattern, key);
    return v ? *v : r;
}

double LoraConfig::alphaFor(const std::string& key) const {
    const auto* v = patternValue(alphaPattern, key);
    return v ? *v : loraAlpha;
}

double LoraConfig::scalingFor(const std::string& key) const {
    const double rank = static_cast<double>(rankFor(key));
    return alphaFor(key) / (useRslora ? std::sqrt(rank) : rank);
}

std::string LoraConfig::describeTargets() const {
    std::string out = !targetModules.empty() ? "list " + joinList(targetModules) : "regex '" + targetRegex + "'";
    if (!excludeRegex.empty())
        out += " excluding regex '" + excludeRegex + "'";
    else if (!excludeModules.empty())
        out += " excluding " + joinList(excludeModules);
    return out;
}

void LoraConfig::validate(const std::string& where) const {
    if (r <= 0)
        throw ConfigError(where + ": LoRA rank r must be positive, got " + std::to_string(r));
    if (!(loraDropout >= 0 && loraDropout < 1))
        throw ConfigError(where + ": lora_dropout must be in [0, 1), got " + std::to_string(loraDropout));
    if (!std::isfinite(loraAlpha))
        throw ConfigError(where + ": lora_alpha must be a finite number");
    if (targetRegex.empty() && targetModules.empty())
        throw ConfigError(where + ": target_modules is empty; name the layers to adapt (a list such as "
                                  "[\"q_proj\", \"v_proj\"] or a regex)");
    if (targetModules.empty() && !isAllLinear(targetRegex))
        compile(targetRegex, where + ": target_modules");
    if (!excludeRegex.empty() && !excludeModules.empty())
        throw ConfigError(where + ": exclude_modules is either a regex or a list of names, not both");
    if (!excludeRegex.empty())
        compile(excludeRegex, where + ": exclude_modules");
    for (const auto& [pattern, rank] : rankPattern) {
        compile("(.*\\.)?(" + pattern + ")", where + ": rank_pattern key");
        if (rank <= 0)
            throw ConfigError(where + ": rank_pattern['" + pattern + "'] must be positive");
    }
    for (const auto& [pattern, alpha] : alphaPattern) {
        compile("(.*\\.)?(" + pattern + ")", where + ": alpha_pattern key");
        if (!std::isfinite(alpha))
            throw ConfigError(where + ": alpha_pattern['" + pattern + "'] must be a finite number");
    }
    if (initLoraWeights != "true" && initLoraWeights != "false" && initLoraWeights != "gaussian" &&
        initLoraWeights != "eva")
        throw ConfigError(where + ": init_lora_weights '" + initLoraWeights +
                          "' is not supported; it may change the base weights at initialisation. Convert the "
                          "adapter with PEFT (save_pretrained(path_initial_model_for_weight_conversion=…)) first");
}

LoraConfig LoraConfig::fromJsonText(const std::string& text, const std::string& where) {
    OJson json;
    try {
        json = OJson::parse(text);  // ordered: rank_pattern's first match depends on file order
    } catch (const OJson::exception& e) {
        throw FormatError("'" + where + "' is not valid JSON: " + e.what());
    }
    if (!json.is_object())
        throw FormatError("'" + where + "' must hold a JSON object");
    Reader in(json, where);
    const std::string peftType = in.string("peft_type", "");
    if (peftType != "LORA")
        throw ConfigError(where + ": peft_type is '" + peftType + "'; only LoRA adapters (\"LORA\") are supported");

    // Refusals by name: each of these changes what the adapter computes or which weights it holds.
    if (in.boolean("use_dora", false))
        throw ConfigError(where + ": DoRA adapters (use_dora: true) are not supported; merge the adapter into the "
                                  "model with PEFT (merge_and_unload) and load the merged model, or train plain LoRA");
    if (in.boolean("fan_in_fan_out", false))
        throw ConfigError(where + ": fan_in_fan_out: true is for GPT-2 style Conv1D layers; LLaVA has none, so this "
                                  "adapter was made for another model");
    if (const std::string bias = in.string("bias", "none"); bias != "none")
        throw ConfigError(where + ": bias '" + bias + "' trains the base layers' biases, which this engine does not "
                          "support; use bias \"none\"");
    if (in.boolean("lora_bias", false))
        throw ConfigError(where + ": lora_bias: true (a bias on lora_B) is not supported");
    if (in.has("modules_to_save") && isSet(in.at("modules_to_save")))
        throw ConfigError(where + ": modules_to_save " + in.at("modules_to_save").dump() +
                          " (fully trained copies of whole modules) is not supported yet; merge the adapter with "
                          "PEFT and load the merged model instead");
    for (const char* key : {"layers_to_transform", "layer_replication", "use_qalora", "target_parameters",
                            "trainable_token_indices", "alora_invocation_tokens", "use_bdlora", "arrow_config"})
        if (in.has(key) && isSet(in.at(key)))
            throw ConfigError(where + ": '" + key + "' = " + in.at(key).dump() + " is not supported by this engine");

    LoraConfig c;
    if (!in.has("r") || !in.at("r").is_number_integer())
        throw ConfigError(where + ": 'r' (the LoRA rank) is missing or not an integer");
    c.r = in.at("r").get<int64_t>();
    c.loraAlpha = in.number("lora_alpha", 8);
    c.loraDropout = in.number("lora_dropout", 0);
    c.useRslora = in.boolean("use_rslora", false);
    if (!in.has("target_modules"))
        throw ConfigError(where + ": target_modules is missing; PEFT writes the resolved list on save, so this "
                                  "file was not written by PEFT's save_pretrained");
    in.names("target_modules", c.targetModules, c.targetRegex);
    in.names("exclude_modules", c.excludeModules, c.excludeRegex);
    for (const char* key : {"rank_pattern", "alpha_pattern"}) {
        if (!in.has(key))
            continue;
        if (!in.at(key).is_object())
            in.fail(key, "must be an object of pattern → value");
        for (const auto& [pattern, value] : in.at(key).items()) {
            const bool rank = std::string(key) == "rank_pattern";
            if (rank ? !value.is_number_integer() : !value.is_number())
                in.fail(key, "['" + pattern + "'] must be " + (rank ? "an integer" : "a number"));
            if (rank)
                c.rankPattern.emplace_back(pattern, value.get<int64_t>());
            else
                c.alphaPattern.emplace_back(pattern, value.get<double>());
        }
    }
    if (in.has("init_lora_weights")) {
        const auto& v = in.at("init_lora_weights");
        if (v.is_boolean())
            c.initLoraWeights = v.get<bool>() ? "true" : "false";
        else if (v.is_string())
            c.initLoraWeights = v.get<std::string>();
        else
            in.fail("init_lora_weights", "must be true, false or an initialiser name");
    }
    c.baseModelNameOrPath = in.string("base_model_name_or_path", "");
    c.taskType = in.string("task_type", "");
    c.validate(where);
    return c;
}

LoraConfig LoraConfig::fromFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FormatError("cannot open '" + path + "'");
    std::stringstream buf;
    buf << in.rdbuf();
    return fromJsonText(buf.str(), path);
}

std::string LoraConfig::toJsonText() const {
    nlohmann::json j = nlohmann::json::object();  // sorted keys, as PEFT writes them
    auto alphaValue = [](double a) -> nlohmann::json {
        if (a == std::floor(a) && std::abs(a) < 1e15)
            return static_cast<int64_t>(a);
        return a;
    };
    j["alpha_pattern"] = nlohmann::json::object();
    for (const auto& [pattern, alpha] : alphaPattern)
        j["alpha_pattern"][pattern] = alphaValue(alpha);
    j["auto_mapping"] = nullptr;
    j["base_model_name_or_path"] = baseModelNameOrPath.empty() ? nlohmann::json() : nlohmann::json(baseModelNameOrPath);
    j["bias"] = "none";
    if (!excludeRegex.empty())
        j["exclude_modules"] = excludeRegex;
    else if (!excludeModules.empty())
        j["exclude_modules"] = excludeModules;
    j["fan_in_fan_out"] = false;
    j["inference_mode"] = true;
    if (initLoraWeights == "true" || initLoraWeights == "false")
        j["init_lora_weights"] = initLoraWeights == "true";
    else
        j["init_lora_weights"] = initLoraWeights;
    j["layer_replication"] = nullptr;
    j["layers_pattern"] = nullptr;
    j["layers_to_transform"] = nullptr;
    j["loftq_config"] = nlohmann::json::object();
    j["lora_alpha"] = alphaValue(loraAlpha);
    j["lora_dropout"] = loraDropout;
    j["megatron_config"] = nullptr;
    j["megatron_core"] = "megatron.core";
    j["modules_to_save"] = nullptr;
    j["peft_type"] = "LORA";
    j["r"] = r;
    j["rank_pattern"] = nlohmann::json::object();
    for (const auto& [pattern, rank] : rankPattern)
        j["rank_pattern"][pattern] = rank;
    j["revision"] = nullptr;
    if (!targetModules.empty())
        j["target_modules"] = targetModules;
    else
        j["target_modules"] = targetRegex;
    j["task_type"] = taskType.empty() ? "CAUSAL_LM" : taskType;
    j["use_dora"] = false;
    j["use_rslora"] = useRslora;
    return j.dump(2) + "\n";
}

void LoraConfig::writeFile(const std::string& path) const {
    const std::string text = toJsonText();
    util::writeFileAtomically(path, [&](std::ostream& out) { out << text; });
}

}  // namespace sena::model
