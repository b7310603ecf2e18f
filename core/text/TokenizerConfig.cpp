#include "text/TokenizerConfig.h"

#include "util/Error.h"

#include <filesystem>
#include <set>

namespace sena::text {

namespace fs = std::filesystem;

namespace {

// A token value as HF writes it: "…", {"content": "…", "lstrip": …, …} (optionally with
// "__type": "AddedToken"), or null.
std::optional<AddedToken> parseTokenValue(const util::Json& value, const std::string& where, bool specialByDefault) {
    if (value.is_null())
        return std::nullopt;
    AddedToken token;
    token.special = specialByDefault;
    if (value.is_string()) {
        token.content = value.get<std::string>();
    } else if (value.is_object()) {
        const util::JsonObject object(value, where);
        token.content = object.string("content", "");
        token.lstrip = object.boolean("lstrip", false);
        token.rstrip = object.boolean("rstrip", false);
        token.singleWord = object.boolean("single_word", false);
        token.special = object.boolean("special", specialByDefault);
        token.id = static_cast<int>(object.integer("id", -1));
    } else {
        throw ConfigError(where + " must be a string, an AddedToken object or null, found " + util::jsonTypeName(value));
    }
    if (token.content.empty())
        throw ConfigError(where + " has empty content");
    return token;
}

}  // namespace

TokenizerConfig TokenizerConfig::readFolder(const std::string& folder) {
    TokenizerConfig config;
    const fs::path base(folder.empty() ? "." : folder);
    // Order matters: special_tokens_map.json overrides tokenizer_config.json, as in HF.
    if (fs::exists(base / "tokenizer_config.json"))
        config.readTokenizerConfig((base / "tokenizer_config.json").string());
    if (fs::exists(base / "special_tokens_map.json"))
        config.readSpecialTokensMap((base / "special_tokens_map.json").string());
    if (fs::exists(base / "added_tokens.json"))
        config.readAddedTokensJson((base / "added_tokens.json").string());
    return config;
}

void TokenizerConfig::readRoles(const util::JsonObject& object, const std::string& path) {
    const std::pair<const char*, RoleToken*> roles[] = {
        {"bos_token", &m_bos}, {"eos_token", &m_eos}, {"pad_token", &m_pad}, {"unk_token", &m_unk}};
    for (const auto& [key, role] : roles) {
        if (!object.has(key))
            continue;
        role->mentioned = true;
        role->file = path;
        role->token = parseTokenValue(object.raw().at(key), "'" + path + "': " + key, true);
    }
    // transformers 5 renamed additional_special_tokens to extra_special_tokens.
    for (const char* key : {"additional_special_tokens", "extra_special_tokens"}) {
        if (!object.has(key) || object.isNull(key))
            continue;
        // A list of tokens, or (multimodal configs) an object of name → token.
        const util::Json& list = object.raw().at(key);
        if (!list.is_array() && !list.is_object())
            object.fail(key, "an array or object of tokens");
        m_additionalSpecial.clear();
        m_additionalSpecialFile = path;
        for (const auto& item : list.items())
            if (auto token = parseTokenValue(item.value(), "'" + path + "': " + key + "[" + item.key() + "]", true))
                m_additionalSpecial.push_back(*token);
    }
}

void TokenizerConfig::readTokenizerConfig(const std::string& path) {
    const util::Json json = util::readJsonFile(path);
    const util::JsonObject object(json, "'" + path + "'");
    m_filesRead.push_back(path);
    if (object.has("added_tokens_decoder") && !object.isNull("added_tokens_decoder")) {
        const util::Json& decoder = object.raw().at("added_tokens_decoder");
        if (!decoder.is_object())
            object.fail("added_tokens_decoder", "an object of id → token");
        for (const auto& [key, value] : decoder.items()) {
            const std::string where = "'" + path + "': added_tokens_decoder[\"" + key + "\"]";
            std::size_t used = 0;
            int id = -1;
            try {
                id = std::stoi(key, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != key.size() || id < 0)
                throw ConfigError(where + ": the key must be a non-negative token id");
            auto token = parseTokenValue(value, where, false);
            if (!token)
                throw ConfigError(where + " is null; expected a token object");
            token->id = id;
            m_addedTokens.push_back(*token);
        }
    }
    readRoles(object, path);
    if (auto value = object.raw().find("add_bos_token"); value != object.raw().end() && !value->is_null())
        m_addBos = object.boolean("add_bos_token", true);
    if (!object.isNull("legacy"))
        m_legacy = object.boolean("legacy", true);
    if (!object.isNull("add_prefix_space"))
        m_addPrefixSpace = object.boolean("add_prefix_space", true);
}

void TokenizerConfig::readSpecialTokensMap(const std::string& path) {
    const util::Json json = util::readJsonFile(path);
    m_filesRead.push_back(path);
    readRoles(util::JsonObject(json, "'" + path + "'"), path);
}

void TokenizerConfig::readAddedTokensJson(const std::string& path) {
    const util::Json json = util::readJsonFile(path);
    m_filesRead.push_back(path);
    if (!json.is_object())
        throw ConfigError("'" + path + "' must be an object of token → id, found " + util::jsonTypeName(json));
    for (const auto& [content, value] : json.items()) {
        if (!value.is_number_integer() || value.get<long long>() < 0 || value.get<long long>() > (1LL << 24))
            throw ConfigError("'" + path + "': token '" + content + "' has id " + value.dump() +
                              "; expected a non-negative integer");
        AddedToken token;
        token.content = content;
        token.id = value.get<int>();
        token.special = false;  // made special below if a special-token list names it
        m_addedTokens.push_back(token);
    }
}

SpecialTokenIds TokenizerConfig::apply(Tokenizer& tokenizer, SpecialTokenIds ids) const {
    // Tokens named as special anywhere are special, whichever file added them.
    const auto namedSpecial = [this](const std::string& content) {
        for (const RoleToken* role : {&m_bos, &m_eos, &m_pad, &m_unk})
            if (role->token && role->token->content == content)
                return true;
        for (const AddedToken& token : m_additionalSpecial)
            if (token.content == content)
                return true;
        return false;
    };
    std::set<std::string> alreadyAdded;
    for (AddedToken token : m_addedTokens) {
        token.special = token.special || namedSpecial(token.content);
        tokenizer.addToken(token);
        alreadyAdded.insert(token.content);
    }
    // A special token is matched whole in raw text even when it only lives in the model's own
    // vocabulary (HF's no-split rule); register it as an added token if it is not one yet.
    const auto resolve = [&tokenizer, &alreadyAdded](const AddedToken& token, const std::string& file, const char* key) {
        const int id = tokenizer.tokenId(token.content);
        if (id < 0)
            throw ConfigError("'" + file + "': " + key + " '" + token.content +
                              "' is neither in the vocabulary nor among the added tokens; fix the file or add "
                              "the token to added_tokens_decoder");
        if (token.id >= 0 && token.id != id)
            throw ConfigError("'" + file + "': " + key + " '" + token.content + "' says id " +
                              std::to_string(token.id) + " but the vocabulary has it as " + std::to_string(id));
        if (alreadyAdded.insert(token.content).second) {
            AddedToken added = token;
            added.id = id;
            added.special = true;
            tokenizer.addToken(added);
        }
        return id;
    };
    const std::pair<const RoleToken*, std::optional<int>*> roles[] = {
        {&m_bos, &ids.bos}, {&m_eos, &ids.eos}, {&m_pad, &ids.pad}, {&m_unk, &ids.unk}};
    const char* keys[] = {"bos_token", "eos_token", "pad_token", "unk_token"};
    for (std::size_t i = 0; i < 4; ++i) {
        const RoleToken& role = *roles[i].first;
        if (!role.mentioned)
            continue;
        *roles[i].second = role.token ? std::optional<int>(resolve(*role.token, role.file, keys[i])) : std::nullopt;
    }
    for (const AddedToken& token : m_additionalSpecial)
        resolve(token, m_additionalSpecialFile, "additional special token");
    if (m_addBos)
        ids.addBos = *m_addBos;
    tokenizer.setSpecialIds(ids);
    return ids;
}

}  // namespace sena::text
