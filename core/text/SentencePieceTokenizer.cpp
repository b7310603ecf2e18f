#include "text/SentencePieceTokenizer.h"

#include "text/Utf8.h"
#include "util/Error.h"

#include <algorithm>

namespace sena::text {

SentencePieceTokenizer::SentencePieceTokenizer(SentencePieceModel model)
    : m_model(std::move(model)), m_addPrefixSpace(m_model.addDummyPrefix()) {
    m_special.bos = m_model.bosId();
    m_special.eos = m_model.eosId();
    m_special.pad = m_model.padId();
    m_special.unk = m_model.unkId();
    m_special.addBos = true;  // LlamaTokenizer's add_bos_token default
}

std::vector<int> SentencePieceTokenizer::encode(const std::string& text, bool addBos) const {
    std::vector<int> ids;
    if (addBos && m_special.addBos && m_special.bos)
        ids.push_back(*m_special.bos);
    const auto segments = m_added.split(text);
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const AddedVocabulary::Segment& segment = segments[i];
        if (segment.tokenId >= 0) {
            ids.push_back(segment.tokenId);
            continue;
        }
        // Legacy: each run is tokenised on its own, so each gets the dummy prefix. Non-legacy:
        // only the run that starts the text does (HF prepends "▁" to the whole text once).
        const bool startsText = i == 0;
        const bool prefix = m_addPrefixSpace && (m_legacy || startsText);
        const std::vector<int> piece = m_model.encode(segment.text, prefix);
        ids.insert(ids.end(), piece.begin(), piece.end());
    }
    return ids;
}

std::string SentencePieceTokenizer::decode(const std::vector<int>& ids, bool skipSpecial) const {
    std::string fused;
    for (int id : ids) {
        if (const AddedToken* added = m_added.byId(id)) {
            if (!(skipSpecial && added->special))
                fused += added->content;
            continue;
        }
        if (id < 0 || id >= m_model.size())
            continue;
        if (skipSpecial && isSpecial(id))
            continue;
        fused += m_model.pieceSurface(id);
    }
    // Byte pieces were fused as raw bytes; HF's ByteFallback decoder turns each ill-formed byte
    // into its own U+FFFD.
    std::string text = utf8::replaceInvalidBytes(fused);
    if (m_addPrefixSpace && !text.empty() && text.front() == ' ')
        text.erase(0, 1);
    return text;
}

int SentencePieceTokenizer::tokenId(const std::string& text) const {
    const int added = m_added.idOf(text);
    return added >= 0 ? added : m_model.pieceId(text);
}

std::string SentencePieceTokenizer::tokenText(int id) const {
    if (const AddedToken* added = m_added.byId(id))
        return added->content;
    if (id < 0 || id >= m_model.size())
        throw InputError("token id " + std::to_string(id) + " is outside the vocabulary of '" + m_model.source() +
                         "' (" + std::to_string(vocabSize()) + " ids)");
    return m_model.piece(id).text;
}

int SentencePieceTokenizer::vocabSize() const {
    return std::max(m_model.size(), m_added.idLimit());
}

bool SentencePieceTokenizer::isSpecial(int id) const {
    if (const AddedToken* added = m_added.byId(id))
        return added->special;
    if (id < 0 || id >= m_model.size())
        return false;
    const auto type = m_model.piece(id).type;
    return type == SentencePieceModel::PieceType::Control || type == SentencePieceModel::PieceType::Unknown;
}

void SentencePieceTokenizer::addToken(const AddedToken& token) {
    m_added.add(token);
}

}  // namespace sena::text
