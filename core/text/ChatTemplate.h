#pragma once
// Chat templates as data: a small JSON description of how each role's turn is wrapped, instead of
// Jinja. Three are built in:
//   "llava-vicuna-v1"  LLaVA-1.5's training format: "<system> USER: <image>\n{q} ASSISTANT:", a
//                      finished assistant turn ends with "</s>".
//   "llava-hf"         the llava-hf processor's template: "USER: <image>\n{q} ASSISTANT:" (no
//                      default system sentence; assistant turns end with a space).
//   "chatml"           Qwen's ChatML: "<|im_start|>user\n<image>\n{q}<|im_end|>\n<|im_start|>assistant\n".
//
// JSON form (every key optional except the role objects):
//   {"name": "…", "default_system": "…", "image": "<image>\n", "generation_prompt": "ASSISTANT:",
//    "system": {"prefix": "", "suffix": " "}, "user": {"prefix": "USER: ", "suffix": " "},
//    "assistant": {"prefix": "ASSISTANT: ", "suffix": "</s>"}}
// A turn renders as prefix + image × images + text + suffix.
#include "util/Json.h"

#include <string>
#include <vector>

namespace sena::text {

struct ChatMessage {
    std::string role;  // "system", "user" or "assistant"
    std::string text;
    int images = 0;    // image placeholders put before the text
};

class ChatTemplate {
public:
    // Throws sena::ConfigError naming `where` and the key at fault.
    static ChatTemplate fromJson(const util::Json& json, const std::string& where);
    static ChatTemplate fromFile(const std::string& path);
    // Throws sena::ConfigError listing the built-in names when `name` is not one.
    static ChatTemplate builtin(const std::string& name);
    static std::vector<std::string> builtinNames();

    // Renders a conversation. A system message may only come first; without one the template's
    // default system sentence (if any) is used. With `addGenerationPrompt` the text ends where the
    // assistant's answer starts. Throws sena::InputError for unknown roles or a misplaced system
    // message.
    std::string render(const std::vector<ChatMessage>& messages, bool addGenerationPrompt) const;

    const std::string& name() const { return m_name; }
    const std::string& imagePlaceholder() const { return m_image; }
    const std::string& defaultSystem() const { return m_defaultSystem; }
    // What closes a finished assistant turn ("</s>", " ", "<|im_end|>\n"): a DPO response is
    // scored with it so the model learns to stop.
    const std::string& assistantSuffix() const { return m_assistant.suffix; }
    // The JSON form, for storing alongside a round's configuration.
    util::Json toJson() const;

private:
    struct Turn {
        std::string prefix;
        std::string suffix;
    };
    std::string m_name;
    std::string m_defaultSystem;
    std::string m_image = "<image>\n";
    std::string m_generationPrompt;
    Turn m_system, m_user, m_assistant;
};

}  // namespace sena::text
