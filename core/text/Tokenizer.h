#pragma once
// The tokenizer interface the engine, the pipeline and the CLI use, and the factory that reads a
// Hugging Face model folder. Two implementations: SentencePieceTokenizer (tokenizer.model, LLaMA
// family) and BpeTokenizer (byte-level BPE from tokenizer.json, Qwen2 / GPT-2 family). Neither
// links libsentencepiece, Torch or Qt.
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sena::text {

// Ids with a role, and whether encode() puts BOS first (tokenizer_config.json's add_bos_token).
struct SpecialTokenIds {
    std::optional<int> bos;
    std::optional<int> eos;
    std::optional<int> pad;
    std::optional<int> unk;
    bool addBos = false;
};

// How an added token matches raw text (the fields of HF's AddedToken).
struct AddedToken {
    std::string content;
    int id = -1;
    bool special = true;     // skipped by decode(…, skipSpecial = true)
    bool lstrip = false;     // swallows whitespace on its left
    bool rstrip = false;     // swallows whitespace on its right
    bool singleWord = false; // matches only between word boundaries
};

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // Added tokens (such as "<image>") are split out of the raw text first, longest match first,
    // and map to their ids; the text between them goes through the model. With `addBos`, BOS is
    // put first when the tokenizer has one and its configuration asks for it (LLaMA yes, Qwen no).
    // Throws sena::InputError for text the model cannot take (e.g. ill-formed UTF-8 for BPE).
    virtual std::vector<int> encode(const std::string& text, bool addBos) const = 0;
    // Ids back to text. Ids outside the vocabulary decode to nothing, as in HF (a model's
    // embedding table is often padded past the tokenizer's vocabulary).
    virtual std::string decode(const std::vector<int>& ids, bool skipSpecial) const = 0;

    // Id of a vocabulary entry or added token by its exact text; −1 when absent.
    virtual int tokenId(const std::string& text) const = 0;
    // Text of one token as stored (SentencePiece "▁Hello", byte-level "ĠHello", "<image>").
    // Throws sena::InputError for an id outside the vocabulary.
    virtual std::string tokenText(int id) const = 0;
    // One past the highest id (model vocabulary and added tokens together).
    virtual int vocabSize() const = 0;
    // Whether decode(…, skipSpecial = true) drops this id.
    virtual bool isSpecial(int id) const = 0;

    std::optional<int> bosId() const { return m_special.bos; }
    std::optional<int> eosId() const { return m_special.eos; }
    std::optional<int> padId() const { return m_special.pad; }
    const SpecialTokenIds& specialIds() const { return m_special; }
    void setSpecialIds(const SpecialTokenIds& ids) { m_special = ids; }

    // Registers a token matched whole in raw text (e.g. llava-hf's "<image>" = 32000, which is not
    // in tokenizer.model). Re-registering a content replaces its id.
    void addSpecialToken(const std::string& content, int id) {
        AddedToken token;
        token.content = content;
        token.id = id;
        addToken(token);
    }
    // Registers an added token with all of HF's matching options.
    virtual void addToken(const AddedToken& token) = 0;

protected:
    SpecialTokenIds m_special;
};

// Loads the tokenizer of a model folder, or a tokenizer.model / tokenizer.json file directly.
// In a folder, tokenizer.model (SentencePiece) wins over tokenizer.json; tokenizer_config.json,
// special_tokens_map.json and added_tokens.json beside the file are applied when present.
// Throws sena::FormatError / sena::ConfigError naming the file at fault and what to do.
std::unique_ptr<Tokenizer> loadTokenizer(const std::string& modelDirOrFile);

}  // namespace sena::text
