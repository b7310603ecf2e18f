#include "text/ProtobufReader.h"

#include "util/Error.h"

#include <cstring>

namespace sena::text {

ProtobufReader::ProtobufReader(const std::uint8_t* data, std::size_t size, std::string source, std::size_t base)
    : m_data(data), m_size(size), m_source(std::move(source)), m_base(base) {}

void ProtobufReader::fail(const std::string& problem) const {
    throw FormatError("'" + m_source + "' is not a valid protobuf message (" + problem + " at byte " +
                      std::to_string(m_base + m_keyPos) +
                      "); the file is truncated or corrupt: copy it again from the model's source");
}

void ProtobufReader::need(std::size_t bytes, const char* what) const {
    if (bytes > m_size - m_pos)
        fail(std::string(what) + " runs past the end of the data");
}

std::uint64_t ProtobufReader::rawVarint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        need(1, "a varint");
        const std::uint8_t byte = m_data[m_pos++];
        value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0)
            return value;
    }
    fail("a varint longer than 10 bytes");
}

bool ProtobufReader::next() {
    if (m_pos >= m_size)
        return false;
    m_keyPos = m_pos;
    const std::uint64_t key = rawVarint();
    const std::uint64_t type = key & 7;
    m_field = static_cast<std::uint32_t>(key >> 3);
    if (m_field == 0)
        fail("field number 0");
    if (type != 0 && type != 1 && type != 2 && type != 5)
        fail("wire type " + std::to_string(type) + " (groups are not used by SentencePiece)");
    m_wireType = static_cast<WireType>(type);
    return true;
}

void ProtobufReader::expect(WireType type, const char* what) const {
    if (m_wireType != type)
        fail("field " + std::to_string(m_field) + " should be " + what + " but has wire type " +
             std::to_string(static_cast<int>(m_wireType)));
}

std::uint64_t ProtobufReader::readVarint() {
    expect(WireType::Varint, "a varint");
    return rawVarint();
}

float ProtobufReader::readFloat() {
    expect(WireType::Fixed32, "a 32-bit float");
    need(4, "a fixed32 value");
    // The wire format is little-endian; so is every platform this project builds for.
    float value;
    std::memcpy(&value, m_data + m_pos, 4);
    m_pos += 4;
    return value;
}

std::uint64_t ProtobufReader::readFixed64() {
    expect(WireType::Fixed64, "a fixed64 value");
    need(8, "a fixed64 value");
    std::uint64_t value;
    std::memcpy(&value, m_data + m_pos, 8);
    m_pos += 8;
    return value;
}

std::string_view ProtobufReader::readBytes() {
    expect(WireType::LengthDelimited, "length-delimited");
    const std::uint64_t length = rawVarint();
    if (length > m_size - m_pos)
        fail("a length of " + std::to_string(length) + " bytes that runs past the end of the data");
    std::string_view bytes(reinterpret_cast<const char*>(m_data + m_pos), static_cast<std::size_t>(length));
    m_pos += static_cast<std::size_t>(length);
    return bytes;
}

ProtobufReader ProtobufReader::readMessage() {
    const std::size_t start = m_pos;
    const std::string_view bytes = readBytes();
    const std::size_t headerLength = (m_pos - start) - bytes.size();
    return ProtobufReader(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), m_source,
                          m_base + start + headerLength);
}

void ProtobufReader::skip() {
    switch (m_wireType) {
    case WireType::Varint:
        rawVarint();
        break;
    case WireType::Fixed64:
        need(8, "a fixed64 value");
        m_pos += 8;
        break;
    case WireType::Fixed32:
        need(4, "a fixed32 value");
        m_pos += 4;
        break;
    case WireType::LengthDelimited:
        readBytes();
        break;
    }
}

}  // namespace sena::text
