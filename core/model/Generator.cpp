#include "model/Generator.h"

#include "model/Layers.h"
#include "util/Error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <chrono>
#include <limits>

namespace sena::model {

const char* finishReasonName(FinishReason reason) {
    switch (reason) {
    case FinishReason::Length: return "length";
    case FinishReason::EndOfSequence: return "eos";
    case FinishReason::StopString: return "stop_string";
    case FinishReason::Cancelled: return "cancelled";
    }
    return "?";
}

torch::Tensor Generator::processScores(torch::Tensor scores, const torch::Tensor& sequences, int64_t newTokens,
                                       const SamplingOptions& o) {
    const float negInf = -std::numeric_limits<float>::infinity();
    if (o.repetitionPenalty != 1.0) {
        // CTRL-style penalty over every id in the sequence, prompt included (HF's rule).
        auto seq = sequences.to(scores.device());
        auto picked = scores.gather(1, seq);
        picked = torch::where(picked < 0, picked * o.repetitionPenalty, picked / o.repetitionPenalty);
        scores = scores.scatter(1, seq, picked);
    }
    if (newTokens < o.minNewTokens)
        for (int64_t eos : o.eosTokenIds)
            if (eos >= 0 && eos < scores.size(1))
                scores.select(1, eos).fill_(negInf);
    if (!o.doSample)
        return scores;
    if (o.temperature != 1.0)
        scores = scores / o.temperature;
    if (o.topK > 0) {
        const int64_t k = std::min<int64_t>(o.topK, scores.size(1));
        auto kth = std::get<0>(scores.topk(k, -1)).narrow(1, k - 1, 1);
        scores = scores.masked_fill(scores < kth, negInf);
    }
    if (o.topP < 1.0) {
        auto [sorted, order] = scores.sort(-1, /*descending=*/false);
        auto cumulative = sorted.softmax(-1).cumsum(-1);
        auto remove = cumulative <= (1.0 - o.topP);
        remove.select(1, remove.size(1) - 1).fill_(false);  // always keep the most likely token
        scores = scores.masked_fill(remove.scatter(1, order, remove), negInf);
    }
    return scores;
}

std::vector<GenerationResult> Generator::generate(const std::vector<std::vector<int64_t>>& prompts,
                                                  const torch::Tensor& features, const SamplingOptions& o,
                                                  GenerationStats* stats) {
    using Clock = std::chrono::steady_clock;
    if (prompts.empty())
        return {};
    if (!o.stopStrings.empty() && !m_decode)
        throw InputError("stop strings need a tokenizer to decode the generated text");
    if (o.maxNewTokens < 0 || o.temperature <= 0 || o.topP <= 0 || o.topP > 1 || o.repetitionPenalty <= 0)
        throw InputError("sampling options out of range: max new tokens ≥ 0, temperature > 0, 0 < top-p ≤ 1, "
                         "repetition penalty > 0");
    torch::NoGradGuard noGrad;
    auto& model = *m_model;
    const auto device = model.device();
    const int64_t batch = static_cast<int64_t>(prompts.size());
    int64_t longest = 0;
    for (const auto& p : prompts) {
        if (p.empty())
            throw InputError("a prompt is empty");
        longest = std::max<int64_t>(longest, static_cast<int64_t>(p.size()));
    }
    const int64_t capacity = longest + o.maxNewTokens;
    if (capacity > model.config().text.maxPositions)
        throw InputError("prompt (" + std::to_string(longest) + " tokens) plus " + std::to_string(o.maxNewTokens) +
                         " new tokens exceeds the model's " + std::to_string(model.config().text.maxPositions) +
                         " positions; shorten the prompt or lower max new tokens");
    // Left padding: every row ends at the same column, so one next-token slot serves all.
    auto ids = torch::full({batch, longest}, o.padTokenId, torch::kLong);
    auto mask = torch::zeros({batch, longest}, torch::kLong);
    for (int64_t b = 0; b < batch; ++b) {
        const auto& p = prompts[b];
        const int64_t off = longest - static_cast<int64_t>(p.size());
        ids[b].narrow(0, off, p.size()).copy_(torch::tensor(p, torch::kLong));
        mask[b].narrow(0, off, p.size()).fill_(1);
    }
    bool padded = false;
    for (const auto& p : prompts)
        padded = padded || static_cast<int64_t>(p.size()) != longest;
    ids = ids.to(device);
    mask = mask.to(device);

    std::vector<GenerationResult> results(batch);
    std::vector<bool> done(batch, false);
    auto gen = at::detail::createCPUGenerator(o.seed);
    const int64_t window = model.config().text.slidingWindow.value_or(0);

    auto t0 = Clock::now();
    auto embeds = model.embedInputs(ids, features);
    KvCache cache = KvCache::allocate(model.config().text, batch, capacity, embeds.scalar_type(), device);
    auto positions = positionsFromMask(mask);
    auto hidden = model.hidden(embeds, positions, causalMask(mask, longest, embeds.scalar_type(), window), &cache);
    auto lastLogits = model.logits(hidden.select(1, hidden.size(1) - 1)).to(torch::kFloat32);
    auto t1 = Clock::now();

    auto sequences = ids;  // for the repetition penalty
    auto lastPos = positions.select(1, positions.size(1) - 1);
    int64_t finished = 0;
    for (int64_t step = 0; step < o.maxNewTokens && finished < batch; ++step) {
        auto scores = processScores(lastLogits, sequences, step, o);
        torch::Tensor next;
        if (o.doSample) {
            auto probs = scores.softmax(-1).to(torch::kCPU);
            next = at::multinomial(probs, 1, false, gen).squeeze(1);
        } else {
            next = scores.argmax(-1).to(torch::kCPU);
        }
        torch::Tensor logp;
        if (o.returnLogprobs)
            logp = lastLogits.log_softmax(-1).gather(1, next.to(device).unsqueeze(1)).squeeze(1).to(torch::kCPU);
        auto nextAcc = next.accessor<int64_t, 1>();
        for (int64_t b = 0; b < batch; ++b) {
            if (done[b]) {
                nextAcc[b] = o.padTokenId;  // finished rows keep emitting padding, as HF does
                continue;
            }
            auto& r = results[b];
            r.tokens.push_back(nextAcc[b]);
            if (o.returnLogprobs)
                r.logprobs.push_back(logp[b].item<float>());
            bool stop = false;
            for (int64_t eos : o.eosTokenIds)
                if (nextAcc[b] == eos) {
                    r.finish = FinishReason::EndOfSequence;
                    stop = true;
                }
            if (!stop && !o.stopStrings.empty()) {
                const std::string text = m_decode(r.tokens);
                for (const auto& s : o.stopStrings)
                    if (!s.empty() && text.find(s) != std::string::npos) {
                        r.finish = FinishReason::StopString;
                        stop = true;
                    }
            }
            if (stop) {
                done[b] = true;
                ++finished;
            }
        }
        if (m_progress && !m_progress(step + 1, finished)) {
            for (int64_t b = 0; b < batch; ++b)
                if (!done[b])
                    results[b].finish = FinishReason::Cancelled;
            break;
        }
        if (finished == batch || step + 1 == o.maxNewTokens)
            break;
        auto nextDev = next.to(device).unsqueeze(1);
        sequences = torch::cat({sequences, nextDev}, 1);
        mask = torch::cat({mask, torch::ones({batch, 1}, mask.options())}, 1);
        lastPos = lastPos + 1;
        auto stepEmbeds = model.language_model->embed(nextDev);
        // A single query attends to every real key; only padding (and a sliding window) needs a mask.
        torch::Tensor stepMask;
        if (padded || (window > 0 && mask.size(1) > window))
            stepMask = causalMask(mask, 1, stepEmbeds.scalar_type(), window);
        auto h = model.hidden(stepEmbeds, lastPos.unsqueeze(1), stepMask, &cache);
        lastLogits = model.logits(h.select(1, 0)).to(torch::kFloat32);
    }
    auto t2 = Clock::now();
    if (stats) {
        stats->promptTokens = mask.narrow(1, 0, longest).sum().item<int64_t>();
        stats->newTokens = 0;
        for (const auto& r : results)
            stats->newTokens += static_cast<int64_t>(r.tokens.size());
        stats->prefillSeconds = std::chrono::duration<double>(t1 - t0).count();
        stats->decodeSeconds = std::chrono::duration<double>(t2 - t1).count();
    }
    return results;
}

}  // namespace sena::model
