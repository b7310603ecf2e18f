#pragma once
// A stand-in for the model: canned replies chosen by the prompt, and a log of every request.
#include "pipeline/VisionLanguageModel.h"
#include "util/Error.h"

#include <functional>

namespace sena::test {

class ScriptedModel : public pipeline::VisionLanguageModel {
public:
    using Rule = std::function<std::string(const pipeline::VlmImage* image, const pipeline::VlmRequest& request)>;
    explicit ScriptedModel(Rule rule) : m_rule(std::move(rule)) {}

    std::vector<pipeline::VlmReply> generate(const std::vector<pipeline::VlmImage>& images,
                                             const std::vector<pipeline::VlmRequest>& requests,
                                             const std::function<bool()>& cancelled) override {
        std::vector<pipeline::VlmReply> out;
        for (const auto& r : requests) {
            if (cancelled && cancelled())
                throw Cancelled();
            log.push_back(r);
            pipeline::VlmReply reply;
            reply.text = m_rule(r.imageIndex >= 0 ? &images.at(static_cast<size_t>(r.imageIndex)) : nullptr, r);
            reply.prompt = "USER: " + std::string(r.imageIndex >= 0 ? "<image>\n" : "") + r.userText + " ASSISTANT:";
            reply.promptTokens = static_cast<int64_t>(reply.prompt.size());
            reply.newTokens = static_cast<int64_t>(reply.text.size());
            reply.finishReason = "eos";
            m_stats.newTokens += reply.newTokens;
            out.push_back(reply);
        }
        ++calls;
        return out;
    }
    std::string modelPath() const override { return "scripted"; }
    std::string modelHash() const override { return "scripted-hash"; }
    const pipeline::VlmStats& stats() const override { return m_stats; }

    std::vector<pipeline::VlmRequest> log;
    int calls = 0;

private:
    Rule m_rule;
    pipeline::VlmStats m_stats;
};

}  // namespace sena::test
