#include "store/Schema.h"

#include "store/Database.h"
#include "store/Transaction.h"

namespace sena::store {

namespace {

// ISO-8601 UTC with milliseconds: sorts as text, reads plainly, and is what the stores write.
#define SENA_NOW "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

void migrateTo1(Database& db) {
    db.exec(R"SQL(
CREATE TABLE import_roots (
    id        INTEGER PRIMARY KEY,
    path      TEXT NOT NULL UNIQUE,            -- absolute folder the image paths are relative to
    added_at  TEXT NOT NULL DEFAULT )SQL" SENA_NOW R"SQL(
);

-- One row per distinct image content (sha256), found at root/rel_path when first imported.
CREATE TABLE images (
    id            INTEGER PRIMARY KEY,
    root_id       INTEGER NOT NULL REFERENCES import_roots(id),
    rel_path      TEXT NOT NULL,
    sha256        TEXT UNIQUE,                 -- NULL only when the file could not be read
    width         INTEGER,                     -- NULL when the file did not decode
    height        INTEGER,
    format        TEXT,
    bytes         INTEGER NOT NULL,
    mtime_ns      INTEGER NOT NULL,            -- nanoseconds since the Unix epoch
    import_error  TEXT,                        -- NULL when the image decoded
    imported_at   TEXT NOT NULL DEFAULT )SQL" SENA_NOW R"SQL(
);
CREATE INDEX images_root_path ON images(root_id, rel_path);
CREATE INDEX images_failed ON images(id) WHERE import_error IS NOT NULL;

-- Every file a folder scan has seen (duplicates included), so a re-scan skips files whose size
-- and mtime are unchanged without reading them.
CREATE TABLE image_files (
    id        INTEGER PRIMARY KEY,
    root_id   INTEGER NOT NULL REFERENCES import_roots(id),
    rel_path  TEXT NOT NULL,
    bytes     INTEGER NOT NULL,
    mtime_ns  INTEGER NOT NULL,
    image_id  INTEGER REFERENCES images(id) ON DELETE SET NULL,
    seen_at   TEXT NOT NULL DEFAULT )SQL" SENA_NOW R"SQL(,
    UNIQUE (root_id, rel_path)
);
CREATE INDEX image_files_image ON image_files(image_id);

CREATE TABLE rounds (
    id                    INTEGER PRIMARY KEY,
    idx                   INTEGER NOT NULL UNIQUE CHECK (idx >= 1),
    parent_round_id       INTEGER REFERENCES rounds(id) ON DELETE SET NULL,
    status                TEXT NOT NULL DEFAULT 'created' CHECK (status IN
                              ('created', 'generating', 'generated', 'scoring', 'training', 'trained',
                               'failed', 'cancelled')),
    generator_model_path  TEXT NOT NULL,
    generator_model_hash  TEXT NOT NULL DEFAULT '',
    config_json           TEXT NOT NULL CHECK (json_valid(config_json)),
    created_at            TEXT NOT NULL DEFAULT )SQL" SENA_NOW R"SQL(,
    started_at            TEXT,
    finished_at           TEXT,
    error                 TEXT
);

-- The images a round works on, in processing order.
CREATE TABLE round_images (
    round_id  INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    image_id  INTEGER NOT NULL REFERENCES images(id),
    ordinal   INTEGER NOT NULL,
    PRIMARY KEY (round_id, image_id)
) WITHOUT ROWID;
CREATE INDEX round_images_image ON round_images(image_id);
CREATE INDEX round_images_order ON round_images(round_id, ordinal);

-- Resumability: a stage's outputs for an image and its row here are written in one transaction,
-- so a restarted run skips exactly the (image, stage) work that was committed.
CREATE TABLE stage_done (
    round_id  INTEGER NOT NULL,
    image_id  INTEGER NOT NULL,
    stage     TEXT NOT NULL,
    done_at   TEXT NOT NULL DEFAULT )SQL" SENA_NOW R"SQL(,
    PRIMARY KEY (round_id, image_id, stage),
    FOREIGN KEY (round_id, image_id) REFERENCES round_images(round_id, image_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX stage_done_stage ON stage_done(round_id, stage);

CREATE TABLE questions (
    id                INTEGER PRIMARY KEY,
    round_id          INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    image_id          INTEGER NOT NULL REFERENCES images(id),
    ordinal           INTEGER NOT NULL DEFAULT 0,   -- position among the image's questions in the round
    first_question    TEXT NOT NULL,
    self_check_reply  TEXT NOT NULL DEFAULT '',
    final_question    TEXT NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 1,
    mode              TEXT NOT NULL CHECK (mode IN ('paper', 'code')),
    kept              INTEGER NOT NULL DEFAULT 1 CHECK (kept IN (0, 1)),
    created_at        TEXT NOT NULL DEFAULT )SQL" SENA_NOW R"SQL(,
    UNIQUE (round_id, image_id, ordinal)
);
CREATE INDEX questions_image ON questions(image_id, round_id);

-- Which question filters fired, and why (normalised so counts per filter are index lookups).
CREATE TABLE question_filter_hits (
    question_id  INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    filter       TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (question_id, filter)
) WITHOUT ROWID;
CREATE INDEX question_filter_hits_filter ON question_filter_hits(filter, question_id);

CREATE TABLE generations (
    id               INTEGER PRIMARY KEY,
    round_id         INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    image_id         INTEGER NOT NULL REFERENCES images(id),
    question_id      INTEGER REFERENCES questions(id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('self_question', 'self_check', 'caption', 'clean_answer',
                                                   'improved_answer', 'corrupted_answer')),
    prompt           TEXT NOT NULL,
    text             TEXT NOT NULL,
    corruption_spec  TEXT,
    corruption_seed  INTEGER,
    prompt_tokens    INTEGER,
    new_tokens       INTEGER,
    finish_reason    TEXT,
    created_at       TEXT NOT NULL DEFAULT )SQL" SENA_NOW R"SQL(
);
CREATE INDEX generations_round_kind ON generations(round_id, kind);
CREATE INDEX generations_image ON generations(image_id, round_id);
CREATE INDEX generations_question ON generations(question_id);

CREATE TABLE pairs (
    id                      INTEGER PRIMARY KEY,
    round_id                INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    image_id                INTEGER NOT NULL REFERENCES images(id),
    question_id             INTEGER REFERENCES questions(id) ON DELETE SET NULL,
    type                    TEXT NOT NULL CHECK (type IN ('des', 'gen')),
    prompt                  TEXT NOT NULL,
    chosen                  TEXT NOT NULL,
    rejected                TEXT NOT NULL,
    chosen_generation_id    INTEGER REFERENCES generations(id) ON DELETE SET NULL,
    rejected_generation_id  INTEGER REFERENCES generations(id) ON DELETE SET NULL,
    passed                  INTEGER NOT NULL DEFAULT 1 CHECK (passed IN (0, 1)),
    curation                TEXT NOT NULL DEFAULT 'pending'
                                CHECK (curation IN ('pending', 'accepted', 'rejected', 'edited')),
    edited_prompt           TEXT,
    edited_chosen           TEXT,
    edited_rejected         TEXT,
    tag_list                TEXT NOT NULL DEFAULT '',  -- sorted tags joined by ", " (for display and sorting)
    note                    TEXT NOT NULL DEFAULT '',
    ref_chosen_logp_sum     REAL,
    ref_chosen_logp_mean    REAL,
    ref_rejected_logp_sum   REAL,
    ref_rejected_logp_mean  REAL,
    ref_model_hash          TEXT,
    created_at              TEXT NOT NULL DEFAULT )SQL" SENA_NOW R"SQL(,
    updated_at              TEXT NOT NULL DEFAULT )SQL" SENA_NOW R"SQL(,
    -- What training uses: the curator's edit when there is one, else the generated text.
    eff_prompt              TEXT GENERATED ALWAYS AS (coalesce(edited_prompt, prompt)) VIRTUAL,
    eff_chosen              TEXT GENERATED ALWAYS AS (coalesce(edited_chosen, chosen)) VIRTUAL,
    eff_rejected            TEXT GENERATED ALWAYS AS (coalesce(edited_rejected, rejected)) VIRTUAL,
    chosen_len              INTEGER GENERATED ALWAYS AS (length(coalesce(edited_chosen, chosen))) VIRTUAL,
    rejected_len            INTEGER GENERATED ALWAYS AS (length(coalesce(edited_rejected, rejected))) VIRTUAL,
    -- Reference margin on summed log-probs, the quantity DPO's implicit reward compares.
    margin                  REAL GENERATED ALWAYS AS (ref_chosen_logp_sum - ref_rejected_logp_sum) VIRTUAL,
    -- 1 when either effective answer is a bare yes or no (case, blanks and closing punctuation
    -- ignored): a column so that the filter is an index lookup, not a scan over every text.
    yes_no                  INTEGER GENERATED ALWAYS AS (
                                lower(trim(coalesce(edited_chosen, chosen), ' .!' || char(9, 10, 13))) IN ('yes', 'no')
                                OR lower(trim(coalesce(edited_rejected, rejected), ' .!' || char(9, 10, 13)))
                                   IN ('yes', 'no')) VIRTUAL
);
-- Filters and per-round counts.
CREATE INDEX pairs_round_curation ON pairs(round_id, curation);
CREATE INDEX pairs_round_type ON pairs(round_id, type, passed);
CREATE INDEX pairs_yes_no ON pairs(yes_no);
CREATE INDEX pairs_image ON pairs(image_id, round_id, curation);
-- Foreign keys whose parent rows can be deleted: without these, each delete scans all pairs.
CREATE INDEX pairs_question ON pairs(question_id);
CREATE INDEX pairs_chosen_generation ON pairs(chosen_generation_id);
CREATE INDEX pairs_rejected_generation ON pairs(rejected_generation_id);
-- One index per sort key of the pair browser (PairQuery.cpp): an index on (key) holds
-- (key, rowid), exactly the "ORDER BY key, id" of a page, so a page reads only its own rows.
CREATE INDEX pairs_sort_round ON pairs(round_id);
CREATE INDEX pairs_sort_type ON pairs(type);
CREATE INDEX pairs_sort_curation ON pairs(curation);
CREATE INDEX pairs_sort_passed ON pairs(passed);
CREATE INDEX pairs_sort_chosen_len ON pairs(chosen_len);
CREATE INDEX pairs_sort_rejected_len ON pairs(rejected_len);
CREATE INDEX pairs_sort_margin ON pairs(margin);
CREATE INDEX pairs_sort_updated ON pairs(updated_at);
CREATE INDEX pairs_sort_tags ON pairs(tag_list);
-- Texts sort case-insensitively. Full-text keys cost more space than a prefix would, but a
-- prefix key turns thousands of identical short answers ("No") into one block SQLite must sort
-- before it can return the first page.
CREATE INDEX pairs_sort_prompt ON pairs(eff_prompt COLLATE NOCASE);
CREATE INDEX pairs_sort_chosen ON pairs(eff_chosen COLLATE NOCASE);
CREATE INDEX pairs_sort_rejected ON pairs(eff_rejected COLLATE NOCASE);

CREATE TABLE pair_tags (
    pair_id  INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (pair_id, tag)
) WITHOUT ROWID;
CREATE INDEX pair_tags_tag ON pair_tags(tag, pair_id);

CREATE TABLE pair_filter_hits (
    pair_id  INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    filter   TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (pair_id, filter)
) WITHOUT ROWID;
CREATE INDEX pair_filter_hits_filter ON pair_filter_hits(filter, pair_id);
)SQL");
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
}

void migrateTo2(Database& db) {
    // External-content FTS5 over the effective texts: the index stores no second copy of them,
    // and the triggers below keep it in step with every insert, edit and delete.
    db.exec(R"SQL(
CREATE VIRTUAL TABLE pairs_fts USING fts5(
    eff_prompt, eff_chosen, eff_rejected,
    content = 'pairs', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO pairs_fts(pairs_fts) VALUES ('rebuild');

CREATE TRIGGER pairs_fts_insert AFTER INSERT ON pairs BEGIN
    INSERT INTO pairs_fts(rowid, eff_prompt, eff_chosen, eff_rejected)
    VALUES (new.id, new.eff_prompt, new.eff_chosen, new.eff_rejected);
END;
CREATE TRIGGER pairs_fts_delete AFTER DELETE ON pairs BEGIN
    INSERT INTO pairs_fts(pairs_fts, rowid, eff_prompt, eff_chosen, eff_rejected)
    VALUES ('delete', old.id, old.eff_prompt, old.eff_chosen, old.eff_rejected);
END;
-- Only text changes touch the index; curation, tags and scores do not.
CREATE TRIGGER pairs_fts_update
AFTER UPDATE OF prompt, chosen, rejected, edited_prompt, edited_chosen, edited_rejected ON pairs BEGIN
    INSERT INTO pairs_fts(pairs_fts, rowid, eff_prompt, eff_chosen, eff_rejected)
    VALUES ('delete', old.id, old.eff_prompt, old.eff_chosen, old.eff_rejected);
    INSERT INTO pairs_fts(rowid, eff_prompt, eff_chosen, eff_rejected)
    VALUES (new.id, new.eff_prompt, new.eff_chosen, new.eff_rejected);
END;

CREATE TABLE corruption_presets (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    spec        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT )SQL" SENA_NOW R"SQL(
);
-- The corruptions of SENA (diffusion noise at t=600), SeVa (t=500, t=800) and STIC (downsizing,
-- colour jitter), as starting points a user can edit or delete.
INSERT INTO corruption_presets(name, spec) VALUES
    ('SENA diffusion t=600', 'diffusion:t=600'),
    ('SeVa diffusion t=500', 'diffusion:t=500'),
    ('SeVa diffusion t=800', 'diffusion:t=800'),
    ('STIC downsize 20 px', 'downscale:size=20'),
    ('STIC colour jitter', 'jitter:brightness=0.5,hue=0.3');
)SQL");
}

void migrateTo3(Database& db) {
    // Workspace-wide settings a later run needs (e.g. the base model chosen at creation).
    db.exec(R"SQL(
CREATE TABLE settings (
    key    TEXT PRIMARY KEY CHECK (length(key) > 0),
    value  TEXT NOT NULL
) WITHOUT ROWID;
)SQL");
}

void migrateTo4(Database& db) {
    // Training: one run per round training, a metric row per optimizer step and name (TRL's names),
    // the pairs of each step (so a point on a curve can show its pairs), and reference log-probs
    // cached by (model content hash, pair text hash) so scoring resumes and survives curation.
    db.exec(R"SQL(
CREATE TABLE training_runs (
    id            INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    status        TEXT NOT NULL DEFAULT 'running'
                  CHECK (status IN ('running', 'finished', 'failed', 'cancelled')),
    config_json   TEXT NOT NULL,
    output_dir    TEXT NOT NULL,
    model_out     TEXT,
    steps         INTEGER NOT NULL DEFAULT 0,
    total_steps   INTEGER NOT NULL DEFAULT 0,
    error         TEXT,
    started_at    TEXT NOT NULL DEFAULT )SQL" SENA_NOW R"SQL(,
    finished_at   TEXT
);
CREATE INDEX training_runs_round ON training_runs(round_id);

CREATE TABLE train_metrics (
    run_id  INTEGER NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
    step    INTEGER NOT NULL,
    name    TEXT NOT NULL,
    value   REAL NOT NULL,
    PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;

CREATE TABLE train_step_pairs (
    run_id   INTEGER NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
    step     INTEGER NOT NULL,
    pair_id  INTEGER NOT NULL,
    PRIMARY KEY (run_id, step, pair_id)
) WITHOUT ROWID;

CREATE TABLE reference_cache (
    model_hash      TEXT NOT NULL,
    pair_hash       TEXT NOT NULL,
    chosen_sum      REAL NOT NULL,
    rejected_sum    REAL NOT NULL,
    chosen_tokens   INTEGER NOT NULL,
    rejected_tokens INTEGER NOT NULL,
    PRIMARY KEY (model_hash, pair_hash)
) WITHOUT ROWID;
)SQL");
}

#undef SENA_NOW

}  // namespace

const std::vector<Migration>& schemaMigrations() {
    static const std::vector<Migration> steps = {
        {1, "core tables: images, rounds, questions, generations, pairs, progress", &migrateTo1},
        {2, "full-text search over pairs; corruption presets", &migrateTo2},
        {3, "workspace settings", &migrateTo3},
        {4, "training runs, per-step metrics, reference log-prob cache", &migrateTo4},
    };
    return steps;
}

SchemaInfo readSchemaInfo(Database& db) {
    SchemaInfo info;
    // Reading sqlite_master parses every page of the schema, so a non-SQLite or badly damaged file
    // fails here, before anything is written.
    info.objectCount = static_cast<int>(db.queryInt64("SELECT count(*) FROM sqlite_master"));
    info.applicationId = static_cast<std::int32_t>(db.queryInt64("PRAGMA application_id"));
    info.version = static_cast<int>(db.queryInt64("PRAGMA user_version"));
    return info;
}

void checkSchemaCompatible(const SchemaInfo& info, const std::string& path, bool allowEmpty) {
    bool empty = info.objectCount == 0 && info.version == 0 && info.applicationId == 0;
    if (empty) {
        if (allowEmpty)
            return;
        throw StoreError(StoreError::Kind::NotAWorkspace,
                         "'" + path +
                             "' is an empty SQLite database, not a SENA workspace: create a workspace "
                             "in a new folder instead");
    }
    if (info.applicationId != kApplicationId)
        throw StoreError(StoreError::Kind::NotAWorkspace,
                         "'" + path + "' is a SQLite database of another application (application id " +
                             std::to_string(info.applicationId) +
                             "), not a SENA workspace: choose a workspace folder or create a new one");
    if (info.version > kSchemaVersion)
        throw StoreError(StoreError::Kind::NewerSchema,
                         "'" + path + "' was made by a newer SENA Workbench (schema " + std::to_string(info.version) +
                             " > " + std::to_string(kSchemaVersion) +
                             "); upgrade the app to open it. The file was left unchanged.");
    if (info.version < 1)
        throw StoreError(StoreError::Kind::Corrupt, "'" + path +
                                                        "' carries the SENA mark but no schema version: "
                                                        "the file is corrupt: restore it from a backup");
}

int migrateSchema(Database& db, int targetVersion) {
    if (targetVersion < 0 || targetVersion > kSchemaVersion)
        throw StoreError(StoreError::Kind::General, "cannot migrate '" + db.path() + "' to schema " +
                                                        std::to_string(targetVersion) + ": this build knows 0.." +
                                                        std::to_string(kSchemaVersion));
    // Checked before taking the write lock, so opening an up-to-date workspace never waits for a
    // writer in another thread or process.
    if (db.queryInt64("PRAGMA user_version") >= targetVersion)
        return 0;
    int applied = 0;
    for (const Migration& step : schemaMigrations()) {
        if (step.version > targetVersion)
            break;
        Transaction tx(db);
        // Re-read under the write lock: another process may have upgraded the file meanwhile.
        int current = static_cast<int>(db.queryInt64("PRAGMA user_version"));
        if (current >= step.version)
            continue;
        if (current != step.version - 1)
            throw StoreError(StoreError::Kind::Corrupt, "'" + db.path() + "' is at schema " + std::to_string(current) +
                                                            ", which has no step to " + std::to_string(step.version) +
                                                            ": the file is corrupt: restore it from a backup");
        try {
            step.apply(db);
        } catch (const StoreError& e) {
            throw StoreError(e.kind(),
                             "upgrading '" + db.path() + "' to schema " + std::to_string(step.version) + " (" +
                                 step.summary + ") failed, nothing was changed: " + e.what(),
                             e.sqliteCode());
        }
        db.exec("PRAGMA user_version = " + std::to_string(step.version));
        tx.commit();
        ++applied;
    }
    return applied;
}

}  // namespace sena::store
