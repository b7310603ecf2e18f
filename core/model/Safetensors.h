#pragma once
// safetensors reader (memory-mapped, every header field validated) and writer. Torch-free: tensors
// are byte views with a dtype and shape; model/TensorIO.h turns them into torch tensors.
#include "util/MappedFile.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sena::model {

enum class DType { Bool, U8, I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64 };

const char* dtypeName(DType dtype);          // the safetensors spelling, e.g. "BF16"
std::size_t dtypeSize(DType dtype);          // bytes per element
bool parseDType(const std::string& name, DType& out);

struct TensorView {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    const std::uint8_t* data = nullptr;  // points into the mapping (or the writer's buffer)
    std::size_t bytes = 0;

    std::int64_t numel() const;
    std::string shapeString() const;  // "[3, 56, 56]"
};

// One .safetensors file. Validates: header length within the file and <= 100 MB, header is a JSON
// object, each entry has a known dtype, non-negative integer shape and [begin, end) offsets,
// numel × dtype size == end − begin, spans inside the data buffer, no overlaps, no gaps, and the
// data buffer ends exactly at end of file. Errors name the file and the tensor.
class SafetensorsFile {
public:
    explicit SafetensorsFile(const std::string& path);

    const std::string& path() const { return m_file.path(); }
    bool contains(const std::string& name) const { return m_index.count(name) != 0; }
    const TensorView& tensor(const std::string& name) const;  // throws WeightsError if absent
    std::vector<std::string> names() const;                   // sorted
    const std::vector<TensorView>& tensors() const { return m_tensors; }
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }

private:
    util::MappedFile m_file;
    std::vector<TensorView> m_tensors;
    std::map<std::string, std::size_t> m_index;
    std::map<std::string, std::string> m_metadata;
};

// A checkpoint: one model.safetensors, or the shards named by model.safetensors.index.json.
class SafetensorsCheckpoint {
public:
    // `path` is a .safetensors file, a .index.json file, or a folder holding either
    // (model.safetensors.index.json is preferred over model.safetensors when both exist).
    static SafetensorsCheckpoint open(const std::string& path);

    bool contains(const std::string& name) const { return m_where.count(name) != 0; }
    const TensorView& tensor(const std::string& name) const;
    std::vector<std::string> names() const;
    std::size_t shardCount() const { return m_shards.size(); }
    std::uint64_t totalBytes() const;

private:
    std::vector<std::shared_ptr<SafetensorsFile>> m_shards;
    std::map<std::string, std::size_t> m_where;  // tensor name → shard
};

// Writes tensors in the layout the reference implementation produces: header padded with spaces
// to a multiple of 8, tensors sorted by name, contiguous little-endian data. Writes to
// `path + ".tmp"` then renames, so a crash never leaves a truncated file under `path`.
class SafetensorsWriter {
public:
    void add(const std::string& name, DType dtype, std::vector<std::int64_t> shape, const void* data,
             std::size_t bytes);  // copies the bytes
    void setMetadata(const std::string& key, const std::string& value) { m_metadata[key] = value; }
    void write(const std::string& path) const;

private:
    struct Entry {
        DType dtype;
        std::vector<std::int64_t> shape;
        std::vector<std::uint8_t> bytes;
    };
    std::map<std::string, Entry> m_entries;
    std::map<std::string, std::string> m_metadata{{"format", "pt"}};
};

}  // namespace sena::model
