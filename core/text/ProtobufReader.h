#pragma once
// A minimal reader of the protobuf wire format, enough for SentencePiece's ModelProto: varints,
// length-delimited fields, fixed32/fixed64. Every read is bounds-checked; a malformed message
// throws sena::FormatError naming the source and the byte offset, never reads past the buffer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sena::text {

class ProtobufReader {
public:
    enum class WireType { Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5 };

    // `source` names the file in error messages; `base` is the offset of `data` within it.
    ProtobufReader(const std::uint8_t* data, std::size_t size, std::string source, std::size_t base = 0);

    // Reads the next field key. False at the end of the message.
    bool next();
    std::uint32_t field() const { return m_field; }
    WireType wireType() const { return m_wireType; }

    // Each reads the current field's value and checks the wire type matches.
    std::uint64_t readVarint();
    bool readBool() { return readVarint() != 0; }
    std::int32_t readInt32() { return static_cast<std::int32_t>(readVarint()); }
    float readFloat();
    std::uint64_t readFixed64();
    std::string_view readBytes();
    std::string readString() { return std::string(readBytes()); }
    // A nested message field as a reader over its bytes.
    ProtobufReader readMessage();
    // Skips the current field's value (for fields this reader does not know).
    void skip();

    [[noreturn]] void fail(const std::string& problem) const;

private:
    std::uint64_t rawVarint();
    void expect(WireType type, const char* what) const;
    void need(std::size_t bytes, const char* what) const;

    const std::uint8_t* m_data;
    std::size_t m_size;
    std::string m_source;
    std::size_t m_base;
    std::size_t m_pos = 0;
    std::size_t m_keyPos = 0;
    std::uint32_t m_field = 0;
    WireType m_wireType = WireType::Varint;
};

}  // namespace sena::text
