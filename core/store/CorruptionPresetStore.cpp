#include "store/CorruptionPresetStore.h"

#include "store/Database.h"
#include "util/Error.h"

namespace sena::store {

namespace {

std::string trimmedName(const std::string& name) {
    const char* blanks = " \t\r\n";
    std::size_t first = name.find_first_not_of(blanks);
    if (first == std::string::npos)
        throw InputError("a corruption preset needs a name");
    return name.substr(first, name.find_last_not_of(blanks) - first + 1);
}

CorruptionPreset readPreset(const Statement& s) {
    return CorruptionPreset{s.getInt64(0), s.getText(1), s.getText(2), s.getText(3)};
}

}  // namespace

std::vector<CorruptionPreset> CorruptionPresetStore::list() {
    auto s = m_db.cached("SELECT id, name, spec, created_at FROM corruption_presets ORDER BY name");
    std::vector<CorruptionPreset> presets;
    while (s->step())
        presets.push_back(readPreset(*s));
    return presets;
}

std::optional<CorruptionPreset> CorruptionPresetStore::find(const std::string& name) {
    auto s = m_db.cached("SELECT id, name, spec, created_at FROM corruption_presets WHERE name = ?");
    s->bind(1, trimmedName(name));
    if (!s->step())
        return std::nullopt;
    return readPreset(*s);
}

std::int64_t CorruptionPresetStore::save(const std::string& name, const std::string& spec) {
    if (spec.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InputError("corruption preset '" + name + "' needs a spec, e.g. 'diffusion:t=600'");
    std::string key = trimmedName(name);
    auto s = m_db.cached(
        "INSERT INTO corruption_presets(name, spec) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET spec = excluded.spec RETURNING id");
    s->bindAll(key, spec);
    s->step();
    return s->getInt64(0);
}

void CorruptionPresetStore::rename(const std::string& oldName, const std::string& newName) {
    std::string from = trimmedName(oldName);
    std::string to = trimmedName(newName);
    if (from == to)
        return;
    if (find(to))
        throw InputError("a corruption preset named '" + to + "' already exists: choose another name");
    auto s = m_db.cached("UPDATE corruption_presets SET name = ? WHERE name = ?");
    s->bindAll(to, from).run();
    if (m_db.changes() == 0)
        throw InputError("there is no corruption preset named '" + from + "'");
}

bool CorruptionPresetStore::remove(const std::string& name) {
    auto s = m_db.cached("DELETE FROM corruption_presets WHERE name = ?");
    s->bind(1, trimmedName(name)).run();
    return m_db.changes() > 0;
}

}  // namespace sena::store
