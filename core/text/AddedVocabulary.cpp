#include "text/AddedVocabulary.h"

#include "text/Utf8.h"
#include "util/Error.h"

#include <algorithm>

namespace sena::text {

namespace {

// Word characters for single_word matching: ASCII letters, digits and '_', and any non-ASCII
// character outside the whitespace and common punctuation blocks (an approximation of Rust's
// char::is_alphanumeric that is exact for ASCII neighbours).
bool isWordCharacter(char32_t cp) {
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
    if (utf8::isWhitespace(cp))
        return false;
    const bool punctuation = (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
                             (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
                             (cp >= 0xFF00 && cp <= 0xFF0F);
    return !punctuation;
}

// The character that ends just before `pos` (text is split only at character boundaries).
char32_t characterBefore(std::string_view text, std::size_t pos, std::size_t* length = nullptr) {
    std::size_t start = pos - 1;
    while (start > 0 && pos - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
        --start;
    const utf8::DecodeStep step = utf8::decodeAt(text, start);
    if (length)
        *length = pos - start;
    return step.valid && start + step.length == pos ? step.codepoint : utf8::kReplacementChar;
}

}  // namespace

void AddedVocabulary::add(const AddedToken& token) {
    if (token.content.empty())
        throw ConfigError("an added token with id " + std::to_string(token.id) + " has empty content");
    if (token.id < 0)
        throw ConfigError("added token '" + token.content + "' has a negative id " + std::to_string(token.id));
    if (auto it = m_byContent.find(token.content); it != m_byContent.end()) {
        AddedToken& existing = m_tokens[it->second];
        m_byId.erase(existing.id);
        existing = token;
        m_byId[token.id] = it->second;
        return;
    }
    const std::size_t index = m_tokens.size();
    m_tokens.push_back(token);
    m_byContent.emplace(token.content, index);
    m_byId[token.id] = index;
    auto& bucket = m_byFirstByte[static_cast<unsigned char>(token.content.front())];
    bucket.push_back(index);
    std::stable_sort(bucket.begin(), bucket.end(), [this](std::size_t a, std::size_t b) {
        return m_tokens[a].content.size() > m_tokens[b].content.size();
    });
}

int AddedVocabulary::idOf(std::string_view content) const {
    const auto it = m_byContent.find(std::string(content));
    return it == m_byContent.end() ? -1 : m_tokens[it->second].id;
}

const AddedToken* AddedVocabulary::byId(int id) const {
    const auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : &m_tokens[it->second];
}

int AddedVocabulary::idLimit() const {
    int limit = 0;
    for (const AddedToken& token : m_tokens)
        limit = std::max(limit, token.id + 1);
    return limit;
}

const AddedToken* AddedVocabulary::matchAt(std::string_view text, std::size_t pos) const {
    for (std::size_t index : m_byFirstByte[static_cast<unsigned char>(text[pos])]) {
        const AddedToken& token = m_tokens[index];
        if (text.compare(pos, token.content.size(), token.content) != 0)
            continue;
        if (token.singleWord) {
            const std::size_t end = pos + token.content.size();
            if (pos > 0 && isWordCharacter(characterBefore(text, pos)))
                continue;
            if (end < text.size() && isWordCharacter(utf8::decodeAt(text, end).codepoint))
                continue;
        }
        return &token;
    }
    return nullptr;
}

std::vector<AddedVocabulary::Segment> AddedVocabulary::split(std::string_view text) const {
    std::vector<Segment> segments;
    std::size_t runStart = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const AddedToken* token = m_tokens.empty() ? nullptr : matchAt(text, pos);
        if (!token) {
            ++pos;  // UTF-8 is self-synchronising: no token can match from inside a character
            continue;
        }
        std::size_t start = pos;
        std::size_t end = pos + token->content.size();
        if (token->lstrip) {
            std::size_t length = 0;
            while (start > runStart && utf8::isWhitespace(characterBefore(text, start, &length)))
                start -= length;
        }
        if (token->rstrip) {
            while (end < text.size()) {
                const utf8::DecodeStep step = utf8::decodeAt(text, end);
                if (!step.valid || !utf8::isWhitespace(step.codepoint))
                    break;
                end += step.length;
            }
        }
        if (start > runStart)
            segments.push_back({text.substr(runStart, start - runStart), -1});
        segments.push_back({std::string_view(), token->id});
        runStart = pos = end;
    }
    if (runStart < text.size())
        segments.push_back({text.substr(runStart), -1});
    return segments;
}

}  // namespace sena::text
