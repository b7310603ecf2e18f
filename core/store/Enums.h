#pragma once
// The closed vocabularies stored as text in the workspace (CHECK constraints in the schema list the
// same strings). Text rather than integers so the database reads plainly in any SQLite browser.
#include <string>

namespace sena::store {

enum class RoundStatus { Created, Generating, Generated, Scoring, Training, Trained, Failed, Cancelled };
enum class QuestionMode { Paper, Code };  // self-check sees the image (paper) or is text only (authors' code)
enum class GenerationKind { SelfQuestion, SelfCheck, Caption, CleanAnswer, ImprovedAnswer, CorruptedAnswer };
enum class PairType { Description, General };  // "des": caption pairs; "gen": question pairs
enum class Curation { Pending, Accepted, Rejected, Edited };

const char* toString(RoundStatus value);
const char* toString(QuestionMode value);
const char* toString(GenerationKind value);
const char* toString(PairType value);
const char* toString(Curation value);

// Parsers throw sena::StoreError (Kind::Corrupt) naming the unknown value: the schema's CHECK
// constraints make that impossible unless the file was edited by hand.
RoundStatus parseRoundStatus(const std::string& text);
QuestionMode parseQuestionMode(const std::string& text);
GenerationKind parseGenerationKind(const std::string& text);
PairType parsePairType(const std::string& text);
Curation parseCuration(const std::string& text);

// Whether a round in this state has stopped for good (its finished_at is set).
bool isFinal(RoundStatus value);

}  // namespace sena::store
