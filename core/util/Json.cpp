#include "util/Json.h"

#include <fstream>
#include <sstream>

namespace sena::util {

Json readJsonFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FormatError("cannot open '" + path + "'");
    std::stringstream buf;
    buf << in.rdbuf();
    try {
        return Json::parse(buf.str());
    } catch (const Json::exception& e) {
        throw FormatError("'" + path + "' is not valid JSON: " + e.what());
    }
}

std::string jsonTypeName(const Json& value) {
    return value.type_name();
}

JsonObject::JsonObject(const Json& json, std::string where) : m_json(json), m_where(std::move(where)) {
    if (!m_json.is_object() && !m_json.is_null())
        throw ConfigError(m_where + ": expected a JSON object, found " + jsonTypeName(m_json));
    if (m_json.is_null())
        m_json = Json::object();
}

bool JsonObject::has(const std::string& key) const { return m_json.contains(key); }

bool JsonObject::isNull(const std::string& key) const {
    return !m_json.contains(key) || m_json.at(key).is_null();
}

const Json& JsonObject::at(const std::string& key) const { return m_json.at(key); }

void JsonObject::fail(const std::string& key, const std::string& expected) const {
    std::string found = has(key) ? jsonTypeName(at(key)) + " " + at(key).dump() : "nothing";
    if (found.size() > 80)
        found = found.substr(0, 77) + "...";
    throw ConfigError(m_where + ": '" + key + "' must be " + expected + ", found " + found);
}

std::optional<long long> JsonObject::optInteger(const std::string& key) const {
    if (isNull(key))
        return std::nullopt;
    const Json& v = at(key);
    if (v.is_number_integer() || v.is_number_unsigned())
        return v.get<long long>();
    if (v.is_number_float()) {
        double d = v.get<double>();
        if (d == static_cast<double>(static_cast<long long>(d)))
            return static_cast<long long>(d);
    }
    fail(key, "an integer");
}

std::optional<double> JsonObject::optNumber(const std::string& key) const {
    if (isNull(key))
        return std::nullopt;
    const Json& v = at(key);
    if (!v.is_number())
        fail(key, "a number");
    return v.get<double>();
}

std::optional<std::string> JsonObject::optString(const std::string& key) const {
    if (isNull(key))
        return std::nullopt;
    const Json& v = at(key);
    if (!v.is_string())
        fail(key, "a string");
    return v.get<std::string>();
}

long long JsonObject::integer(const std::string& key, long long fallback) const {
    return optInteger(key).value_or(fallback);
}

double JsonObject::number(const std::string& key, double fallback) const {
    return optNumber(key).value_or(fallback);
}

bool JsonObject::boolean(const std::string& key, bool fallback) const {
    if (isNull(key))
        return fallback;
    const Json& v = at(key);
    if (!v.is_boolean())
        fail(key, "true or false");
    return v.get<bool>();
}

std::string JsonObject::string(const std::string& key, const std::string& fallback) const {
    return optString(key).value_or(fallback);
}

JsonObject JsonObject::object(const std::string& key) const {
    if (isNull(key))
        return JsonObject(Json::object(), m_where + "." + key);
    const Json& v = at(key);
    if (!v.is_object())
        fail(key, "an object");
    return JsonObject(v, m_where + "." + key);
}

}  // namespace sena::util
