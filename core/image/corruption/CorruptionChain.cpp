#include "image/corruption/CorruptionChain.h"

#include "image/corruption/SeededRandom.h"
#include "util/Error.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace sena::image {

namespace {

std::string trim(const std::string& s) {
    const auto isSpace = [](unsigned char c) { return std::isspace(c) != 0; };
    std::size_t b = 0, e = s.size();
    while (b < e && isSpace(static_cast<unsigned char>(s[b])))
        ++b;
    while (e > b && isSpace(static_cast<unsigned char>(s[e - 1])))
        --e;
    return s.substr(b, e - b);
}

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string rangeText(const CorruptionParameter& p) {
    return std::string(p.integer ? "an integer " : "") + formatCorruptionValue(p.minValue) + " .. " +
           formatCorruptionValue(p.maxValue);
}

// Splits at '+', except a '+' that is an exponent sign ("1e+3": preceded by <digit or .>e).
std::vector<std::string> splitSteps(const std::string& spec) {
    std::vector<std::string> parts;
    std::string current;
    for (std::size_t i = 0; i < spec.size(); ++i) {
        const char c = spec[i];
        const bool exponentSign = c == '+' && i >= 2 && (spec[i - 1] == 'e' || spec[i - 1] == 'E') &&
                                  (std::isdigit(static_cast<unsigned char>(spec[i - 2])) || spec[i - 2] == '.');
        if (c == '+' && !exponentSign) {
            parts.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    parts.push_back(current);
    return parts;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t pos; (pos = s.find(sep, start)) != std::string::npos; start = pos + 1)
        parts.push_back(s.substr(start, pos - start));
    parts.push_back(s.substr(start));
    return parts;
}

// A whole-string decimal number, locale-independent; nullopt-like failure via the bool.
bool parseNumber(const std::string& text, double& out) {
    if (text.empty())
        return false;
    const char* first = text.data();
    const char* last = first + text.size();
    if (*first == '+')  // "sigma=+2" cannot reach here ('+' splits steps) but a JSON string might
        ++first;
    const auto r = std::from_chars(first, last, out);
    return r.ec == std::errc() && r.ptr == last && std::isfinite(out);
}

void checkOrder(const std::vector<CorruptionStep>& steps, const std::string& where) {
    for (std::size_t i = 1; i < steps.size(); ++i) {
        if (steps[i].space() != CorruptionSpace::Image)
            continue;
        for (std::size_t j = 0; j < i; ++j) {
            if (steps[j].space() == CorruptionSpace::Tensor)
                throw ConfigError(
                    where + ": step " + std::to_string(i + 1) + " (" + steps[i].name() +
                    ") is an image-space corruption but comes after the tensor-space step " + std::to_string(j + 1) +
                    " (" + steps[j].name() +
                    "); image-space corruptions edit the 8-bit image before it is normalized into the model "
                    "tensor, and tensor-space ones act on that tensor, so put every image-space step first "
                    "(e.g. \"blur:sigma=2+diffusion:t=600\")");
        }
    }
}

}  // namespace

// ---- CorruptionStep ----------------------------------------------------------------------------

CorruptionStep CorruptionStep::make(const std::string& name, const std::map<std::string, double>& params,
                                    const std::string& where) {
    const CorruptionType* type = findCorruptionType(name);
    if (!type)
        throw ConfigError(where + ": unknown corruption " + quoted(name) + "; known corruptions are " +
                          corruptionTypeNames() + " (or 'none')");
    const std::string at = where + " (" + name + ")";
    std::vector<double> values;
    for (const auto& p : type->parameters)
        values.push_back(p.defaultValue);
    for (const auto& [key, value] : params) {
        const int index = type->parameterIndex(key);
        if (index < 0)
            throw ConfigError(at + ": " + quoted(name) + " has no parameter " + quoted(key) + "; its parameters are " +
                              type->parameterSummary());
        const CorruptionParameter& p = type->parameters[static_cast<std::size_t>(index)];
        if (!std::isfinite(value))
            throw ConfigError(at + ": " + key + " is not a finite number; allowed " + rangeText(p));
        if (value < p.minValue || value > p.maxValue)
            throw ConfigError(at + ": " + key + " = " + formatCorruptionValue(value) + " is out of range; allowed " +
                              rangeText(p));
        if (p.integer && std::trunc(value) != value)
            throw ConfigError(at + ": " + key + " = " + formatCorruptionValue(value) + " must be an integer; allowed " +
                              rangeText(p));
        values[static_cast<std::size_t>(index)] = value + 0.0;  // + 0.0 turns -0 into 0 for equality/printing
    }
    return CorruptionStep(type, std::move(values));
}

double CorruptionStep::value(const std::string& key) const {
    const int index = m_type->parameterIndex(key);
    if (index < 0)
        throw ConfigError("corruption " + quoted(name()) + " has no parameter " + quoted(key) +
                          "; its parameters are " + m_type->parameterSummary());
    return m_values[static_cast<std::size_t>(index)];
}

CorruptionStep CorruptionStep::with(const std::string& key, double value) const {
    std::map<std::string, double> params;
    for (std::size_t i = 0; i < m_values.size(); ++i)
        params[m_type->parameters[i].name] = m_values[i];
    if (m_type->parameterIndex(key) < 0)
        throw ConfigError("corruption " + quoted(name()) + " has no parameter " + quoted(key) +
                          "; its parameters are " + m_type->parameterSummary());
    params[key] = value;
    return make(name(), params);
}

std::string CorruptionStep::toString() const {
    std::string out = name();
    for (std::size_t i = 0; i < m_values.size(); ++i)
        out += (i == 0 ? ":" : ",") + m_type->parameters[i].name + "=" + formatCorruptionValue(m_values[i]);
    return out;
}

util::Json CorruptionStep::toJson() const {
    util::Json params = util::Json::object();
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        const CorruptionParameter& p = m_type->parameters[i];
        if (p.integer)
            params[p.name] = static_cast<long long>(m_values[i]);
        else
            params[p.name] = m_values[i];
    }
    return {{"name", name()}, {"params", params}};
}

// ---- CorruptionChain ---------------------------------------------------------------------------

CorruptionChain::CorruptionChain(std::vector<CorruptionStep> steps) : m_steps(std::move(steps)) {
    checkOrder(m_steps, "corruption chain");
}

CorruptionChain CorruptionChain::parse(const std::string& spec) {
    const std::string where = "corruption spec \"" + spec + "\"";
    const std::string whole = lower(trim(spec));
    if (whole.empty() || whole == "none")
        return CorruptionChain();
    const std::vector<std::string> parts = splitSteps(spec);
    std::vector<CorruptionStep> steps;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string stepWhere = where + ", step " + std::to_string(i + 1);
        const std::string text = lower(trim(parts[i]));
        if (text.empty())
            throw ConfigError(stepWhere + " is empty: steps are joined by single '+' signs, with none at either end");
        if (text == "none")
            throw ConfigError(stepWhere + ": 'none' means no corruption and cannot be combined with other steps");
        const std::size_t colon = text.find(':');
        const std::string name = trim(text.substr(0, colon));
        const CorruptionType* type = findCorruptionType(name);
        if (!type)  // let make() word the unknown-name error
            CorruptionStep::make(name, {}, stepWhere);
        std::map<std::string, double> params;
        if (colon != std::string::npos && !trim(text.substr(colon + 1)).empty()) {
            for (const std::string& item : split(text.substr(colon + 1), ',')) {
                const std::string at = stepWhere + " (" + name + ")";
                const std::string param = trim(item);
                if (param.empty())
                    throw ConfigError(at + ": empty parameter; write key=value pairs separated by single commas, "
                                           "e.g. \"" + type->parameters.front().name + "=" +
                                      formatCorruptionValue(type->parameters.front().defaultValue) + "\"");
                const std::size_t eq = param.find('=');
                const std::string key = trim(param.substr(0, eq));
                if (type->parameterIndex(key) < 0)  // unknown key first: it is the more likely typo
                    CorruptionStep::make(name, {{key, 0.0}}, stepWhere);
                const CorruptionParameter& p = type->parameters[static_cast<std::size_t>(type->parameterIndex(key))];
                if (eq == std::string::npos)
                    throw ConfigError(at + ": " + quoted(key) + " needs a value, e.g. " + key + "=" +
                                      formatCorruptionValue(p.defaultValue) + "; allowed " + rangeText(p));
                if (params.count(key))
                    throw ConfigError(at + ": " + quoted(key) + " is given twice");
                const std::string valueText = trim(param.substr(eq + 1));
                double value = 0;
                if (!parseNumber(valueText, value))
                    throw ConfigError(at + ": " + key + " = " + quoted(valueText) + " is not a number; allowed " +
                                      rangeText(p));
                params[key] = value;
            }
        }
        steps.push_back(CorruptionStep::make(name, params, stepWhere));
    }
    checkOrder(steps, where);
    CorruptionChain chain;
    chain.m_steps = std::move(steps);
    return chain;
}

CorruptionChain CorruptionChain::fromJson(const util::Json& json, const std::string& where) {
    if (json.is_null())
        return CorruptionChain();
    if (json.is_string()) {
        try {
            return parse(json.get<std::string>());
        } catch (const ConfigError& e) {
            throw ConfigError(where + ": " + e.what());
        }
    }
    if (!json.is_array())
        throw ConfigError(where + ": expected a list of {\"name\", \"params\"} steps or a spec string, found " +
                          util::jsonTypeName(json));
    std::vector<CorruptionStep> steps;
    for (std::size_t i = 0; i < json.size(); ++i) {
        const std::string at = where + "[" + std::to_string(i) + "]";
        const util::Json& item = json[i];
        if (!item.is_object() || !item.contains("name") || !item["name"].is_string())
            throw ConfigError(at + ": expected an object with a string \"name\" (and an optional \"params\" object)");
        for (const auto& member : item.items())
            if (member.key() != "name" && member.key() != "params")
                throw ConfigError(at + ": unexpected member " + quoted(member.key()) + "; a step has \"name\" and \"params\"");
        std::map<std::string, double> params;
        if (item.contains("params") && !item["params"].is_null()) {
            if (!item["params"].is_object())
                throw ConfigError(at + ".params: expected an object of numbers, found " +
                                  util::jsonTypeName(item["params"]));
            for (const auto& member : item["params"].items()) {
                if (!member.value().is_number())
                    throw ConfigError(at + ".params." + member.key() + ": expected a number, found " +
                                      util::jsonTypeName(member.value()));
                params[member.key()] = member.value().get<double>();
            }
        }
        steps.push_back(CorruptionStep::make(item["name"].get<std::string>(), params, at));
    }
    checkOrder(steps, where);
    CorruptionChain chain;
    chain.m_steps = std::move(steps);
    return chain;
}

std::string CorruptionChain::toString() const {
    if (m_steps.empty())
        return "none";
    std::string out;
    for (const auto& step : m_steps)
        out += (out.empty() ? "" : "+") + step.toString();
    return out;
}

util::Json CorruptionChain::toJson() const {
    util::Json out = util::Json::array();
    for (const auto& step : m_steps)
        out.push_back(step.toJson());
    return out;
}

bool CorruptionChain::hasTensorSteps() const {
    return std::any_of(m_steps.begin(), m_steps.end(),
                       [](const CorruptionStep& s) { return s.space() == CorruptionSpace::Tensor; });
}

std::uint64_t CorruptionChain::stepSeed(std::uint64_t seed, std::size_t index) const {
    if (index >= m_steps.size())
        throw InputError("corruption chain: step index " + std::to_string(index) + " is out of range (" +
                         std::to_string(m_steps.size()) + " steps)");
    std::uint64_t sameKindBefore = 0;
    for (std::size_t i = 0; i < index; ++i)
        sameKindBefore += m_steps[i].name() == m_steps[index].name() ? 1 : 0;
    return deriveSeed(seed, m_steps[index].name(), sameKindBefore);
}

}  // namespace sena::image
