// The connection layer: statements, transactions, the statement cache, WAL concurrency and errors.
#include "StoreTestUtil.h"
#include "store/Database.h"
#include "store/Transaction.h"

#include <atomic>
#include <chrono>
#include <thread>

using namespace storetest;
using sena::StoreError;

class DatabaseTests : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_counter = 0;

    // A fresh database file with table t.
    std::string newDatabase() {
        std::string path = tempPath(m_dir, "db" + std::to_string(++m_counter) + ".sqlite");
        DatabaseOptions options;
        options.create = true;
        Database db(path, options);
        db.enableWal();
        db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, n)");
        return path;
    }

private slots:
    void bindAndReadEveryType() {
        Database db(newDatabase());
        Statement insert = db.prepare("INSERT INTO t(i, r, s, b, n) VALUES (:i, :r, :s, :b, :n)");
        insert.bind(":i", 42).bind("r", 2.5).bind("s", std::string("héllo")).bind("n", nullptr);
        insert.bindBlob(insert.parameterIndex("b"), {0, 1, 255});
        insert.run();
        insert.reset();
        insert.bindAll(std::int64_t(1) << 40, 0.0, "x", std::nullopt, std::optional<int>(7)).run();
        QCOMPARE(db.changes(), 1);
        QCOMPARE(db.lastInsertId(), std::int64_t(2));

        Statement select = db.prepare("SELECT i, r, s, b, n FROM t ORDER BY id");
        QCOMPARE(select.columnCount(), 5);
        QVERIFY(select.step());
        QCOMPARE(select.getInt(0), 42);
        QCOMPARE(select.getDouble(1), 2.5);
        QCOMPARE(select.getText(2), std::string("héllo"));
        QCOMPARE(select.getBlob(3), (std::vector<std::uint8_t>{0, 1, 255}));
        QVERIFY(select.isNull(4));
        QVERIFY(!select.getOptInt64(4).has_value());
        QVERIFY(!select.getOptText(4).has_value());
        QVERIFY(select.step());
        QCOMPARE(select.getInt64(0), std::int64_t(1) << 40);
        QVERIFY(select.isNull(3));  // nullopt bound NULL
        QCOMPARE(select.getOptInt64(4).value_or(0), std::int64_t(7));
        QVERIFY(!select.step());
        // Reading past the last row names the problem instead of returning garbage.
        QVERIFY(catchStoreError([&] { select.getInt(0); }).says("out of range"));
    }

    void errorsNameTheSqlAndTheCause() {
        Database db(newDatabase());
        auto bad = catchStoreError([&] { db.prepare("SELECT nope FROM t"); });
        QVERIFY(bad.thrown);
        QVERIFY2(bad.says("SELECT nope FROM t") && bad.says("no such column"), bad.message.c_str());
        QVERIFY(catchStoreError([&] { db.prepare("SELECT 1; SELECT 2"); }).says("more than one SQL statement"));
        Statement s = db.prepare("SELECT * FROM t WHERE id = :id");
        QVERIFY(catchStoreError([&] { s.bind(":other", 1); }).says("no parameter ':other'"));
        db.exec("CREATE TABLE u (x INTEGER NOT NULL UNIQUE)");
        db.exec("INSERT INTO u VALUES (1)");
        auto dup = catchStoreError([&] { db.exec("INSERT INTO u VALUES (1)"); });
        QVERIFY2(dup.says("UNIQUE constraint failed") && dup.says("constraint"), dup.message.c_str());
    }

    void transactionsCommitRollBackAndNest() {
        Database db(newDatabase());
        {
            Transaction tx(db);
            db.exec("INSERT INTO t(i) VALUES (1)");
            tx.commit();
        }
        {
            Transaction tx(db);
            db.exec("INSERT INTO t(i) VALUES (2)");
        }  // not committed: rolled back
        QCOMPARE(db.queryInt64("SELECT count(*) FROM t"), std::int64_t(1));
        {
            Transaction outer(db);
            db.exec("INSERT INTO t(i) VALUES (3)");
            {
                Transaction inner(db);
                QVERIFY(inner.isNested());
                db.exec("INSERT INTO t(i) VALUES (4)");
            }  // only the inner work goes
            {
                Transaction inner(db);
                db.exec("INSERT INTO t(i) VALUES (5)");
                inner.commit();
            }
            outer.commit();
        }
        QCOMPARE(db.queryText("SELECT group_concat(i) FROM (SELECT i FROM t ORDER BY i)"), std::string("1,3,5"));
        QVERIFY(!db.inTransaction());
    }

    void cachedStatementsNestAndReleaseTheirSnapshot() {
        std::string path = newDatabase();
        Database reader(path);
        Database writer(path);
        writer.exec("INSERT INTO t(i) VALUES (1)");
        {
            auto outer = reader.cached("SELECT i FROM t");
            QVERIFY(outer->step());
            // The same SQL while the cached copy is mid-step gets its own statement.
            auto inner = reader.cached("SELECT i FROM t");
            QVERIFY(inner->step());
            QCOMPARE(inner->getInt(0), 1);
            QCOMPARE(outer->getInt(0), 1);
        }
        // Had the half-stepped SELECT not been reset, the reader would still see one row.
        writer.exec("INSERT INTO t(i) VALUES (2)");
        auto count = reader.cached("SELECT count(*) FROM t");
        QVERIFY(count->step());
        QCOMPARE(count->getInt(0), 2);
    }

    void walReaderKeepsItsSnapshotWhileAWriterCommits() {
        std::string path = newDatabase();
        Database writer(path);
        QCOMPARE(writer.journalMode(), std::string("wal"));
        DatabaseOptions ro;
        ro.readOnly = true;
        Database reader(path, ro);
        writer.exec("INSERT INTO t(i) VALUES (1)");
        Transaction snapshot(reader, Transaction::Mode::Deferred);
        QCOMPARE(reader.queryInt64("SELECT count(*) FROM t"), std::int64_t(1));
        {
            Transaction tx(writer);  // must not wait for the reader
            writer.exec("INSERT INTO t(i) VALUES (2)");
            tx.commit();
        }
        QCOMPARE(reader.queryInt64("SELECT count(*) FROM t"), std::int64_t(1));
        snapshot.commit();
        QCOMPARE(reader.queryInt64("SELECT count(*) FROM t"), std::int64_t(2));
        auto write = catchStoreError([&] { reader.exec("INSERT INTO t(i) VALUES (3)"); });
        QVERIFY(write.thrown);
        QVERIFY(write.kind == StoreError::Kind::ReadOnly);
    }

    void concurrentReaderSeesOnlyWholeCommits() {
        std::string path = newDatabase();
        constexpr int kBatches = 150, kRows = 10;
        std::atomic<bool> done{false};
        std::string writerError;
        std::thread writerThread([&] {
            try {
                Database writer(path);
                for (int b = 0; b < kBatches; ++b) {
                    Transaction tx(writer);
                    for (int r = 0; r < kRows; ++r)
                        writer.exec("INSERT INTO t(i) VALUES (" + std::to_string(b) + ")");
                    tx.commit();
                }
            } catch (const std::exception& e) {
                writerError = e.what();
            }
            done = true;
        });
        Database reader(path);
        std::int64_t last = 0;
        int reads = 0, torn = 0, backwards = 0;
        while (!done || reads == 0) {
            std::int64_t n = reader.queryInt64("SELECT count(*) FROM t");
            torn += n % kRows != 0;
            backwards += n < last;
            last = n;
            ++reads;
        }
        writerThread.join();
        QVERIFY2(writerError.empty(), writerError.c_str());
        QCOMPARE(torn, 0);
        QCOMPARE(backwards, 0);
        QCOMPARE(reader.queryInt64("SELECT count(*) FROM t"), std::int64_t(kBatches * kRows));
        qInfo("reader made %d reads while the writer committed %d transactions", reads, kBatches);
    }

    void lockedDatabaseGivesAClearError() {
        std::string path = newDatabase();
        Database holder(path);
        Transaction held(holder);
        holder.exec("INSERT INTO t(i) VALUES (1)");
        DatabaseOptions impatient;
        impatient.busyTimeoutMs = 50;
        Database other(path, impatient);
        auto start = std::chrono::steady_clock::now();
        auto locked = catchStoreError([&] { Transaction tx(other); });
        auto waited = std::chrono::steady_clock::now() - start;
        QVERIFY(locked.thrown);
        QVERIFY(locked.kind == StoreError::Kind::Locked);
        QVERIFY2(locked.says("locked by another process"), locked.message.c_str());
        QVERIFY(waited >= std::chrono::milliseconds(40));  // it waited for the busy timeout first
        held.commit();
        Transaction now(other);  // free again
        now.commit();
    }

    void missingFileIsNotCreatedByAccident() {
        std::string path = tempPath(m_dir, "absent.sqlite");
        auto missing = catchStoreError([&] { Database db(path); });
        QVERIFY(missing.kind == StoreError::Kind::NotFound);
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
    }
};

int runDatabaseTests(int argc, char** argv) {
    DatabaseTests t;
    return QTest::qExec(&t, argc, argv);
}

#include "TestDatabase.moc"
