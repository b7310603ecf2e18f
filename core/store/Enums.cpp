#include "store/Enums.h"

#include "store/StoreError.h"

#include <array>
#include <utility>

namespace sena::store {

namespace {

template <typename E, std::size_t N>
using Names = std::array<std::pair<E, const char*>, N>;

constexpr Names<RoundStatus, 8> kRoundStatus{{{RoundStatus::Created, "created"},
                                              {RoundStatus::Generating, "generating"},
                                              {RoundStatus::Generated, "generated"},
                                              {RoundStatus::Scoring, "scoring"},
                                              {RoundStatus::Training, "training"},
                                              {RoundStatus::Trained, "trained"},
                                              {RoundStatus::Failed, "failed"},
                                              {RoundStatus::Cancelled, "cancelled"}}};
constexpr Names<QuestionMode, 2> kQuestionMode{{{QuestionMode::Paper, "paper"}, {QuestionMode::Code, "code"}}};
constexpr Names<GenerationKind, 6> kGenerationKind{{{GenerationKind::SelfQuestion, "self_question"},
                                                    {GenerationKind::SelfCheck, "self_check"},
                                                    {GenerationKind::Caption, "caption"},
                                                    {GenerationKind::CleanAnswer, "clean_answer"},
                                                    {GenerationKind::ImprovedAnswer, "improved_answer"},
                                                    {GenerationKind::CorruptedAnswer, "corrupted_answer"}}};
constexpr Names<PairType, 2> kPairType{{{PairType::Description, "des"}, {PairType::General, "gen"}}};
constexpr Names<Curation, 4> kCuration{{{Curation::Pending, "pending"},
                                        {Curation::Accepted, "accepted"},
                                        {Curation::Rejected, "rejected"},
                                        {Curation::Edited, "edited"}}};

template <typename E, std::size_t N>
const char* nameOf(const Names<E, N>& names, E value) {
    for (const auto& [v, name] : names)
        if (v == value)
            return name;
    return "?";
}

template <typename E, std::size_t N>
E parse(const Names<E, N>& names, const std::string& text, const char* what) {
    for (const auto& [v, name] : names)
        if (text == name)
            return v;
    std::string known;
    for (const auto& entry : names)
        known += std::string(known.empty() ? "" : ", ") + entry.second;
    throw StoreError(StoreError::Kind::Corrupt, "unknown " + std::string(what) + " '" + text +
                                                    "' in the workspace database (expected one of " + known +
                                                    "); was the file edited by hand?");
}

}  // namespace

const char* toString(RoundStatus value) {
    return nameOf(kRoundStatus, value);
}
const char* toString(QuestionMode value) {
    return nameOf(kQuestionMode, value);
}
const char* toString(GenerationKind value) {
    return nameOf(kGenerationKind, value);
}
const char* toString(PairType value) {
    return nameOf(kPairType, value);
}
const char* toString(Curation value) {
    return nameOf(kCuration, value);
}

RoundStatus parseRoundStatus(const std::string& text) {
    return parse(kRoundStatus, text, "round status");
}
QuestionMode parseQuestionMode(const std::string& text) {
    return parse(kQuestionMode, text, "question mode");
}
GenerationKind parseGenerationKind(const std::string& text) {
    return parse(kGenerationKind, text, "generation kind");
}
PairType parsePairType(const std::string& text) {
    return parse(kPairType, text, "pair type");
}
Curation parseCuration(const std::string& text) {
    return parse(kCuration, text, "curation state");
}

bool isFinal(RoundStatus value) {
    return value == RoundStatus::Trained || value == RoundStatus::Failed || value == RoundStatus::Cancelled;
}

}  // namespace sena::store
