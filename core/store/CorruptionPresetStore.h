#pragma once
// Named corruption recipes ("blur:sigma=2+diffusion:t=600") the corruption view saves and a round
// config can refer to. The spec text is stored as written; the corruption engine parses it.
#include "store/Records.h"

#include <optional>
#include <string>
#include <vector>

namespace sena::store {

class Database;

class CorruptionPresetStore {
public:
    explicit CorruptionPresetStore(Database& db) : m_db(db) {}

    std::vector<CorruptionPreset> list();  // by name
    std::optional<CorruptionPreset> find(const std::string& name);
    // Creates the preset, or replaces the spec of the preset with that name; returns its id.
    std::int64_t save(const std::string& name, const std::string& spec);
    // Throws InputError when `newName` is taken or `oldName` does not exist.
    void rename(const std::string& oldName, const std::string& newName);
    bool remove(const std::string& name);

private:
    Database& m_db;
};

}  // namespace sena::store
