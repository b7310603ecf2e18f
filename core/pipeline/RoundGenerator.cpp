#include "pipeline/RoundGenerator.h"

#include "image/ImageLoader.h"
#include "image/corruption/CorruptionChain.h"
#include "pipeline/TextRules.h"
#include "store/Transaction.h"
#include "store/Workspace.h"
#include "util/Error.h"

#include <chrono>
#include <set>

namespace sena::pipeline {
using store::GenerationKind;
using store::GenerationRecord;

namespace {
using Clock = std::chrono::steady_clock;

GenerationRecord generationOf(GenerationKind kind, const VlmReply& reply) {
    GenerationRecord g;
    g.kind = kind;
    g.prompt = reply.prompt;
    g.text = reply.text;
    g.promptTokens = static_cast<int>(reply.promptTokens);
    g.newTokens = static_cast<int>(reply.newTokens);
    g.finishReason = reply.finishReason;
    return g;
}
}  // namespace

// Everything made for one image before it is committed.
struct RoundGenerator::ImageWork {
    int64_t imageId = 0;
    image::RgbImage image;
    std::string loadError;
    struct Question {
        store::QuestionRecord record;
        std::vector<GenerationRecord> trace;  // self-question and self-check generations
        // Filled for kept questions:
        std::string captionPrompt, caption, cleanAnswer, improvedAnswer, improvedCaption;
        std::string answerPrompt;
        GenerationRecord captionGen, cleanGen, improvedGen, improvedCaptionGen, rejectedGen, rejectedCaptionGen;
    };
    std::vector<Question> questions;
    std::vector<GenerationRecord> orphanTrace;  // generations of an image that yielded no question
};

void RoundGenerator::setShard(int rank, int worldSize) {
    if (worldSize < 1 || rank < 0 || rank >= worldSize)
        throw ConfigError("shard " + std::to_string(rank) + " of " + std::to_string(worldSize) + " is not valid");
    m_rank = rank;
    m_worldSize = worldSize;
}

RoundGenerator::RoundGenerator(store::Workspace& workspace, VisionLanguageModel& model, RoundConfig config)
    : m_ws(workspace), m_model(model), m_config(std::move(config)) {
    image::CorruptionChain::parse(m_config.corruption);  // refuse a bad spec before any work
}

int64_t RoundGenerator::createRound(std::optional<int64_t> parentRoundId) {
    return createRound(m_ws, m_config, m_model.modelPath(), m_model.modelHash(), parentRoundId);
}

int64_t RoundGenerator::createRound(store::Workspace& ws, const RoundConfig& config, const std::string& modelPath,
                                    const std::string& modelHash, std::optional<int64_t> parentRoundId) {
    auto rounds = ws.rounds();
    std::set<int64_t> used;
    for (const auto& r : rounds.list())
        for (auto id : rounds.images(r.id))
            used.insert(id);
    std::vector<int64_t> fresh;
    const int64_t total = ws.images().count();
    for (int64_t offset = 0; offset < total; offset += 1000) {
        store::ImageQuery q;
        q.filter.status = store::ImageFilter::Status::Ok;
        q.offset = offset;
        q.limit = 1000;
        for (const auto& row : ws.images().find(q))
            if (!used.count(row.image.id) && (config.limit < 0 || static_cast<int64_t>(fresh.size()) < config.limit))
                fresh.push_back(row.image.id);
    }
    if (fresh.empty())
        throw InputError("the workspace has no images that an earlier round has not used; import more images "
                         "(sena workspace import) before starting a round");
    store::RoundRecord r;
    r.parentRoundId = parentRoundId;
    r.generatorModelPath = modelPath;
    r.generatorModelHash = modelHash;
    RoundConfig stored = config;
    stored.modelDir = modelPath;
    r.configJson = stored.toJson().dump();
    store::Transaction tx(ws.database());
    const int64_t id = rounds.create(r);
    rounds.assignImages(id, fresh);
    tx.commit();
    return id;
}

std::vector<VlmReply> RoundGenerator::ask(const std::vector<VlmImage>& images, const std::vector<VlmRequest>& requests,
                                          const std::string& stage) {
    if (requests.empty())
        return {};
    if (m_state) {
        m_state->stage = stage;
        if ((m_callback && !m_callback(*m_state)) || (m_cancel && m_cancel->load()))
            throw Cancelled();
    }
    return m_model.generate(images, requests, [this] { return m_cancel && m_cancel->load(); });
}

void RoundGenerator::selfQuestion(std::vector<ImageWork>& batch, const std::vector<VlmImage>& images) {
    const auto& p = m_config.prompts;
    const bool paper = m_config.selfCheck == SelfCheckMode::Paper;
    std::vector<VlmRequest> reqs;
    for (size_t i = 0; i < batch.size(); ++i)
        reqs.push_back({static_cast<int>(i), "", 0, p.selfQuestion, m_config.maxNewTokens});
    auto first = ask(images, reqs, "self-questioning");

    struct Pending {
        size_t image;
        std::string firstQuestion, current, lastReply;
        std::vector<GenerationRecord> trace;
        int attempts = 0;
        bool done = false;
        std::vector<std::string> accepted;
    };
    std::vector<Pending> pending;
    for (size_t i = 0; i < batch.size(); ++i) {
        Pending pe;
        pe.image = i;
        pe.firstQuestion = trim(first[i].text);
        pe.current = pe.firstQuestion;
        pe.trace.push_back(generationOf(GenerationKind::SelfQuestion, first[i]));
        pending.push_back(std::move(pe));
    }
    // Self-check: paper mode shows the image and re-checks a replaced question up to maxAttempts;
    // code mode is one text-only pass (the authors' code).
    const int passes = paper ? m_config.maxAttempts : 1;
    for (int pass = 0; pass < passes; ++pass) {
        std::vector<VlmRequest> checks;
        std::vector<size_t> who;
        for (size_t k = 0; k < pending.size(); ++k) {
            if (pending[k].done)
                continue;
            const std::string prompt =
                fillTemplate(paper ? p.selfCheckWithImage : p.selfCheckTextOnly, {{"question", pending[k].current}});
            checks.push_back({paper ? static_cast<int>(pending[k].image) : -1, "", 0, prompt, m_config.maxNewTokensSelfCheck});
            who.push_back(k);
        }
        auto replies = ask(images, checks, "self-check " + std::to_string(pass + 1));
        for (size_t j = 0; j < who.size(); ++j) {
            auto& pe = pending[who[j]];
            pe.attempts++;
            pe.lastReply = replies[j].text;
            pe.trace.push_back(generationOf(GenerationKind::SelfCheck, replies[j]));
            auto questions = parseQuestions(replies[j].text, p.questionPrefix);
            // The check kept the question when it repeats it; a reply without it replaced the question.
            bool unchanged = false;
            for (const auto& q : questions)
                unchanged = unchanged || toLower(q) == toLower(trim(pe.current));
            if (!paper || unchanged || questions.empty() || pass + 1 == passes) {
                pe.accepted = questions;
                pe.done = true;
            } else {
                pe.current = questions[0];  // the check replaced the question: check the new one
            }
        }
    }
    for (auto& pe : pending) {
        auto& work = batch[pe.image];
        const bool nameFilter = m_config.filters.isEnabled(FilterKind::QuestionHasName);
        if (pe.accepted.empty()) {
            ImageWork::Question q;
            q.record.firstQuestion = pe.firstQuestion;
            q.record.selfCheckReply = pe.lastReply;
            q.record.attempts = pe.attempts;
            q.record.mode = m_config.selfCheck == SelfCheckMode::Paper ? store::QuestionMode::Paper : store::QuestionMode::Code;
            q.record.kept = false;
            q.record.filterHits.push_back({"no_question", "the self-check reply holds no sentence ending in '?'"});
            q.trace = pe.trace;
            work.questions.push_back(std::move(q));
            continue;
        }
        for (size_t k = 0; k < pe.accepted.size(); ++k) {
            ImageWork::Question q;
            q.record.ordinal = static_cast<int>(k);
            q.record.firstQuestion = pe.firstQuestion;
            q.record.selfCheckReply = pe.lastReply;
            q.record.finalQuestion = pe.accepted[k];
            q.record.attempts = pe.attempts;
            q.record.mode = m_config.selfCheck == SelfCheckMode::Paper ? store::QuestionMode::Paper : store::QuestionMode::Code;
            if (nameFilter && toLower(pe.accepted[k]).find("name") != std::string::npos) {
                q.record.kept = false;
                q.record.filterHits.push_back({filterName(FilterKind::QuestionHasName),
                                               "the question \"" + pe.accepted[k] + "\" asks for a name"});
            }
            if (k == 0)
                q.trace = pe.trace;  // the trace belongs to the reply; attach it once
            work.questions.push_back(std::move(q));
        }
    }
}

void RoundGenerator::answer(int64_t roundId, std::vector<ImageWork>& batch, const std::vector<VlmImage>& images) {
    (void)roundId;
    const auto& p = m_config.prompts;
    struct Ref {
        size_t image, question;
    };
    std::vector<Ref> kept;
    for (size_t i = 0; i < batch.size(); ++i)
        for (size_t k = 0; k < batch[i].questions.size(); ++k)
            if (batch[i].questions[k].record.kept)
                kept.push_back({i, k});
    if (kept.empty())
        return;
    auto q = [&](const Ref& r) -> ImageWork::Question& { return batch[r.image].questions[r.question]; };
    // Captions and clean answers, on the clean image.
    std::vector<VlmRequest> reqs;
    for (const auto& r : kept) {
        auto& qq = q(r);
        const uint64_t draw = derivedSeed(m_config.seed, batch[r.image].imageId, qq.record.ordinal, "caption-prompt");
        qq.captionPrompt = p.captionPrompts[draw % p.captionPrompts.size()] + p.captionSuffix;
        qq.answerPrompt = qq.record.finalQuestion + p.answerSuffix;
        reqs.push_back({static_cast<int>(r.image), "", 0, qq.captionPrompt, m_config.maxNewTokens});
        reqs.push_back({static_cast<int>(r.image), "", 0, qq.answerPrompt, m_config.maxNewTokens});
    }
    auto replies = ask(images, reqs, "captions and clean answers");
    for (size_t j = 0; j < kept.size(); ++j) {
        auto& qq = q(kept[j]);
        qq.captionGen = generationOf(GenerationKind::Caption, replies[2 * j]);
        qq.cleanGen = generationOf(GenerationKind::CleanAnswer, replies[2 * j + 1]);
        qq.caption = trim(replies[2 * j].text);
        qq.cleanAnswer = trim(replies[2 * j + 1].text);
    }
    // Self-enhancement (chosen): the caption helps the answer, and the caption improves itself.
    reqs.clear();
    for (const auto& r : kept) {
        auto& qq = q(r);
        const std::string improve =
            isYesNo(qq.caption)
                ? fillTemplate(p.improveWithoutDescription, {{"question", qq.record.finalQuestion}, {"answer", qq.cleanAnswer}})
                : fillTemplate(p.improveWithDescription, {{"description", qq.caption},
                                                          {"question", qq.record.finalQuestion},
                                                          {"answer", qq.cleanAnswer}});
        const std::string improveCaption = fillTemplate(
            p.improveWithDescription, {{"description", qq.caption}, {"question", qq.captionPrompt}, {"answer", qq.caption}});
        reqs.push_back({static_cast<int>(r.image), "", 0, improve, m_config.maxNewTokens});
        reqs.push_back({static_cast<int>(r.image), "", 0, improveCaption, m_config.maxNewTokens});
    }
    replies = ask(images, reqs, "self-enhancement");
    for (size_t j = 0; j < kept.size(); ++j) {
        auto& qq = q(kept[j]);
        qq.improvedGen = generationOf(GenerationKind::ImprovedAnswer, replies[2 * j]);
        qq.improvedCaptionGen = generationOf(GenerationKind::ImprovedAnswer, replies[2 * j + 1]);
        const std::string a = parseImprovedAnswer(replies[2 * j].text, p.improvedPrefix);
        const std::string c = parseImprovedAnswer(replies[2 * j + 1].text, p.improvedPrefix);
        qq.improvedAnswer = a.empty() ? qq.cleanAnswer : a;  // SENA keeps the clean answer without the prefix
        qq.improvedCaption = c.empty() ? qq.caption : c;
    }
    // Rejected: the same prompts on a corrupted image, fresh noise per generation.
    reqs.clear();
    const auto canonical = image::CorruptionChain::parse(m_config.corruption).toString();
    for (const auto& r : kept) {
        auto& qq = q(r);
        const int64_t id = batch[r.image].imageId;
        reqs.push_back({static_cast<int>(r.image), canonical, derivedSeed(m_config.seed, id, qq.record.ordinal, "rejected-gen"),
                        qq.answerPrompt, m_config.maxNewTokens});
        reqs.push_back({static_cast<int>(r.image), canonical, derivedSeed(m_config.seed, id, qq.record.ordinal, "rejected-des"),
                        qq.captionPrompt, m_config.maxNewTokens});
    }
    replies = ask(images, reqs, "answers on corrupted images");
    for (size_t j = 0; j < kept.size(); ++j) {
        auto& qq = q(kept[j]);
        qq.rejectedGen = generationOf(GenerationKind::CorruptedAnswer, replies[2 * j]);
        qq.rejectedCaptionGen = generationOf(GenerationKind::CorruptedAnswer, replies[2 * j + 1]);
        qq.rejectedGen.corruptionSpec = qq.rejectedCaptionGen.corruptionSpec = canonical;
        qq.rejectedGen.corruptionSeed = static_cast<int64_t>(reqs[2 * j].corruptionSeed);
        qq.rejectedCaptionGen.corruptionSeed = static_cast<int64_t>(reqs[2 * j + 1].corruptionSeed);
    }
}

void RoundGenerator::commit(int64_t roundId, ImageWork& work, GenerationProgress& state) {
    store::Transaction tx(m_ws.database());
    auto gens = m_ws.generations();
    auto insertGen = [&](GenerationRecord g, std::optional<int64_t> questionId) {
        g.roundId = roundId;
        g.imageId = work.imageId;
        g.questionId = questionId;
        return gens.insert(g);
    };
    for (auto& qq : work.questions) {
        qq.record.roundId = roundId;
        qq.record.imageId = work.imageId;
        const int64_t qid = m_ws.questions().insert(qq.record);
        for (const auto& g : qq.trace)
            insertGen(g, qid);
        ++state.questions;
        if (!qq.record.kept)
            continue;
        insertGen(qq.captionGen, qid);
        insertGen(qq.cleanGen, qid);
        const int64_t chosenGen = insertGen(qq.improvedGen, qid);
        const int64_t chosenCap = insertGen(qq.improvedCaptionGen, qid);
        const int64_t rejectedGen = insertGen(qq.rejectedGen, qid);
        const int64_t rejectedCap = insertGen(qq.rejectedCaptionGen, qid);
        struct P {
            store::PairType type;
            std::string prompt, chosen, rejected;
            int64_t chosenId, rejectedId;
        };
        for (const P& p : {P{store::PairType::General, qq.answerPrompt, qq.improvedAnswer, trim(qq.rejectedGen.text),
                             chosenGen, rejectedGen},
                           P{store::PairType::Description, qq.captionPrompt, qq.improvedCaption,
                             trim(qq.rejectedCaptionGen.text), chosenCap, rejectedCap}}) {
            store::PairRecord pr;
            pr.roundId = roundId;
            pr.imageId = work.imageId;
            pr.questionId = qid;
            pr.type = p.type;
            pr.prompt = p.prompt;
            pr.chosen = p.chosen;
            pr.rejected = p.rejected;
            pr.chosenGenerationId = p.chosenId;
            pr.rejectedGenerationId = p.rejectedId;
            const auto verdict = applyFilters(m_config.filters, qq.record.finalQuestion, p.chosen, p.rejected);
            for (const auto& v : verdict.verdicts)
                if (v.fired)
                    pr.filterHits.push_back({filterName(v.kind), v.reason});
            pr.passed = verdict.passed;
            m_ws.pairs().insert(pr);
            ++state.pairsMade;
            state.pairsPassed += pr.passed ? 1 : 0;
        }
    }
    m_ws.progress().markDone(roundId, work.imageId, kImageDone);
    tx.commit();
}

void RoundGenerator::processBatch(int64_t roundId, std::vector<ImageWork>& batch, GenerationProgress& state) {
    std::vector<ImageWork> ready;
    for (auto& w : batch) {
        if (!w.loadError.empty()) {
            // The file changed or vanished since import: record nothing, but do not retry forever.
            store::Transaction tx(m_ws.database());
            m_ws.progress().markDone(roundId, w.imageId, kImageDone);
            m_ws.progress().markDone(roundId, w.imageId, "failed");
            tx.commit();
            ++state.imagesFailed;
            ++state.imagesDone;
            continue;
        }
        ready.push_back(std::move(w));
    }
    if (ready.empty())
        return;
    std::vector<VlmImage> images;
    for (const auto& w : ready)
        images.push_back({std::to_string(w.imageId), w.image});
    selfQuestion(ready, images);
    answer(roundId, ready, images);
    for (auto& w : ready) {
        commit(roundId, w, state);
        ++state.imagesDone;
    }
}

GenerationProgress RoundGenerator::run(int64_t roundId, const GenerationCallback& progress,
                                       const std::atomic<bool>* cancel) {
    auto rounds = m_ws.rounds();
    auto round = rounds.get(roundId);
    if (!round)
        throw InputError("round " + std::to_string(roundId) + " does not exist");
    GenerationProgress state;
    state.roundId = roundId;
    state.imagesTotal = static_cast<int64_t>(rounds.images(roundId).size());
    auto pending = m_ws.progress().pendingImages(roundId, kImageDone);
    state.imagesDone = state.imagesTotal - static_cast<int64_t>(pending.size());
    if (m_worldSize > 1) {
        std::vector<int64_t> mine;
        for (auto id : pending)
            if (id % m_worldSize == m_rank)
                mine.push_back(id);
        pending = std::move(mine);
    }
    m_callback = progress;
    m_cancel = cancel;
    m_state = &state;
    rounds.setStatus(roundId, store::RoundStatus::Generating);
    const auto start = Clock::now();
    const int64_t doneAtStart = state.imagesDone;
    const int64_t tokensAtStart = m_model.stats().newTokens;
    try {
        for (size_t i = 0; i < pending.size(); i += static_cast<size_t>(m_config.batchImages)) {
            std::vector<ImageWork> batch;
            for (size_t j = i; j < std::min(pending.size(), i + static_cast<size_t>(m_config.batchImages)); ++j) {
                ImageWork w;
                w.imageId = pending[j];
                auto rec = m_ws.images().get(w.imageId);
                try {
                    if (!rec)
                        throw FormatError("image " + std::to_string(w.imageId) + " is no longer in the workspace");
                    w.image = image::loadImage(rec->absolutePath());
                } catch (const Error& e) {
                    w.loadError = e.what();
                }
                batch.push_back(std::move(w));
            }
            processBatch(roundId, batch, state);
            state.elapsedSeconds = std::chrono::duration<double>(Clock::now() - start).count();
            const double perImage = state.elapsedSeconds / static_cast<double>(std::max<int64_t>(1, state.imagesDone - doneAtStart));
            state.etaSeconds = perImage * static_cast<double>(state.imagesTotal - state.imagesDone);
            state.tokensPerSecond = static_cast<double>(m_model.stats().newTokens - tokensAtStart) /
                                    std::max(1e-9, state.elapsedSeconds);
            if ((progress && !progress(state)) || (cancel && cancel->load()))
                throw Cancelled();
        }
    } catch (const Cancelled&) {
        m_state = nullptr;
        rounds.setStatus(roundId, store::RoundStatus::Cancelled);
        throw;
    } catch (const std::exception& e) {
        m_state = nullptr;
        rounds.setStatus(roundId, store::RoundStatus::Failed, std::string(e.what()));
        throw;
    }
    m_state = nullptr;
    // With several shards, the last one to finish marks the round generated.
    if (m_ws.progress().pendingImages(roundId, kImageDone, 1).empty())
        rounds.setStatus(roundId, store::RoundStatus::Generated);
    state.stage = "done";
    return state;
}

}  // namespace sena::pipeline
