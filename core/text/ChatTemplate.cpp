#include "text/ChatTemplate.h"

#include "util/Error.h"

namespace sena::text {

namespace {

// The system sentence of the Vicuna-style template, in this project's own words.
const char* const kVicunaSystem =
    "A curious person is talking with an artificial intelligence assistant. The assistant answers the "
    "person's questions helpfully, in detail and politely.";

util::Json builtinJson(const std::string& name) {
    if (name == "llava-vicuna-v1")
        return {{"name", name},
                {"default_system", kVicunaSystem},
                {"image", "<image>\n"},
                {"generation_prompt", "ASSISTANT:"},
                {"system", {{"prefix", ""}, {"suffix", " "}}},
                {"user", {{"prefix", "USER: "}, {"suffix", " "}}},
                {"assistant", {{"prefix", "ASSISTANT: "}, {"suffix", "</s>"}}}};
    if (name == "llava-hf")
        return {{"name", name},
                {"default_system", ""},
                {"image", "<image>\n"},
                {"generation_prompt", "ASSISTANT:"},
                {"system", {{"prefix", ""}, {"suffix", " "}}},
                {"user", {{"prefix", "USER: "}, {"suffix", " "}}},
                {"assistant", {{"prefix", "ASSISTANT: "}, {"suffix", " "}}}};
    if (name == "chatml")
        return {{"name", name},
                {"default_system", ""},
                {"image", "<image>\n"},
                {"generation_prompt", "<|im_start|>assistant\n"},
                {"system", {{"prefix", "<|im_start|>system\n"}, {"suffix", "<|im_end|>\n"}}},
                {"user", {{"prefix", "<|im_start|>user\n"}, {"suffix", "<|im_end|>\n"}}},
                {"assistant", {{"prefix", "<|im_start|>assistant\n"}, {"suffix", "<|im_end|>\n"}}}};
    return nullptr;
}

}  // namespace

std::vector<std::string> ChatTemplate::builtinNames() {
    return {"llava-vicuna-v1", "llava-hf", "chatml"};
}

ChatTemplate ChatTemplate::builtin(const std::string& name) {
    const util::Json json = builtinJson(name);
    if (json.is_null()) {
        std::string names;
        for (const std::string& known : builtinNames())
            names += (names.empty() ? "" : ", ") + known;
        throw ConfigError("chat template '" + name + "' is not built in; choose one of " + names +
                          " or give a template JSON file");
    }
    return fromJson(json, "built-in chat template '" + name + "'");
}

ChatTemplate ChatTemplate::fromFile(const std::string& path) {
    return fromJson(util::readJsonFile(path), "'" + path + "'");
}

ChatTemplate ChatTemplate::fromJson(const util::Json& json, const std::string& where) {
    const util::JsonObject root(json, where);
    ChatTemplate result;
    result.m_name = root.string("name", "custom");
    result.m_defaultSystem = root.string("default_system", "");
    result.m_image = root.string("image", "<image>\n");
    result.m_generationPrompt = root.string("generation_prompt", "");
    const auto readTurn = [&root](const char* role) {
        if (!root.has(role) || !root.raw().at(role).is_object())
            root.fail(role, "an object with \"prefix\" and \"suffix\"");
        const util::JsonObject turn = root.object(role);
        return Turn{turn.string("prefix", ""), turn.string("suffix", "")};
    };
    result.m_system = readTurn("system");
    result.m_user = readTurn("user");
    result.m_assistant = readTurn("assistant");
    if (result.m_image.empty())
        root.fail("image", "a non-empty placeholder such as \"<image>\\n\"");
    return result;
}

util::Json ChatTemplate::toJson() const {
    return {{"name", m_name},
            {"default_system", m_defaultSystem},
            {"image", m_image},
            {"generation_prompt", m_generationPrompt},
            {"system", {{"prefix", m_system.prefix}, {"suffix", m_system.suffix}}},
            {"user", {{"prefix", m_user.prefix}, {"suffix", m_user.suffix}}},
            {"assistant", {{"prefix", m_assistant.prefix}, {"suffix", m_assistant.suffix}}}};
}

std::string ChatTemplate::render(const std::vector<ChatMessage>& messages, bool addGenerationPrompt) const {
    std::string out;
    const auto renderTurn = [this, &out](const Turn& turn, const ChatMessage& message) {
        if (message.images < 0)
            throw InputError("a chat message cannot have " + std::to_string(message.images) + " images");
        out += turn.prefix;
        for (int i = 0; i < message.images; ++i)
            out += m_image;
        out += message.text;
        out += turn.suffix;
    };
    const bool hasSystem = !messages.empty() && messages.front().role == "system";
    if (!hasSystem && !m_defaultSystem.empty())
        renderTurn(m_system, ChatMessage{"system", m_defaultSystem, 0});
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const ChatMessage& message = messages[i];
        if (message.role == "system") {
            if (i != 0)
                throw InputError("chat message " + std::to_string(i) +
                                 " is a system message; only the first message may be one");
            renderTurn(m_system, message);
        } else if (message.role == "user") {
            renderTurn(m_user, message);
        } else if (message.role == "assistant") {
            renderTurn(m_assistant, message);
        } else {
            throw InputError("chat message " + std::to_string(i) + " has role '" + message.role +
                             "'; expected system, user or assistant");
        }
    }
    if (addGenerationPrompt)
        out += m_generationPrompt;
    return out;
}

}  // namespace sena::text
