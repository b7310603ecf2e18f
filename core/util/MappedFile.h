#pragma once
// Read-only memory map of a whole file (POSIX). Move-only.
#include <cstddef>
#include <cstdint>
#include <string>

namespace sena::util {

class MappedFile {
public:
    MappedFile() = default;
    // Throws sena::FormatError naming the path when the file cannot be opened or mapped.
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::uint8_t* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    const std::string& path() const { return m_path; }

private:
    void release();
    std::string m_path;
    const std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
};

}  // namespace sena::util
