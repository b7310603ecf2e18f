#include "model/Safetensors.h"

#include "util/AtomicFile.h"
#include "util/Error.h"
#include "util/Json.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

namespace sena::model {
namespace fs = std::filesystem;

namespace {
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;  // the reference reader's limit

struct DTypeInfo {
    DType dtype;
    const char* name;
    std::size_t size;
};
constexpr DTypeInfo kDTypes[] = {
    {DType::Bool, "BOOL", 1}, {DType::U8, "U8", 1},   {DType::I8, "I8", 1},     {DType::I16, "I16", 2},
    {DType::U16, "U16", 2},   {DType::F16, "F16", 2}, {DType::BF16, "BF16", 2}, {DType::I32, "I32", 4},
    {DType::U32, "U32", 4},   {DType::F32, "F32", 4}, {DType::F64, "F64", 8},   {DType::I64, "I64", 8},
    {DType::U64, "U64", 8},
};

std::uint64_t readU64LE(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

[[noreturn]] void bad(const std::string& path, const std::string& what) {
    throw FormatError("'" + path + "' is not a valid safetensors file: " + what +
                      ". Re-download or re-export the checkpoint.");
}
}  // namespace

const char* dtypeName(DType dtype) {
    for (const auto& d : kDTypes)
        if (d.dtype == dtype)
            return d.name;
    return "?";
}

std::size_t dtypeSize(DType dtype) {
    for (const auto& d : kDTypes)
        if (d.dtype == dtype)
            return d.size;
    return 0;
}

bool parseDType(const std::string& name, DType& out) {
    for (const auto& d : kDTypes)
        if (name == d.name) {
            out = d.dtype;
            return true;
        }
    return false;
}

std::int64_t TensorView::numel() const {
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

std::string TensorView::shapeString() const {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

SafetensorsFile::SafetensorsFile(const std::string& path) : m_file(path) {
    const std::size_t fileSize = m_file.size();
    if (fileSize < 8)
        bad(path, "the file is " + std::to_string(fileSize) + " bytes, shorter than the 8-byte header length");
    const std::uint64_t headerLen = readU64LE(m_file.data());
    if (headerLen > kMaxHeaderBytes)
        bad(path, "the header length field says " + std::to_string(headerLen) + " bytes (limit 100 MB)");
    if (headerLen > fileSize - 8)
        bad(path, "the header length field says " + std::to_string(headerLen) + " bytes but only " +
                      std::to_string(fileSize - 8) + " follow (truncated file?)");
    const std::string headerText(reinterpret_cast<const char*>(m_file.data() + 8), headerLen);
    util::Json header;
    try {
        header = util::Json::parse(headerText);
    } catch (const util::Json::exception& e) {
        bad(path, std::string("the header is not JSON (") + e.what() + ")");
    }
    if (!header.is_object())
        bad(path, "the header is not a JSON object");

    const std::uint8_t* dataStart = m_file.data() + 8 + headerLen;
    const std::uint64_t dataSize = fileSize - 8 - headerLen;
    struct Span {
        std::uint64_t begin, end;
        std::size_t index;
    };
    std::vector<Span> spans;
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        const auto& entry = it.value();
        if (name == "__metadata__") {
            if (!entry.is_object())
                bad(path, "__metadata__ is not an object");
            for (auto m = entry.begin(); m != entry.end(); ++m) {
                if (!m.value().is_string())
                    bad(path, "__metadata__ value '" + m.key() + "' is not a string");
                m_metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = "tensor '" + name + "'";
        if (!entry.is_object())
            bad(path, where + " is not an object");
        if (!entry.contains("dtype") || !entry["dtype"].is_string())
            bad(path, where + " has no string 'dtype'");
        TensorView view;
        view.name = name;
        const std::string dt = entry["dtype"].get<std::string>();
        if (!parseDType(dt, view.dtype)) {
            if (dt.rfind("F8", 0) == 0 || dt == "F4" || dt.rfind("F6", 0) == 0 || dt == "C64")
                throw FormatError("'" + path + "': " + where + " has dtype " + dt +
                                  ", which this build does not support; convert the checkpoint to BF16, F16 or F32");
            bad(path, where + " has unknown dtype '" + dt + "'");
        }
        if (!entry.contains("shape") || !entry["shape"].is_array())
            bad(path, where + " has no 'shape' array");
        std::uint64_t numel = 1;
        for (const auto& d : entry["shape"]) {
            if (!d.is_number_unsigned() && !(d.is_number_integer() && d.get<long long>() >= 0))
                bad(path, where + " has a shape entry that is not a non-negative integer: " + d.dump());
            const std::uint64_t dim = d.get<std::uint64_t>();
            if (dim != 0 && numel > std::numeric_limits<std::uint64_t>::max() / dim)
                bad(path, where + " has a shape whose size overflows");
            numel *= dim;
            view.shape.push_back(static_cast<std::int64_t>(dim));
        }
        if (!entry.contains("data_offsets") || !entry["data_offsets"].is_array() || entry["data_offsets"].size() != 2)
            bad(path, where + " has no 'data_offsets' pair");
        for (const auto& o : entry["data_offsets"])
            if (!o.is_number_unsigned() && !(o.is_number_integer() && o.get<long long>() >= 0))
                bad(path, where + " has a data offset that is not a non-negative integer");
        const std::uint64_t begin = entry["data_offsets"][0].get<std::uint64_t>();
        const std::uint64_t end = entry["data_offsets"][1].get<std::uint64_t>();
        if (end < begin)
            bad(path, where + " ends (" + std::to_string(end) + ") before it begins (" + std::to_string(begin) + ")");
        if (end > dataSize)
            bad(path, where + " spans bytes [" + std::to_string(begin) + ", " + std::to_string(end) +
                          ") but the data buffer has only " + std::to_string(dataSize) + " bytes (truncated file?)");
        const std::size_t elemSize = dtypeSize(view.dtype);
        if (numel > std::numeric_limits<std::uint64_t>::max() / elemSize || numel * elemSize != end - begin)
            bad(path, where + " has shape " + view.shapeString() + " of " + dt + " (" +
                          std::to_string(numel * elemSize) + " bytes) but its span holds " +
                          std::to_string(end - begin) + " bytes");
        view.data = dataStart + begin;
        view.bytes = end - begin;
        spans.push_back({begin, end, m_tensors.size()});
        m_tensors.push_back(std::move(view));
    }
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    std::uint64_t cursor = 0;
    for (const auto& s : spans) {
        const auto& name = m_tensors[s.index].name;
        if (s.begin < cursor)
            bad(path, "tensor '" + name + "' overlaps the tensor before it");
        if (s.begin > cursor)
            bad(path, "there is a gap of " + std::to_string(s.begin - cursor) + " bytes before tensor '" + name + "'");
        cursor = s.end;
    }
    if (cursor != dataSize)
        bad(path, "the data buffer has " + std::to_string(dataSize - cursor) +
                      " bytes after the last tensor (header and file size disagree)");
    for (std::size_t i = 0; i < m_tensors.size(); ++i)
        m_index[m_tensors[i].name] = i;
}

const TensorView& SafetensorsFile::tensor(const std::string& name) const {
    auto it = m_index.find(name);
    if (it == m_index.end())
        throw WeightsError("'" + path() + "' has no tensor named '" + name + "'");
    return m_tensors[it->second];
}

std::vector<std::string> SafetensorsFile::names() const {
    std::vector<std::string> out;
    for (const auto& [name, i] : m_index)
        out.push_back(name);
    return out;
}

SafetensorsCheckpoint SafetensorsCheckpoint::open(const std::string& pathIn) {
    fs::path path(pathIn);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        if (fs::exists(path / "model.safetensors.index.json"))
            path /= "model.safetensors.index.json";
        else if (fs::exists(path / "model.safetensors"))
            path /= "model.safetensors";
        else
            throw FormatError("'" + pathIn + "' holds neither model.safetensors nor model.safetensors.index.json; "
                              "point at a Hugging Face model folder saved with safetensors");
    }
    SafetensorsCheckpoint ckpt;
    const std::string p = path.string();
    if (p.size() >= 5 && p.compare(p.size() - 5, 5, ".json") == 0) {
        const util::Json index = util::readJsonFile(p);
        if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
            throw FormatError("'" + p + "' has no 'weight_map' object; it is not a safetensors shard index");
        std::map<std::string, std::size_t> shardOf;
        for (auto it = index["weight_map"].begin(); it != index["weight_map"].end(); ++it) {
            if (!it.value().is_string())
                throw FormatError("'" + p + "': weight_map entry '" + it.key() + "' is not a file name");
            const std::string file = it.value().get<std::string>();
            if (file.find('/') != std::string::npos || file == ".." || file.empty())
                throw FormatError("'" + p + "': weight_map names '" + file + "', which is not a file beside the index");
            auto found = shardOf.find(file);
            if (found == shardOf.end()) {
                const fs::path shardPath = path.parent_path() / file;
                if (!fs::exists(shardPath))
                    throw FormatError("'" + p + "' names shard '" + file + "', which is missing; download every shard");
                ckpt.m_shards.push_back(std::make_shared<SafetensorsFile>(shardPath.string()));
                found = shardOf.emplace(file, ckpt.m_shards.size() - 1).first;
            }
            const auto& shard = *ckpt.m_shards[found->second];
            if (!shard.contains(it.key()))
                throw WeightsError("'" + p + "' maps '" + it.key() + "' to '" + file + "', which does not hold it");
            ckpt.m_where[it.key()] = found->second;
        }
    } else {
        ckpt.m_shards.push_back(std::make_shared<SafetensorsFile>(p));
        for (const auto& t : ckpt.m_shards[0]->tensors())
            ckpt.m_where[t.name] = 0;
    }
    return ckpt;
}

const TensorView& SafetensorsCheckpoint::tensor(const std::string& name) const {
    auto it = m_where.find(name);
    if (it == m_where.end())
        throw WeightsError("the checkpoint has no tensor named '" + name + "'");
    return m_shards[it->second]->tensor(name);
}

std::vector<std::string> SafetensorsCheckpoint::names() const {
    std::vector<std::string> out;
    for (const auto& [name, i] : m_where)
        out.push_back(name);
    return out;
}

std::uint64_t SafetensorsCheckpoint::totalBytes() const {
    std::uint64_t total = 0;
    for (const auto& [name, i] : m_where)
        total += m_shards[i]->tensor(name).bytes;
    return total;
}

void SafetensorsWriter::add(const std::string& name, DType dtype, std::vector<std::int64_t> shape, const void* data,
                            std::size_t bytes) {
    if (name.empty() || name == "__metadata__")
        throw InputError("a safetensors tensor cannot be named '" + name + "'");
    std::uint64_t numel = 1;
    for (auto d : shape) {
        if (d < 0)
            throw InputError("tensor '" + name + "' has a negative dimension");
        numel *= static_cast<std::uint64_t>(d);
    }
    if (numel * dtypeSize(dtype) != bytes)
        throw InputError("tensor '" + name + "': " + std::to_string(bytes) + " bytes do not fit its shape and dtype");
    Entry e{dtype, std::move(shape), {}};
    const auto* p = static_cast<const std::uint8_t*>(data);
    e.bytes.assign(p, p + bytes);
    m_entries[name] = std::move(e);
}

void SafetensorsWriter::write(const std::string& path) const {
    util::Json header = util::Json::object();
    std::uint64_t offset = 0;
    for (const auto& [name, e] : m_entries) {
        header[name] = {{"dtype", dtypeName(e.dtype)},
                        {"shape", e.shape},
                        {"data_offsets", {offset, offset + e.bytes.size()}}};
        offset += e.bytes.size();
    }
    if (!m_metadata.empty())
        header["__metadata__"] = m_metadata;
    std::string text = header.dump();
    while ((text.size() % 8) != 0)
        text.push_back(' ');
    util::writeFileAtomically(path, [&](std::ostream& out) {
        std::uint8_t len[8];
        const std::uint64_t n = text.size();
        for (int i = 0; i < 8; ++i)
            len[i] = static_cast<std::uint8_t>(n >> (8 * i));
        out.write(reinterpret_cast<const char*>(len), 8);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        for (const auto& [name, e] : m_entries)
            out.write(reinterpret_cast<const char*>(e.bytes.data()), static_cast<std::streamsize>(e.bytes.size()));
    });
}

}  // namespace sena::model
