#pragma once
// Test helper: writes small SentencePiece ModelProto files by hand (protobuf wire format), so
// tests can build models with known pieces and scores, and models of kinds the reader refuses.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace sena::text::testing {

struct SpmPieceSpec {
    std::string text;
    float score = 0.0f;
    int type = 1;  // 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte
};

struct SpmModelSpec {
    std::vector<SpmPieceSpec> pieces;
    int modelType = 2;  // 1 Unigram, 2 BPE
    bool byteFallback = false;
    int unkId = 0, bosId = 1, eosId = 2, padId = -1;
    std::string normalizerName = "identity";
    std::string charsmap;  // non-empty: a precompiled normaliser
    bool addDummyPrefix = true;
    bool removeExtraWhitespaces = false;
    bool treatWhitespaceAsSuffix = false;
};

class ProtoWriter {
public:
    void varintField(int field, std::uint64_t value) {
        key(field, 0);
        varint(value);
    }
    void int32Field(int field, int value) { varintField(field, static_cast<std::uint64_t>(static_cast<std::int64_t>(value))); }
    void floatField(int field, float value) {
        key(field, 5);
        char raw[4];
        std::memcpy(raw, &value, 4);
        m_bytes.append(raw, 4);
    }
    void bytesField(int field, const std::string& value) {
        key(field, 2);
        varint(value.size());
        m_bytes += value;
    }
    const std::string& bytes() const { return m_bytes; }

private:
    void key(int field, int wireType) { varint(static_cast<std::uint64_t>(field) << 3 | static_cast<std::uint64_t>(wireType)); }
    void varint(std::uint64_t value) {
        while (value >= 0x80) {
            m_bytes += static_cast<char>((value & 0x7F) | 0x80);
            value >>= 7;
        }
        m_bytes += static_cast<char>(value);
    }
    std::string m_bytes;
};

inline std::string writeSpmModel(const SpmModelSpec& spec) {
    ProtoWriter model;
    for (const SpmPieceSpec& piece : spec.pieces) {
        ProtoWriter p;
        p.bytesField(1, piece.text);
        p.floatField(2, piece.score);
        p.varintField(3, static_cast<std::uint64_t>(piece.type));
        model.bytesField(1, p.bytes());
    }
    ProtoWriter trainer;
    trainer.int32Field(3, spec.modelType);
    trainer.int32Field(4, static_cast<int>(spec.pieces.size()));
    trainer.varintField(24, spec.treatWhitespaceAsSuffix);
    trainer.varintField(35, spec.byteFallback);
    trainer.int32Field(40, spec.unkId);
    trainer.int32Field(41, spec.bosId);
    trainer.int32Field(42, spec.eosId);
    trainer.int32Field(43, spec.padId);
    trainer.floatField(10, 0.9995f);  // an unknown-to-the-reader field, to be skipped
    model.bytesField(2, trainer.bytes());
    ProtoWriter normalizer;
    normalizer.bytesField(1, spec.normalizerName);
    normalizer.bytesField(2, spec.charsmap);
    normalizer.varintField(3, spec.addDummyPrefix);
    normalizer.varintField(4, spec.removeExtraWhitespaces);
    model.bytesField(3, normalizer.bytes());
    return model.bytes();
}

}  // namespace sena::text::testing
