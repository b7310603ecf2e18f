#pragma once
// The workspace schema and its migrations.
//
// PRAGMA user_version holds the schema version and PRAGMA application_id marks the file as a SENA
// workspace. Migrations are cumulative: a database at version v runs steps v+1 .. current, each in
// its own transaction, so an upgrade interrupted half-way leaves a consistent older version.
//
//   1: images (+ import roots, scanned files), rounds, round images, stage progress, questions,
//      generations, pairs (+ tags, filter hits), with the indexes the queries need.
//   2: full-text index over pair texts (kept in sync by triggers) and corruption presets.
//
// Version 3 adds workspace settings, version 4 training runs, metrics and the reference cache.
#include <cstdint>
#include <string>
#include <vector>

namespace sena::store {

class Database;

constexpr int kSchemaVersion = 4;
constexpr std::int32_t kApplicationId = 0x53454E41;  // "SENA"

struct Migration {
    int version;          // the version the database has after this step
    const char* summary;  // for logs and error messages
    void (*apply)(Database& db);
};

// All steps, in order: step i brings version i to i + 1.
const std::vector<Migration>& schemaMigrations();

struct SchemaInfo {
    std::int32_t applicationId = 0;
    int version = 0;
    int objectCount = 0;  // entries in sqlite_master (0 for a new, empty database)
};

// Reads the identification of an open database without writing anything. A file that is not
// SQLite or is damaged throws StoreError (NotAWorkspace / Corrupt).
SchemaInfo readSchemaInfo(Database& db);

// Throws StoreError when `info` is not a SENA workspace this code can open: another application's
// database (NotAWorkspace) or a newer schema (NewerSchema). An empty database is acceptable only
// when `allowEmpty` (creating a workspace).
void checkSchemaCompatible(const SchemaInfo& info, const std::string& path, bool allowEmpty);

// Applies the migrations from the database's version up to `targetVersion` (tests pass an older
// target to build an old-format workspace). Returns the number of steps applied.
int migrateSchema(Database& db, int targetVersion = kSchemaVersion);

}  // namespace sena::store
