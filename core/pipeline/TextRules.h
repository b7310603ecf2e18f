#pragma once
// The text rules of SENA's self-questioning and answer enhancement: parsing questions out of a
// self-check reply and improved answers out of an enhancement reply.
#include <string>
#include <vector>

namespace sena::pipeline {

// Every sentence of `reply` that ends with '?' becomes a question, with `prefix` (e.g. "QUESTION:")
// stripped wherever it starts a sentence or line. Whitespace is trimmed; duplicates are dropped.
std::vector<std::string> parseQuestions(const std::string& reply, const std::string& prefix);

// The text after `prefix` when the reply starts with it (leading whitespace, case of the prefix and
// surrounding quotes ignored); empty when it does not, in which case the caller keeps the old answer.
std::string parseImprovedAnswer(const std::string& reply, const std::string& prefix);

std::string trim(const std::string& s);
std::string toLower(const std::string& s);
// A bare yes/no reply ("Yes", "no.", " YES!") — SENA uses the enhancement prompt without the
// description when the caption is one.
bool isYesNo(const std::string& s);

}  // namespace sena::pipeline
