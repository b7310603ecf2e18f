#pragma once
// A Tokenizer over a native SentencePieceModel with HF LlamaTokenizer semantics on top: added
// tokens split out of the raw text, BOS, and the "legacy" rule for text after an added token.
//
// legacy = true (HF's default when tokenizer_config.json does not say): every text run gets the
//   dummy prefix "▁", including runs that follow an added token: "<image>\nQ" → "<image>", "▁",
//   "<0x0A>", … (what llava-hf's tokenizer.json with a Prepend normaliser does, and what the
//   original LLaVA's per-chunk tokenisation does).
// legacy = false: only a run at the very start of the text gets the prefix.
#include "text/AddedVocabulary.h"
#include "text/SentencePieceModel.h"
#include "text/Tokenizer.h"

namespace sena::text {

class SentencePieceTokenizer : public Tokenizer {
public:
    // Without configuration: no added tokens (control pieces in raw text are not matched, as in
    // SentencePieceProcessor), BOS/EOS/PAD/UNK from the model's trainer spec, addBos on, legacy on.
    explicit SentencePieceTokenizer(SentencePieceModel model);

    std::vector<int> encode(const std::string& text, bool addBos) const override;
    // HF fast-tokenizer decoding: pieces are fused ("▁" → " ", byte pieces → UTF-8, ill-formed
    // bytes → U+FFFD each), added tokens contribute their content, and one leading space left by
    // the dummy prefix is dropped.
    std::string decode(const std::vector<int>& ids, bool skipSpecial) const override;
    int tokenId(const std::string& text) const override;
    std::string tokenText(int id) const override;
    int vocabSize() const override;
    bool isSpecial(int id) const override;
    void addToken(const AddedToken& token) override;

    void setLegacy(bool legacy) { m_legacy = legacy; }
    bool legacy() const { return m_legacy; }
    // Whether a text run gets the "▁" prefix at all (HF's add_prefix_space; default: the model's
    // add_dummy_prefix).
    void setAddPrefixSpace(bool add) { m_addPrefixSpace = add; }
    const SentencePieceModel& model() const { return m_model; }

private:
    SentencePieceModel m_model;
    AddedVocabulary m_added;
    bool m_legacy = true;
    bool m_addPrefixSpace = true;
};

}  // namespace sena::text
