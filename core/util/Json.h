#pragma once
// Typed access to nlohmann::json objects with errors that name the file and key at fault.
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace sena::util {

using Json = nlohmann::json;

// Parses a JSON file; throws FormatError naming the path and the parser's complaint.
Json readJsonFile(const std::string& path);

// A view of one JSON object that knows where it came from ("config.json: text_config").
class JsonObject {
public:
    JsonObject(const Json& json, std::string where);

    bool has(const std::string& key) const;
    bool isNull(const std::string& key) const;
    const Json& raw() const { return m_json; }
    const std::string& where() const { return m_where; }

    // Return the key's value, or `fallback` when the key is absent or null. A present value of
    // the wrong type throws ConfigError naming the key, the expected type and what was found.
    long long integer(const std::string& key, long long fallback) const;
    double number(const std::string& key, double fallback) const;
    bool boolean(const std::string& key, bool fallback) const;
    std::string string(const std::string& key, const std::string& fallback) const;
    std::optional<long long> optInteger(const std::string& key) const;
    std::optional<double> optNumber(const std::string& key) const;
    std::optional<std::string> optString(const std::string& key) const;
    // Sub-object; absent or null gives an empty object.
    JsonObject object(const std::string& key) const;

    [[noreturn]] void fail(const std::string& key, const std::string& expected) const;

private:
    const Json& at(const std::string& key) const;
    Json m_json;
    std::string m_where;
};

std::string jsonTypeName(const Json& value);

}  // namespace sena::util
