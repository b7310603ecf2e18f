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

// Everything the token loop needs after a prefill: the cache, the key mask [B, K], the last
// logits [B, V], the last positions [B] and the ids so far (for the repetition penalty).
struct Generator::DecodeState {
    KvCache cache;
    torch::Tensor mask, lastLogits, lastPos, sequences;
    bool padded = false;
    int64_t promptTokens = 0;
    double prefillSeconds = 0;
};

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Left-pads rows into [B, width] ids and a 0/1 mask.
std::pair<torch::Tensor, torch::Tensor> leftPad(const std::vector<std::vector<int64_t>>& rows, int64_t pad) {
    int64_t width = 0;
    for (const auto& r : rows)
        width = std::max<int64_t>(width, static_cast<int64_t>(r.size()));
    const int64_t batch = static_cast<int64_t>(rows.size());
    auto ids = torch::full({batch, width}, pad, torch::kLong);
    auto mask = torch::zeros({batch, width}, torch::kLong);
    for (int64_t b = 0; b < batch; ++b) {
        const int64_t n = static_cast<int64_t>(rows[b].size());
        ids[b].narrow(0, width - n, n).copy_(torch::tensor(rows[b], torch::kLong));
        mask[b].narrow(0, width - n, n).fill_(1);
    }
    return {ids, mask};
}
}  // namespace

void Generator::validate(const SamplingOptions& o, int64_t longest) const {
    if (!o.stopStrings.empty() && !m_decode)
        throw InputError("stop strings need a tokenizer to decode the generated text");
    if (o.maxNewTokens < 0 || o.temperature <= 0 || o.topP <= 0 || o.topP > 1 || o.repetitionPenalty <= 0)
        throw InputError("sampling options out of range: max new tokens ≥ 0, temperature > 0, 0 < top-p ≤ 1, "
                         "repetition penalty > 0");
    const int64_t maxPositions = m_model->config().text.maxPositions;
    if (longest + o.maxNewTokens > maxPositions)
        throw InputError("prompt (" + std::to_string(longest) + " tokens) plus " + std::to_string(o.maxNewTokens) +
                         " new tokens exceeds the model's " + std::to_string(maxPositions) +
                         " positions; shorten the prompt or lower max new tokens");
}

std::vector<GenerationResult> Generator::generate(const std::vector<std::vector<int64_t>>& prompts,
                                                  const torch::Tensor& features, const SamplingOptions& o,
                                                  GenerationStats* stats) {
    if (prompts.empty())
        return {};
    int64_t longest = 0;
    for (const auto& p : prompts) {
        if (p.empty())
            throw InputError("a prompt is empty");
        longest = std::max<int64_t>(longest, static_cast<int64_t>(p.size()));
    }
    validate(o, longest);
    torch::NoGradGuard noGrad;
    auto& model = *m_model;
    const auto device = model.device();
    const int64_t batch = static_cast<int64_t>(prompts.size());
    auto t0 = Clock::now();
    // Left padding: every row ends at the same column, so one next-token slot serves all.
    auto [ids, mask] = leftPad(prompts, o.padTokenId);
    ids = ids.to(device);
    mask = mask.to(device);
    DecodeState st;
    for (const auto& p : prompts)
        st.padded = st.padded || static_cast<int64_t>(p.size()) != longest;
    const int64_t window = model.config().text.slidingWindow.value_or(0);
    auto embeds = model.embedInputs(ids, features);
    st.cache = KvCache::allocate(model.config().text, batch, longest + o.maxNewTokens, embeds.scalar_type(), device);
    auto positions = positionsFromMask(mask);
    auto hidden = model.hidden(embeds, positions, causalMask(mask, longest, embeds.scalar_type(), window), &st.cache);
    st.lastLogits = model.logits(hidden.select(1, hidden.size(1) - 1)).to(torch::kFloat32);
    st.lastPos = positions.select(1, positions.size(1) - 1);
    st.mask = mask;
    st.sequences = ids;
    st.promptTokens = mask.sum().item<int64_t>();
    st.prefillSeconds = since(t0);
    return decode(st, o, stats);
}

std::vector<int64_t> Generator::commonPrefix(const std::vector<std::vector<int64_t>>& prompts) {
    if (prompts.empty())
        return {};
    size_t n = prompts[0].size();
    for (const auto& p : prompts) {
        n = std::min(n, p.size());
        size_t i = 0;
        while (i < n && p[i] == prompts[0][i])
            ++i;
        n = i;
    }
    size_t shortest = prompts[0].size();
    for (const auto& p : prompts)
        shortest = std::min(shortest, p.size());
    n = std::min(n, shortest == 0 ? 0 : shortest - 1);
    return std::vector<int64_t>(prompts[0].begin(), prompts[0].begin() + static_cast<std::ptrdiff_t>(n));
}

std::vector<GenerationResult> Generator::generateShared(const std::vector<int64_t>& prefix,
                                                        const torch::Tensor& prefixFeatures,
                                                        const std::vector<std::vector<int64_t>>& suffixes,
                                                        const SamplingOptions& o, GenerationStats* stats) {
    if (suffixes.empty())
        return {};
    if (prefix.empty())
        throw InputError("a shared prefix is empty; use generate()");
    auto& model = *m_model;
    const int64_t prefixLen = static_cast<int64_t>(prefix.size());
    int64_t longestSuffix = 0;
    for (const auto& s : suffixes) {
        if (s.empty())
            throw InputError("every row needs at least one token after the shared prefix");
        for (auto id : s)
            if (id == model.config().imageTokenId)
                throw InputError("image tokens must lie inside the shared prefix");
        longestSuffix = std::max<int64_t>(longestSuffix, static_cast<int64_t>(s.size()));
    }
    validate(o, prefixLen + longestSuffix);
    torch::NoGradGuard noGrad;
    const auto device = model.device();
    const int64_t batch = static_cast<int64_t>(suffixes.size());
    const int64_t window = model.config().text.slidingWindow.value_or(0);
    auto t0 = Clock::now();

    // 1. The prefix once, into a one-row cache.
    auto prefixIds = torch::tensor(prefix, torch::kLong).unsqueeze(0).to(device);
    auto prefixMask = torch::ones_like(prefixIds);
    auto embeds = model.embedInputs(prefixIds, prefixFeatures);
    auto one = KvCache::allocate(model.config().text, 1, prefixLen, embeds.scalar_type(), device);
    model.hidden(embeds, positionsFromMask(prefixMask), causalMask(prefixMask, prefixLen, embeds.scalar_type(), window),
                 &one);

    // 2. Its keys and values copied into every row of the full cache.
    DecodeState st;
    st.cache = KvCache::allocate(model.config().text, batch, prefixLen + longestSuffix + o.maxNewTokens,
                                 embeds.scalar_type(), device);
    for (size_t l = 0; l < st.cache.keys.size(); ++l) {
        st.cache.keys[l].narrow(2, 0, prefixLen).copy_(one.keys[l].expand({batch, -1, -1, -1}));
        st.cache.values[l].narrow(2, 0, prefixLen).copy_(one.values[l].expand({batch, -1, -1, -1}));
    }
    st.cache.length = prefixLen;

    // 3. The suffixes, left-padded after the prefix: [prefix | pads | suffix]. Positions continue
    // the prefix's, and the pads are masked out, so each row sees exactly its own prompt.
    auto [ids, suffixMask] = leftPad(suffixes, o.padTokenId);
    ids = ids.to(device);
    suffixMask = suffixMask.to(device);
    for (const auto& s : suffixes)
        st.padded = st.padded || static_cast<int64_t>(s.size()) != longestSuffix;
    auto mask = torch::cat({torch::ones({batch, prefixLen}, suffixMask.options()), suffixMask}, 1);
    auto positions = positionsFromMask(mask).narrow(1, prefixLen, longestSuffix);
    auto suffixEmbeds = model.language_model->embed(ids);
    auto hidden = model.hidden(suffixEmbeds, positions,
                               causalMask(mask, longestSuffix, suffixEmbeds.scalar_type(), window), &st.cache);
    st.lastLogits = model.logits(hidden.select(1, hidden.size(1) - 1)).to(torch::kFloat32);
    st.lastPos = positions.select(1, positions.size(1) - 1);
    st.mask = mask;
    st.sequences = torch::cat({prefixIds.expand({batch, -1}), ids}, 1);
    st.promptTokens = mask.sum().item<int64_t>();
    st.prefillSeconds = since(t0);
    return decode(st, o, stats);
}

std::vector<GenerationResult> Generator::decode(DecodeState& st, const SamplingOptions& o, GenerationStats* stats) {
    auto& model = *m_model;
    const auto device = model.device();
    const int64_t batch = st.mask.size(0);
    const int64_t window = model.config().text.slidingWindow.value_or(0);
    std::vector<GenerationResult> results(batch);
    std::vector<bool> done(batch, false);
    auto gen = at::detail::createCPUGenerator(o.seed);
    auto t1 = Clock::now();
    int64_t finished = 0;
    for (int64_t step = 0; step < o.maxNewTokens && finished < batch; ++step) {
        auto scores = processScores(st.lastLogits, st.sequences, step, o);
        torch::Tensor next;
        if (o.doSample) {
            auto probs = scores.softmax(-1).to(torch::kCPU);
            next = at::multinomial(probs, 1, false, gen).squeeze(1);
        } else {
            next = scores.argmax(-1).to(torch::kCPU);
        }
        torch::Tensor logp;
        if (o.returnLogprobs)
            logp = st.lastLogits.log_softmax(-1).gather(1, next.to(device).unsqueeze(1)).squeeze(1).to(torch::kCPU);
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
        st.sequences = torch::cat({st.sequences, nextDev}, 1);
        st.mask = torch::cat({st.mask, torch::ones({batch, 1}, st.mask.options())}, 1);
        st.lastPos = st.lastPos + 1;
        auto stepEmbeds = model.language_model->embed(nextDev);
        // A single query attends to every real key; only padding (and a sliding window) needs a mask.
        torch::Tensor stepMask;
        if (st.padded || (window > 0 && st.mask.size(1) > window))
            stepMask = causalMask(st.mask, 1, stepEmbeds.scalar_type(), window);
        auto h = model.hidden(stepEmbeds, st.lastPos.unsqueeze(1), stepMask, &st.cache);
        st.lastLogits = model.logits(h.select(1, 0)).to(torch::kFloat32);
    }
    if (stats) {
        stats->promptTokens = st.promptTokens;
        stats->newTokens = 0;
        for (const auto& r : results)
            stats->newTokens += static_cast<int64_t>(r.tokens.size());
        stats->prefillSeconds = st.prefillSeconds;
        stats->decodeSeconds = since(t1);
    }
    return results;
}

}  // namespace sena::model
