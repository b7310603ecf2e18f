#include "pipeline/EngineModel.h"

#include "image/ImagePreprocessor.h"
#include "image/corruption/ApplyCorruption.h"
#include "model/WeightLoader.h"
#include "text/ChatTemplate.h"
#include "text/ImagePrompt.h"
#include "text/Tokenizer.h"
#include "util/Error.h"
#include "util/MappedFile.h"
#include "util/Sha256.h"

#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

namespace sena::pipeline {
namespace fs = std::filesystem;

namespace {
constexpr size_t kFeatureCacheSize = 256;

// Hashes up to `limit` bytes of a file fully; past that, 1 MiB out of every 64 MiB, so a 14 GB
// checkpoint hashes in seconds while any real weight update (which touches every tensor) changes it.
void hashFile(util::Sha256& sha, const fs::path& path, uint64_t limit) {
    util::MappedFile f(path.string());
    sha.update(path.filename().string() + ":" + std::to_string(f.size()) + "\n");
    if (f.size() <= limit) {
        sha.update(f.data(), f.size());
        return;
    }
    constexpr uint64_t stride = 64ull << 20, chunk = 1ull << 20;
    for (uint64_t off = 0; off < f.size(); off += stride)
        sha.update(f.data() + off, std::min<uint64_t>(chunk, f.size() - off));
    sha.update(f.data() + f.size() - std::min<uint64_t>(chunk, f.size()), std::min<uint64_t>(chunk, f.size()));
}
}  // namespace

std::string modelContentHash(const std::string& modelDir) {
    util::Sha256 sha;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(modelDir))
        if (e.is_regular_file()) {
            const auto name = e.path().filename().string();
            if (name == "config.json" || name.find(".safetensors") != std::string::npos)
                files.push_back(e.path());
        }
    std::sort(files.begin(), files.end());
    if (files.empty())
        throw ConfigError("'" + modelDir + "' holds no config.json or safetensors to identify the model by");
    for (const auto& f : files)
        hashFile(sha, f, 2ull << 30);
    return sha.hexDigest();
}

EngineModel::EngineModel(const std::string& modelDir, const EngineModelOptions& options)
    : m_dir(modelDir), m_options(options) {
    auto loaded = model::loadLlava(modelDir, options.compute);
    m_model = loaded.model;
    m_config = loaded.config;
    m_hash = modelContentHash(modelDir);
    m_tokenizer = text::loadTokenizer(modelDir);
    const std::string templateName =
        !options.chatTemplate.empty() ? options.chatTemplate
                                      : (m_config.text.arch == model::TextArch::Qwen2 ? "chatml" : "llava-hf");
    m_template = std::make_unique<text::ChatTemplate>(fs::exists(templateName)
                                                          ? text::ChatTemplate::fromFile(templateName)
                                                          : text::ChatTemplate::builtin(templateName));
    image::PreprocessOptions pre;
    pre.padToSquare = options.padToSquare;
    m_preprocessor = std::make_unique<image::ImagePreprocessor>(image::ImagePreprocessor::fromModelFolder(modelDir, pre));
    if (m_tokenizer->tokenId("<image>") < 0)
        m_tokenizer->addSpecialToken("<image>", static_cast<int>(m_config.imageTokenId));
    m_generator = std::make_unique<model::Generator>(m_model);
    m_generator->setDecoder([this](const std::vector<int64_t>& ids) {
        return m_tokenizer->decode(std::vector<int>(ids.begin(), ids.end()), true);
    });
    if (m_options.sampling.eosTokenIds.empty()) {
        m_options.sampling.eosTokenIds = m_config.text.eosTokenIds;
        if (m_tokenizer->eosId() && std::find(m_options.sampling.eosTokenIds.begin(), m_options.sampling.eosTokenIds.end(),
                                              *m_tokenizer->eosId()) == m_options.sampling.eosTokenIds.end())
            m_options.sampling.eosTokenIds.push_back(*m_tokenizer->eosId());
    }
    m_options.sampling.padTokenId = m_config.text.padTokenId.value_or(m_tokenizer->padId().value_or(0));
}

EngineModel::~EngineModel() = default;

std::pair<std::string, std::vector<int64_t>> EngineModel::encode(const std::string& userText, bool withImage) const {
    std::vector<text::ChatMessage> messages;
    if (!m_options.systemPrompt.empty())
        messages.push_back({"system", m_options.systemPrompt, 0});
    messages.push_back({"user", userText, withImage ? 1 : 0});
    const std::string rendered = m_template->render(messages, true);
    text::ImageTokenSpec spec;
    spec.tokenId = static_cast<int>(m_config.imageTokenId);
    spec.tokensPerImage = static_cast<int>(m_config.imageSeqLength());
    const auto ids = text::encodePromptWithImages(*m_tokenizer, rendered, withImage ? 1 : 0, spec, true);
    return {rendered, std::vector<int64_t>(ids.begin(), ids.end())};
}

torch::Tensor EngineModel::features(const VlmImage& img, const std::string& corruption, uint64_t seed) {
    const bool clean = corruption.empty() || corruption == "none";
    if (clean && m_options.cacheFeatures)
        for (auto it = m_featureCache.begin(); it != m_featureCache.end(); ++it)
            if (it->first == img.key) {
                m_featureCache.splice(m_featureCache.begin(), m_featureCache, it);
                ++m_stats.featureCacheHits;
                return it->second;
            }
    image::PixelValues pv = clean ? m_preprocessor->preprocess(img.image)
                                  : image::applyCorruption(image::CorruptionChain::parse(corruption), img.image,
                                                           *m_preprocessor, seed)
                                        .pixelValues;
    auto pixels = torch::from_blob(pv.data.data(), {1, pv.channels, pv.height, pv.width}, torch::kFloat32).clone();
    torch::NoGradGuard noGrad;
    auto f = m_model->imageFeatures(pixels);
    ++m_stats.featureComputations;
    if (clean && m_options.cacheFeatures) {
        m_featureCache.emplace_front(img.key, f);
        if (m_featureCache.size() > kFeatureCacheSize)
            m_featureCache.pop_back();
    }
    return f;
}

std::vector<VlmReply> EngineModel::generate(const std::vector<VlmImage>& images, const std::vector<VlmRequest>& requests,
                                            const std::function<bool()>& cancelled) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<VlmReply> replies(requests.size());
    std::vector<std::vector<int64_t>> ids(requests.size());
    for (size_t i = 0; i < requests.size(); ++i) {
        const auto& r = requests[i];
        if (r.imageIndex >= static_cast<int>(images.size()))
            throw InputError("a request names image " + std::to_string(r.imageIndex) + " of " +
                             std::to_string(images.size()));
        auto [prompt, tokens] = encode(r.userText, r.imageIndex >= 0);
        replies[i].prompt = prompt;
        replies[i].promptTokens = static_cast<int64_t>(tokens.size());
        ids[i] = std::move(tokens);
    }
    // Requests that see the same pixels (image, corruption, seed) and want the same length form a
    // group: one feature computation and, with several rows, one shared prefill.
    std::map<std::tuple<int, std::string, uint64_t, int64_t>, std::vector<size_t>> groups;
    for (size_t i = 0; i < requests.size(); ++i) {
        const auto& r = requests[i];
        const bool clean = r.corruption.empty() || r.corruption == "none";
        groups[{r.imageIndex, clean ? std::string() : r.corruption, clean ? 0 : r.corruptionSeed, r.maxNewTokens}]
            .push_back(i);
    }
    auto store = [&](const std::vector<size_t>& rows, const std::vector<model::GenerationResult>& results) {
        for (size_t k = 0; k < rows.size(); ++k) {
            auto& reply = replies[rows[k]];
            const auto& res = results[k];
            reply.text = m_tokenizer->decode(std::vector<int>(res.tokens.begin(), res.tokens.end()), true);
            reply.newTokens = static_cast<int64_t>(res.tokens.size());
            reply.finishReason = model::finishReasonName(res.finish);
            m_stats.promptTokens += reply.promptTokens;
            m_stats.newTokens += reply.newTokens;
        }
    };
    m_generator->setProgress([&](int64_t, int64_t) { return !(cancelled && cancelled()); });
    // Single-row groups are batched together (per length); multi-row groups share their prefix.
    std::map<int64_t, std::vector<size_t>> singles;
    for (const auto& [key, rows] : groups) {
        if (cancelled && cancelled())
            throw Cancelled();
        const auto& first = requests[rows[0]];
        if (rows.size() == 1 || first.imageIndex < 0 || !m_options.sharePrefix) {
            for (auto r : rows)
                singles[first.maxNewTokens].push_back(r);
            continue;
        }
        auto f = features(images[first.imageIndex], first.corruption, first.corruptionSeed);
        model::SamplingOptions o = m_options.sampling;
        o.maxNewTokens = first.maxNewTokens;
        for (size_t start = 0; start < rows.size(); start += static_cast<size_t>(m_options.batchSize)) {
            std::vector<size_t> chunk(rows.begin() + start,
                                      rows.begin() + std::min(rows.size(), start + static_cast<size_t>(m_options.batchSize)));
            std::vector<std::vector<int64_t>> prompts;
            for (auto r : chunk)
                prompts.push_back(ids[r]);
            auto prefix = model::Generator::commonPrefix(prompts);
            std::vector<std::vector<int64_t>> suffixes;
            for (const auto& p : prompts)
                suffixes.emplace_back(p.begin() + static_cast<std::ptrdiff_t>(prefix.size()), p.end());
            // The prefix must hold the whole image; otherwise fall back to one row per image.
            const auto imageTokens = std::count(prefix.begin(), prefix.end(), m_config.imageTokenId);
            std::vector<model::GenerationResult> results;
            if (imageTokens == m_config.imageSeqLength())
                results = m_generator->generateShared(prefix, f, suffixes, o);
            else
                results = m_generator->generate(prompts, f.expand({static_cast<int64_t>(prompts.size()), -1, -1}).contiguous(), o);
            store(chunk, results);
        }
    }
    for (const auto& [maxNew, rows] : singles) {
        model::SamplingOptions o = m_options.sampling;
        o.maxNewTokens = maxNew;
        for (size_t start = 0; start < rows.size(); start += static_cast<size_t>(m_options.batchSize)) {
            if (cancelled && cancelled())
                throw Cancelled();
            std::vector<size_t> chunk(rows.begin() + start,
                                      rows.begin() + std::min(rows.size(), start + static_cast<size_t>(m_options.batchSize)));
            std::vector<std::vector<int64_t>> prompts;
            std::vector<torch::Tensor> feats;
            for (auto r : chunk) {
                prompts.push_back(ids[r]);
                const auto& q = requests[r];
                if (q.imageIndex >= 0)
                    feats.push_back(features(images[q.imageIndex], q.corruption, q.corruptionSeed));
            }
            store(chunk, m_generator->generate(prompts, feats.empty() ? torch::Tensor() : torch::cat(feats, 0), o));
        }
    }
    if (cancelled && cancelled())
        throw Cancelled();
    m_stats.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return replies;
}

}  // namespace sena::pipeline
