#pragma once
// Byte-level BPE from a Hugging Face tokenizer.json (Qwen2, GPT-2, Llama 3 style): optional NFC
// normaliser, Split/ByteLevel pre-tokenizer, BPE by lowest merge rank, ByteLevel decoder.
// Merges are read in both spellings ("a b" and ["a", "b"]). Model types, normalisers,
// pre-tokenizers, decoders and post-processors outside that family are refused by name.
#include "text/AddedVocabulary.h"
#include "text/PreTokenizer.h"
#include "text/Tokenizer.h"
#include "util/Json.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sena::text {

class BpeTokenizer : public Tokenizer {
public:
    // Throw sena::FormatError (unreadable or not JSON) or sena::ConfigError (unsupported or
    // inconsistent content), naming the file.
    static std::unique_ptr<BpeTokenizer> fromFile(const std::string& path);
    static std::unique_ptr<BpeTokenizer> fromJson(const util::Json& document, const std::string& source);

    // Throws sena::InputError when `text` is not well-formed UTF-8.
    std::vector<int> encode(const std::string& text, bool addBos) const override;
    std::string decode(const std::vector<int>& ids, bool skipSpecial) const override;
    int tokenId(const std::string& text) const override;
    std::string tokenText(int id) const override;
    int vocabSize() const override;
    bool isSpecial(int id) const override;
    void addToken(const AddedToken& token) override;

private:
    BpeTokenizer() = default;
    void readModel(const util::JsonObject& model);
    void readMerges(const util::Json& merges, const std::string& where);
    void readAddedTokens(const util::Json& list, const std::string& where);
    void readNormalizer(const util::Json& spec, const std::string& where);
    void readDecoder(const util::Json& spec, const std::string& where);
    void readPostProcessor(const util::Json& spec, const std::string& where);
    // BPE over one pre-token (already in the byte-level alphabet), appending ids.
    void encodeWord(const std::string& word, std::vector<int>& ids) const;

    struct Merge {
        int rank;
        int mergedId;
    };
    static std::uint64_t pairKey(int left, int right) {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
    }

    std::string m_source;
    std::unordered_map<std::string, int> m_vocab;
    std::vector<std::string> m_tokenOf;  // by id; empty where the vocabulary has a hole
    std::unordered_map<std::uint64_t, Merge> m_merges;
    PreTokenizer m_preTokenizer;
    AddedVocabulary m_added;
    bool m_nfc = false;
    bool m_ignoreMerges = false;
    bool m_byteFallback = false;
    bool m_fuseUnknown = false;
    std::optional<int> m_unknownId;
};

}  // namespace sena::text
