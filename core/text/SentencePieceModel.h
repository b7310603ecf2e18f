#pragma once
// A native reader and encoder for SentencePiece `.model` files (the BPE kind LLaMA uses), so the
// engine never links libsentencepiece: Debian's build of it crashes when loaded into a process
// with LibTorch. Behaviour follows SentencePieceProcessor::Encode/Decode; the differential test
// compares it against libsentencepiece id for id.
//
// Supported: model_type BPE; normalizer "identity" (no precompiled charsmap) with or without
// add_dummy_prefix, escape_whitespaces and remove_extra_whitespaces; byte_fallback; user-defined,
// control, unknown, unused and byte pieces. Refused by name: Unigram, word and char models,
// NFKC-style normalizers with a charsmap, treat_whitespace_as_suffix.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sena::text {

class SentencePieceModel {
public:
    enum class PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };
    struct Piece {
        std::string text;
        float score = 0.0f;
        PieceType type = PieceType::Normal;
    };

    // Throw sena::FormatError (unreadable, truncated, corrupt) or sena::ConfigError (a model kind
    // this reader does not support), naming the file.
    static SentencePieceModel fromFile(const std::string& path);
    static SentencePieceModel fromBytes(const std::uint8_t* data, std::size_t size, const std::string& source);
    // Move-only: the lookup tables view the piece strings.
    SentencePieceModel(SentencePieceModel&&) = default;
    SentencePieceModel& operator=(SentencePieceModel&&) = default;
    SentencePieceModel(const SentencePieceModel&) = delete;
    SentencePieceModel& operator=(const SentencePieceModel&) = delete;

    // Ids exactly as SentencePieceProcessor::Encode gives them. The second form overrides the
    // model's add_dummy_prefix (HF's LlamaTokenizer decides it per text segment).
    std::vector<int> encode(std::string_view text) const;
    std::vector<int> encode(std::string_view text, bool addDummyPrefix) const;
    // The normalised string the merges run on ("▁Hello▁world").
    std::string normalize(std::string_view text, bool addDummyPrefix) const;
    // Text exactly as SentencePieceProcessor::Decode gives it (control pieces vanish, unknown
    // becomes the unk surface, byte pieces are reassembled, the dummy-prefix space is dropped).
    std::string decode(const std::vector<int>& ids) const;
    // The text one piece stands for inside a longer decode: "▁" → " ", byte pieces → their byte.
    // Control pieces give "". Used by tokenizers that fuse pieces themselves.
    std::string pieceSurface(int id) const;
    // For a byte piece "<0xAB>", the byte; otherwise nullopt.
    std::optional<std::uint8_t> pieceByte(int id) const;

    int size() const { return static_cast<int>(m_pieces.size()); }
    const Piece& piece(int id) const { return m_pieces.at(static_cast<std::size_t>(id)); }
    // The id of a piece by its exact text, or −1 (unlike SentencePiece's PieceToId, which says unk).
    int pieceId(std::string_view text) const;

    int unkId() const { return m_unkId; }
    std::optional<int> bosId() const { return m_bosId; }
    std::optional<int> eosId() const { return m_eosId; }
    std::optional<int> padId() const { return m_padId; }
    bool byteFallback() const { return m_byteFallback; }
    bool addDummyPrefix() const { return m_addDummyPrefix; }
    const std::string& source() const { return m_source; }

private:
    struct Symbol;
    SentencePieceModel() = default;
    void parse(const std::uint8_t* data, std::size_t size);
    void validateAndIndex();
    // SentencePiece's lookup order: reserved pieces (control, unknown, byte) first, then normal
    // ones; anything else is unk.
    int idForOutput(std::string_view piece) const;
    std::vector<std::pair<std::string_view, int>> bpeEncode(std::string_view normalized) const;
    std::size_t userDefinedPrefix(std::string_view text) const;

    std::string m_source;
    std::vector<Piece> m_pieces;
    // Normal, user-defined and unused pieces (the ones merges may produce).
    std::unordered_map<std::string_view, int> m_mergeable;
    // Control, unknown and byte pieces.
    std::unordered_map<std::string_view, int> m_reserved;
    std::vector<std::string_view> m_userDefined;  // longest first
    int m_byteIds[256] = {};
    int m_unkId = 0;
    std::optional<int> m_bosId, m_eosId, m_padId;
    int m_modelType = 1;
    bool m_byteFallback = false;
    bool m_treatWhitespaceAsSuffix = false;
    std::string m_unkSurface = " \xE2\x81\x87 ";  // " ⁇ ", SentencePiece's default
    std::string m_normalizerName;
    bool m_hasCharsmap = false;
    bool m_addDummyPrefix = true;
    bool m_removeExtraWhitespaces = true;
    bool m_escapeWhitespaces = true;
    // Trainer ids as written (−1 = none), resolved after all pieces are read. The unknown id is
    // not taken from here: like SentencePiece, the piece typed UNKNOWN is unk.
    long long m_trainerBos = 1, m_trainerEos = 2, m_trainerPad = -1;
};

}  // namespace sena::text
