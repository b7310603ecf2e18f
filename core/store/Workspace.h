#pragma once
// A workspace: a folder holding workspace.sqlite (the single source of truth for images, rounds,
// questions, answers, pairs and presets) plus checkpoints/, exports/ and thumbnails/.
//
// Each thread that touches the workspace opens its own Workspace (one SQLite connection each);
// WAL lets the GUI read while a worker writes. The store objects returned below are light views
// over this connection and must not outlive it.
#include "store/CorruptionPresetStore.h"
#include "store/Database.h"
#include "store/GenerationStore.h"
#include "store/ImageImporter.h"
#include "store/ImageStore.h"
#include "store/PairStore.h"
#include "store/ProgressStore.h"
#include "store/QuestionStore.h"
#include "store/RoundStore.h"
#include "store/TrainingStore.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sena::store {

struct WorkspaceOptions {
    // Read-only: nothing is written, not even a schema upgrade (an older workspace is refused).
    bool readOnly = false;
    int busyTimeoutMs = 5000;
};

class Workspace {
public:
    static constexpr const char* kDatabaseFile = "workspace.sqlite";

    // Creates the folder (if needed), its sub-folders and a new database at the current schema.
    // Throws StoreError when the folder already holds a workspace.
    static Workspace create(const std::string& folder, const WorkspaceOptions& options = {});
    // Opens an existing workspace and upgrades an older schema. Refuses, without changing the
    // file, anything that is not SQLite, not a SENA workspace, truncated, or made by a newer
    // version of the app.
    static Workspace open(const std::string& folder, const WorkspaceOptions& options = {});
    // Whether `folder` holds a workspace database (it may still fail to open).
    static bool exists(const std::string& folder);

    Workspace(Workspace&&) noexcept;
    Workspace& operator=(Workspace&&) noexcept;
    ~Workspace();

    const std::string& folder() const { return m_folder; }
    std::string databasePath() const;
    std::string checkpointsFolder() const;
    std::string exportsFolder() const;
    std::string thumbnailsFolder() const;
    int schemaVersion();

    Database& database() { return *m_db; }
    ImageStore images() { return ImageStore(*m_db); }
    RoundStore rounds() { return RoundStore(*m_db); }
    ProgressStore progress() { return ProgressStore(*m_db); }
    QuestionStore questions() { return QuestionStore(*m_db); }
    GenerationStore generations() { return GenerationStore(*m_db); }
    PairStore pairs() { return PairStore(*m_db); }
    CorruptionPresetStore presets() { return CorruptionPresetStore(*m_db); }
    TrainingStore training() { return TrainingStore(*m_db); }

    // Imports a folder of images (see ImageImporter); the workspace's checkpoints/, exports/ and
    // thumbnails/ are never scanned.
    ImportSummary importImages(const std::string& imageFolder, const ImportProgressCallback& progress = {},
                               ImportOptions options = {});

    // A full consistency check of the database file (reads every page); empty when sound.
    std::vector<std::string> checkIntegrity();

    // Workspace-wide settings (key → text), e.g. "default_model".
    std::optional<std::string> setting(const std::string& key);
    void setSetting(const std::string& key, const std::string& value);

    // Refreshes the query planner's statistics (ANALYZE) when the pairs table has grown
    // or shrunk by half since they were taken, or when `force`. Without them SQLite assumes a
    // round filter matches ~10 rows and sorts whole rounds instead of walking the sort indexes.
    // Runs on open and on close; a pipeline can call it after a bulk insert. Returns whether it ran.
    bool refreshStatistics(bool force = false);

private:
    Workspace(std::string folder, std::unique_ptr<Database> db);

    std::string m_folder;
    std::unique_ptr<Database> m_db;
};

}  // namespace sena::store
