#pragma once
// SHA-256 (FIPS 180-4) of file contents: the content key that deduplicates imported images.
// Written here because no packaged hashing library is a dependency of core.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sena::util {

class Sha256 {
public:
    Sha256();
    void update(const std::uint8_t* data, std::size_t size);
    void update(const std::string& text) { update(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()); }
    // Finishes the hash; the object must not be updated afterwards.
    std::array<std::uint8_t, 32> digest();
    std::string hexDigest();  // lower-case, 64 characters

    // The hex digest of a whole buffer.
    static std::string hexOf(const std::uint8_t* data, std::size_t size);
    static std::string hexOf(const std::vector<std::uint8_t>& data) { return hexOf(data.data(), data.size()); }
    static std::string toHex(const std::uint8_t* data, std::size_t size);

private:
    void compress(const std::uint8_t* block);

    std::array<std::uint32_t, 8> m_state;
    std::array<std::uint8_t, 64> m_buffer{};
    std::size_t m_buffered = 0;
    std::uint64_t m_totalBytes = 0;
    bool m_finished = false;
};

}  // namespace sena::util
