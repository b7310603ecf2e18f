// Workspace creation, schema migrations, and files that must be refused without being modified.
#include "StoreTestUtil.h"
#include "store/Schema.h"

#include <chrono>
#include <filesystem>

using namespace storetest;
using sena::StoreError;
namespace fs = std::filesystem;

class SchemaTests : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_counter = 0;

    std::string newFolder() { return tempPath(m_dir, "ws" + std::to_string(++m_counter)); }

    static std::vector<std::string> objectNames(Database& db, const char* type) {
        Statement s = db.prepare("SELECT name FROM sqlite_master WHERE type = ? ORDER BY name");
        s.bind(1, type);
        std::vector<std::string> names;
        while (s.step())
            names.push_back(s.getText(0));
        return names;
    }
    static bool has(const std::vector<std::string>& names, const std::string& name) {
        return std::find(names.begin(), names.end(), name) != names.end();
    }

    // A workspace holding some data, closed, with everything checkpointed into the main file.
    std::string workspaceWithPairs(int pairs) {
        std::string folder = newFolder();
        {
            Workspace ws = Workspace::create(folder);
            std::int64_t round = addRound(ws);
            std::int64_t image = addImage(ws, "a.jpg");
            Transaction tx(ws.database());
            for (int i = 0; i < pairs; ++i)
                ws.pairs().insert(makePair(round, image, "What is shown in picture " + std::to_string(i) + "?",
                                           "A long and detailed chosen answer number " + std::to_string(i),
                                           "A rejected answer " + std::to_string(i)));
            tx.commit();
        }
        return folder;
    }

    // Expects Workspace::open to refuse `folder` with `kind` and a message containing `fragment`,
    // leaving workspace.sqlite byte-for-byte as it was.
    void expectRefusedUnchanged(const std::string& folder, StoreError::Kind kind, const std::string& fragment) {
        std::string file = folder + "/" + Workspace::kDatabaseFile;
        std::string before = fileHash(file);
        auto refused = catchStoreError([&] { Workspace::open(folder); });
        QVERIFY2(refused.thrown, "the file was opened");
        QVERIFY2(refused.kind == kind, refused.message.c_str());
        QVERIFY2(refused.says(fragment), refused.message.c_str());
        QCOMPARE(fileHash(file), before);
    }

private slots:
    void createMakesTheCurrentSchema() {
        std::string folder = newFolder();
        Workspace ws = Workspace::create(folder);
        QCOMPARE(ws.schemaVersion(), kSchemaVersion);
        QCOMPARE(ws.database().queryInt64("PRAGMA application_id"), std::int64_t(kApplicationId));
        QCOMPARE(ws.database().journalMode(), std::string("wal"));
        QCOMPARE(ws.database().queryInt64("PRAGMA foreign_keys"), std::int64_t(1));
        for (const char* sub : {"checkpoints", "exports", "thumbnails"})
            QVERIFY2(fs::is_directory(fs::path(folder) / sub), sub);
        auto tables = objectNames(ws.database(), "table");
        for (const char* t : {"import_roots", "images", "image_files", "rounds", "round_images", "stage_done",
                              "questions", "question_filter_hits", "generations", "pairs", "pair_tags",
                              "pair_filter_hits", "corruption_presets", "pairs_fts", "settings", "training_runs",
                              "train_metrics", "train_step_pairs", "reference_cache"})
            QVERIFY2(has(tables, t), t);
        auto triggers = objectNames(ws.database(), "trigger");
        for (const char* t : {"pairs_fts_insert", "pairs_fts_update", "pairs_fts_delete"})
            QVERIFY2(has(triggers, t), t);
        QVERIFY(ws.checkIntegrity().empty());
        QVERIFY(Workspace::exists(folder));
        auto again = catchStoreError([&] { Workspace::create(folder); });
        QVERIFY2(again.says("already holds a workspace"), again.message.c_str());
    }

    void upgradesAVersion1Workspace() {
        std::string folder = newFolder();
        fs::create_directories(folder);
        std::string file = folder + "/" + Workspace::kDatabaseFile;
        {
            // Build the old format with the old migration steps only, then fill it as version 1 code would.
            DatabaseOptions options;
            options.create = true;
            Database db(file, options);
            db.enableWal();
            QCOMPARE(migrateSchema(db, 1), 1);
            QCOMPARE(db.queryInt64("PRAGMA user_version"), std::int64_t(1));
            QVERIFY(!has(objectNames(db, "table"), "pairs_fts"));
            QVERIFY(!has(objectNames(db, "table"), "corruption_presets"));
            db.exec(R"SQL(
                INSERT INTO import_roots(id, path) VALUES (1, '/data');
                INSERT INTO images(id, root_id, rel_path, sha256, width, height, format, bytes, mtime_ns)
                    VALUES (1, 1, 'zoo/zebra.jpg', 'aa', 10, 20, 'JPEG', 123, 456);
                INSERT INTO rounds(id, idx, generator_model_path, config_json) VALUES (1, 1, '/m', '{"a":1}');
                INSERT INTO questions(id, round_id, image_id, first_question, final_question, mode)
                    VALUES (1, 1, 1, 'What animal?', 'What animal is this?', 'paper');
                INSERT INTO pairs(id, round_id, image_id, question_id, type, prompt, chosen, rejected, curation)
                    VALUES (7, 1, 1, 1, 'gen', 'What animal is this?', 'A zebra crossing a road.', 'A horse.',
                            'accepted');
                INSERT INTO pair_tags(pair_id, tag) VALUES (7, 'animals');
                UPDATE pairs SET tag_list = 'animals' WHERE id = 7;
            )SQL");
        }
        Workspace ws = Workspace::open(folder);
        QCOMPARE(ws.schemaVersion(), kSchemaVersion);
        auto pair = ws.pairs().get(7);
        QVERIFY(pair.has_value());
        QCOMPARE(pair->chosen, std::string("A zebra crossing a road."));
        QVERIFY(pair->curation == Curation::Accepted);
        QCOMPARE(pair->tags, std::vector<std::string>{"animals"});
        QCOMPARE(ws.images().get(1)->relativePath, std::string("zoo/zebra.jpg"));
        // The new full-text index covers the rows that existed before the upgrade ...
        PairQuery query;
        query.filter.search = "zebra";
        auto found = ws.pairs().find(query);
        QCOMPARE(found.size(), std::size_t(1));
        QCOMPARE(found.front().id, std::int64_t(7));
        // ... and the triggers keep it current afterwards.
        ws.pairs().insert(makePair(1, 1, "Which stripes?", "Black zebra stripes.", "None."));
        QCOMPARE(ws.pairs().count(query.filter), std::int64_t(2));
        QVERIFY(!ws.presets().list().empty());
        QVERIFY(ws.presets().find("SENA diffusion t=600").has_value());
        QVERIFY(ws.checkIntegrity().empty());
    }

    void aFailedMigrationStepChangesNothing() {
        std::string folder = newFolder();
        fs::create_directories(folder);
        std::string file = folder + "/" + Workspace::kDatabaseFile;
        {
            DatabaseOptions options;
            options.create = true;
            Database db(file, options);
            migrateSchema(db, 1);
            // Something in the way of step 2 (as if a user had added a table of that name).
            db.exec("CREATE TABLE corruption_presets (x)");
        }
        auto failed = catchStoreError([&] { Workspace::open(folder); });
        QVERIFY(failed.thrown);
        QVERIFY2(failed.says("upgrading") && failed.says("schema 2") && failed.says("nothing was changed"),
                 failed.message.c_str());
        Database db(file);
        QCOMPARE(db.queryInt64("PRAGMA user_version"), std::int64_t(1));
        QVERIFY(!has(objectNames(db, "table"), "pairs_fts"));  // step 2 rolled back as a whole
    }

    void refusesANewerSchemaWithoutTouchingIt() {
        std::string folder = workspaceWithPairs(20);
        std::string file = folder + "/" + Workspace::kDatabaseFile;
        {
            Database db(file);
            db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1));
            db.checkpoint();
        }
        expectRefusedUnchanged(folder, StoreError::Kind::NewerSchema,
                               "newer SENA Workbench (schema " + std::to_string(kSchemaVersion + 1) + " > " +
                                   std::to_string(kSchemaVersion) + "); upgrade the app");
        WorkspaceOptions ro;
        ro.readOnly = true;
        QVERIFY(catchStoreError([&] { Workspace::open(folder, ro); }).kind == StoreError::Kind::NewerSchema);
    }

    void refusesAFileThatIsNotSqlite() {
        std::string folder = newFolder();
        fs::create_directories(folder);
        std::string text;
        for (int i = 0; i < 200; ++i)
            text += "these are my notes, not a database\n";
        writeBytes(folder + "/" + Workspace::kDatabaseFile, std::vector<std::uint8_t>(text.begin(), text.end()));
        expectRefusedUnchanged(folder, StoreError::Kind::NotAWorkspace, "not a SQLite database");
    }

    void refusesAnotherApplicationsDatabase() {
        std::string folder = newFolder();
        fs::create_directories(folder);
        {
            DatabaseOptions options;
            options.create = true;
            Database db(folder + "/" + Workspace::kDatabaseFile, options);
            db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada')");
        }
        expectRefusedUnchanged(folder, StoreError::Kind::NotAWorkspace, "not a SENA workspace");
    }

    void refusesAnEmptyFile() {
        std::string folder = newFolder();
        fs::create_directories(folder);
        writeBytes(folder + "/" + Workspace::kDatabaseFile, {});
        expectRefusedUnchanged(folder, StoreError::Kind::NotAWorkspace, "empty SQLite database");
        QCOMPARE(fs::file_size(folder + "/" + Workspace::kDatabaseFile), std::uintmax_t(0));
    }

    void refusesATruncatedDatabase() {
        std::string folder = workspaceWithPairs(600);
        std::string file = folder + "/" + Workspace::kDatabaseFile;
        auto bytes = readBytes(file);
        QVERIFY(bytes.size() > 16 * 4096);
        // Cut at a page boundary (only the header's page count reveals it) ...
        std::size_t pageSize = (std::size_t(bytes[16]) << 8) | bytes[17];
        writeBytes(file,
                   std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + (bytes.size() / 2 / pageSize) * pageSize));
        expectRefusedUnchanged(folder, StoreError::Kind::Corrupt, "truncated");
        // ... and mid-page, as an interrupted copy would.
        writeBytes(file, std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + bytes.size() / 3 + 123));
        expectRefusedUnchanged(folder, StoreError::Kind::Corrupt, "restore workspace.sqlite from a backup");
        // Cut inside the header.
        writeBytes(file, std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 50));
        expectRefusedUnchanged(folder, StoreError::Kind::Corrupt, "truncated");
    }

    void findsDamagedPagesWithTheIntegrityCheck() {
        std::string folder = workspaceWithPairs(600);
        std::string file = folder + "/" + Workspace::kDatabaseFile;
        auto bytes = readBytes(file);
        std::size_t pageSize = (std::size_t(bytes[16]) << 8) | bytes[17];
        // Scribble over the last three pages (b-tree pages of the tables or indexes).
        for (std::size_t i = bytes.size() - 3 * pageSize; i < bytes.size(); ++i)
            bytes[i] = static_cast<std::uint8_t>(i * 37 + 11);
        writeBytes(file, bytes);
        bool reported = false;
        auto error = catchStoreError([&] {
            Workspace ws = Workspace::open(folder);
            auto problems = ws.checkIntegrity();
            reported = !problems.empty();
            if (reported)
                qInfo("integrity check: %s", problems.front().c_str());
        });
        QVERIFY2(reported || (error.thrown && error.kind == StoreError::Kind::Corrupt), error.message.c_str());
    }

    void readOnlyDoesNotUpgrade() {
        std::string folder = newFolder();
        fs::create_directories(folder);
        std::string file = folder + "/" + Workspace::kDatabaseFile;
        {
            DatabaseOptions options;
            options.create = true;
            Database db(file, options);
            db.enableWal();
            migrateSchema(db, 1);
        }
        WorkspaceOptions ro;
        ro.readOnly = true;
        auto refused = catchStoreError([&] { Workspace::open(folder, ro); });
        QVERIFY(refused.kind == StoreError::Kind::ReadOnly);
        QVERIFY2(refused.says("open it once read-write"), refused.message.c_str());
        Database db(file);
        QCOMPARE(db.queryInt64("PRAGMA user_version"), std::int64_t(1));
    }

    void readOnlyOpensACurrentWorkspace() {
        std::string folder = workspaceWithPairs(5);
        WorkspaceOptions ro;
        ro.readOnly = true;
        Workspace ws = Workspace::open(folder, ro);
        QCOMPARE(ws.pairs().count(), std::int64_t(5));
        QVERIFY(catchStoreError([&] { ws.pairs().setNote(1, "x"); }).kind == StoreError::Kind::ReadOnly);
    }

    void plannerStatisticsFollowTheTable() {
        std::string folder = workspaceWithPairs(1500);  // closing analysed it: the table went 0 -> 1500
        {
            Workspace ws = Workspace::open(folder);
            QVERIFY(!ws.refreshStatistics());  // fresh
            QCOMPARE(ws.database().queryInt64("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'pairs'") > 0, true);
            ws.database().exec("DELETE FROM sqlite_stat1");
            QVERIFY(ws.refreshStatistics());
            QVERIFY(!ws.refreshStatistics());
            QVERIFY(ws.refreshStatistics(true));
        }
        Database writer(folder + "/" + Workspace::kDatabaseFile);
        writer.exec("DELETE FROM sqlite_stat1");  // stale again, behind the workspace's back
        // A writer in another process holds the lock: opening still succeeds, promptly, and
        // leaves the statistics for next time.
        Transaction held(writer);
        writer.exec("UPDATE pairs SET note = 'busy' WHERE id = 1");
        auto start = std::chrono::steady_clock::now();
        Workspace ws = Workspace::open(folder);
        auto waited = std::chrono::steady_clock::now() - start;
        QVERIFY2(waited < std::chrono::seconds(2), "open waited for the writer");
        QCOMPARE(ws.pairs().count(), std::int64_t(1500));
        held.commit();
        QVERIFY(ws.refreshStatistics());
    }

    void missingFoldersAndFilesAreNamed() {
        auto noFolder = catchStoreError([&] { Workspace::open(tempPath(m_dir, "nowhere")); });
        QVERIFY(noFolder.kind == StoreError::Kind::NotFound);
        QVERIFY2(noFolder.says("does not exist"), noFolder.message.c_str());
        std::string empty = newFolder();
        fs::create_directories(empty);
        auto noFile = catchStoreError([&] { Workspace::open(empty); });
        QVERIFY(noFile.kind == StoreError::Kind::NotFound);
        QVERIFY2(noFile.says("not a SENA workspace"), noFile.message.c_str());
        QVERIFY(!fs::exists(empty + "/" + Workspace::kDatabaseFile));
    }
};

int runSchemaTests(int argc, char** argv) {
    SchemaTests t;
    return QTest::qExec(&t, argc, argv);
}

#include "TestSchema.moc"
