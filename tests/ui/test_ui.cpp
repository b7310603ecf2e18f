// The workbench GUI with real widgets, offscreen: browse, curate from the keyboard (checked in
// SQLite), undo/redo, edit, filter, inspector and corruption previews, 100k-pair scrolling and
// sorting, and GUI responsiveness while a worker thread writes to the database.
#include "MainWindow.h"
#include "UiFixture.h"
#include "corruption/CorruptionLab.h"
#include "images/ImageBrowser.h"
#include "images/ImageListModel.h"
#include "images/ThumbnailProvider.h"
#include "models/PairTableModel.h"
#include "pairs/PairFilterBar.h"
#include "pairs/PairInspector.h"
#include "pairs/PairsView.h"
#include "pairs/WordDiff.h"
#include "workspace/WorkspaceDocument.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QUndoStack>

#include <atomic>
#include <thread>

using namespace sena;
using namespace sena::ui;

class TestUi : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::Fixture m_fixture;
    std::unique_ptr<MainWindow> m_window;

    QString workspaceFolder() const { return m_dir.path() + QStringLiteral("/ws"); }
    store::PairRecord storedPair(qint64 id) {
        // A separate connection, as another process would see the file.
        auto ws = store::Workspace::open(workspaceFolder().toStdString());
        return *ws.pairs().get(id);
    }
    PairsView* pairs() { return m_window->pairsView(); }
    QTableView* table() { return pairs()->table(); }
    void focusRow(int row) {
        table()->setFocus();
        table()->setCurrentIndex(table()->model()->index(row, PairTableModel::QuestionColumn));
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // QSettings go to a throwaway location
        QVERIFY(m_dir.isValid());
        m_fixture = test::buildWorkspace(m_dir.path(), 6, 5);
        QCOMPARE(m_fixture.pairIds.size(), std::size_t(30));
        m_window = std::make_unique<MainWindow>();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(m_window->openWorkspace(workspaceFolder()));
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    void cleanupTestCase() { m_window.reset(); }

    void browseImages() {
        ImageBrowser* browser = m_window->imageBrowser();
        QCOMPARE(browser->model()->rowCount(), 6);
        QCOMPARE(browser->model()->data(browser->model()->index(0), ImageListModel::PairsRole).toLongLong(), 5);
        // Thumbnails are made on pool threads, then cached on disk.
        for (int row = 0; row < 6; ++row)
            browser->model()->data(browser->model()->index(row), Qt::DecorationRole);
        QVERIFY(browser->thumbnails()->waitForDone(20000));
        QTRY_VERIFY(!browser->model()->data(browser->model()->index(5), Qt::DecorationRole).value<QPixmap>().isNull());
        QTRY_COMPARE(QDir(m_window->document()->thumbnailsFolder()).entryList({QStringLiteral("*.png")}).size(), 6);
        browser->setPathFilter(QStringLiteral("img-003"));
        QCOMPARE(browser->model()->rowCount(), 1);
        browser->setPathFilter(QString());
        QCOMPARE(browser->model()->rowCount(), 6);
    }

    void curateWithKeys() {
        focusRow(0);
        const qint64 first = pairs()->currentPairId();
        QVERIFY(first > 0);
        QTest::keyClick(table(), Qt::Key_A);
        QCOMPARE(int(storedPair(first).curation), int(store::Curation::Accepted));
        // Accepting moves on to the next pair.
        const qint64 second = pairs()->currentPairId();
        QVERIFY(second != first);
        QTest::keyClick(table(), Qt::Key_R);
        QCOMPARE(int(storedPair(second).curation), int(store::Curation::Rejected));

        const qint64 third = pairs()->currentPairId();
        const auto before = storedPair(third);
        QTest::keyClick(table(), Qt::Key_S);
        const auto swapped = storedPair(third);
        QCOMPARE(QString::fromStdString(swapped.effectiveChosen()), QString::fromStdString(before.effectiveRejected()));
        QCOMPARE(QString::fromStdString(swapped.effectiveRejected()), QString::fromStdString(before.effectiveChosen()));
        QCOMPARE(m_window->document()->undoStack()->undoText(), QStringLiteral("Swap 1 pair(s)"));

        // Undo / redo through the window's shortcuts, checked in SQLite.
        QTest::keyClick(table(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(QString::fromStdString(storedPair(third).effectiveChosen()), QString::fromStdString(before.effectiveChosen()));
        QCOMPARE(int(storedPair(third).curation), int(before.curation));
        QTest::keyClick(table(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(int(storedPair(second).curation), int(store::Curation::Pending));
        QTest::keyClick(table(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(int(storedPair(second).curation), int(store::Curation::Rejected));

        // J / K move between pairs.
        focusRow(3);
        QTest::keyClick(table(), Qt::Key_J);
        QCOMPARE(table()->currentIndex().row(), 4);
        QTest::keyClick(table(), Qt::Key_K);
        QTest::keyClick(table(), Qt::Key_Left);
        QCOMPARE(table()->currentIndex().row(), 2);
    }

    void editInPlace() {
        focusRow(5);
        const qint64 id = pairs()->currentPairId();
        const auto before = storedPair(id);
        table()->setCurrentIndex(table()->model()->index(5, PairTableModel::ChosenColumn));
        QTest::keyClick(table(), Qt::Key_E);
        auto* editor = table()->findChild<QPlainTextEdit*>(QStringLiteral("pairTextEditor"));
        QVERIFY(editor);
        QTRY_VERIFY(editor->hasFocus());
        QTest::keyClicks(editor, QStringLiteral("A corrected answer"));
        QTest::keyClick(editor, Qt::Key_Return);
        auto edited = storedPair(id);
        QCOMPARE(QString::fromStdString(edited.effectiveChosen()), QString::fromStdString(std::string("A corrected answer")));
        QCOMPARE(int(edited.curation), int(store::Curation::Edited));
        QCOMPARE(QString::fromStdString(edited.chosen), QString::fromStdString(before.chosen));  // the generated text is kept
        QCOMPARE(m_window->document()->undoStack()->undoText(), QStringLiteral("Edit chosen answer"));
        m_window->document()->undoStack()->undo();
        const auto restored = storedPair(id);
        QCOMPARE(QString::fromStdString(restored.effectiveChosen()), QString::fromStdString(before.effectiveChosen()));
        QCOMPARE(int(restored.curation), int(before.curation));
        QVERIFY(restored.reference.has_value() == before.reference.has_value());
    }

    void filterPairs() {
        PairFilterBar* bar = pairs()->filterBar();
        bar->setSearchText(QStringLiteral("number 17"));
        QCOMPARE(pairs()->model()->rowCount(), 1);
        bar->setSearchText(QString());
        QCOMPARE(pairs()->model()->rowCount(), 30);
        bar->setCurationFilter(static_cast<int>(store::Curation::Accepted));
        QCOMPARE(pairs()->model()->rowCount(), 1);
        // Under a "pending" filter an accepted pair leaves the list, and the next one takes its row.
        bar->setCurationFilter(static_cast<int>(store::Curation::Pending));
        const int pending = pairs()->model()->rowCount();
        focusRow(0);
        QTest::keyClick(table(), Qt::Key_A);
        QCOMPARE(pairs()->model()->rowCount(), pending - 1);
        QCOMPARE(table()->currentIndex().row(), 0);
        bar->setCurationFilter(-1);
        QVERIFY(pairs()->findChild<QLabel*>(QStringLiteral("pairCounters"))->text().contains(QStringLiteral("2 accepted")));
    }

    void inspectorShowsTraceAndImages() {
        focusRow(1);
        focusRow(2);
        const qint64 id = pairs()->currentPairId();
        QCOMPARE(m_window->inspector()->pairId(), id);
        const QString html = m_window->inspector()->details()->toPlainText();
        QVERIFY2(html.contains(QString::fromStdString(storedPair(id).effectiveChosen())), qPrintable(html));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->inspector()->imagesReady(), 20000);
        QVERIFY(!m_window->inspector()->corruptedImage().isNull());
    }

    void wordDiffMarksChanges() {
        const WordDiffHtml d = wordDiff(QStringLiteral("a red square"), QStringLiteral("a blue square here"));
        QCOMPARE(d.deleted, 1);
        QCOMPARE(d.inserted, 2);
        QVERIFY(d.before.contains(QStringLiteral("line-through\">red")));
    }

    void corruptionPreviewUpdates() {
        CorruptionLab* lab = m_window->corruptionLab();
        QVERIFY(lab->setSpec(QStringLiteral("diffusion:t=100")));
        QTRY_VERIFY_WITH_TIMEOUT(!lab->lastCorrupted().isNull(), 20000);
        const int delivered = lab->previewsDelivered();
        const QImage mild = lab->lastCorrupted();
        QVERIFY(lab->diffusionReadout().contains(QStringLiteral("0.9")));
        QVERIFY(lab->setSpec(QStringLiteral("diffusion:t=900")));
        QTRY_VERIFY_WITH_TIMEOUT(lab->previewsDelivered() > delivered, 20000);
        QVERIFY(lab->lastCorrupted() != mild);
        QVERIFY(!lab->setSpec(QStringLiteral("diffusion:t=5000")));  // out of range: refused, chain kept
        QCOMPARE(lab->spec(), QStringLiteral("diffusion:t=900"));
    }

    void hundredThousandPairs() {
        QTemporaryDir dir;
        auto fixture = test::buildWorkspace(dir.path(), 1, 0);
        {
            auto ws = store::Workspace::open((dir.path() + QStringLiteral("/ws")).toStdString());
            QElapsedTimer insert;
            insert.start();
            test::insertPairs(ws, fixture.roundId, fixture.imageIds.front(), 100000, 0);
            ws.refreshStatistics(true);
            qInfo("inserted 100000 pairs in %lld ms", static_cast<long long>(insert.elapsed()));
        }
        WorkspaceDocument document(dir.path() + QStringLiteral("/ws"), false);
        QTableView view;
        PairTableModel model;
        model.setDocument(&document);
        view.setModel(&model);
        view.setSortingEnabled(true);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(model.rowCount(), 100000);

        auto timed = [&](const char* what, const std::function<void()>& action) {
            QElapsedTimer t;
            t.start();
            action();
            view.repaint();  // paint the visible rows: every data() call happens here
            const qint64 ms = t.elapsed();
            qInfo("%s: %lld ms", what, static_cast<long long>(ms));
            return ms;
        };
        qint64 worst = 0;
        worst = std::max(worst, timed("scroll to bottom", [&] { view.scrollToBottom(); }));
        worst = std::max(worst, timed("scroll to middle", [&] { view.verticalScrollBar()->setValue(50000); }));
        worst = std::max(worst, timed("sort by margin", [&] { view.sortByColumn(PairTableModel::MarginColumn, Qt::DescendingOrder); }));
        worst = std::max(worst, timed("scroll sorted to bottom", [&] { view.scrollToBottom(); }));
        worst = std::max(worst, timed("sort by chosen", [&] { view.sortByColumn(PairTableModel::ChosenColumn, Qt::AscendingOrder); }));
        worst = std::max(worst, timed("scroll sorted to middle", [&] { view.verticalScrollBar()->setValue(70000); }));
        // Sorted results are right: margins descend down the page.
        view.sortByColumn(PairTableModel::MarginColumn, Qt::DescendingOrder);
        const double m0 = model.data(model.index(0, PairTableModel::MarginColumn), PairTableModel::UnderlyingDataRole).toDouble();
        const double m1 = model.data(model.index(1, PairTableModel::MarginColumn), PairTableModel::UnderlyingDataRole).toDouble();
        QVERIFY(m0 >= m1);
        // Only a window of pages is ever held.
        QVERIFY(model.pagesLoaded() < 100);
        QVERIFY2(worst < 1500, "scrolling or sorting 100k pairs took longer than 1.5 s on the GUI thread");
    }

    void responsiveWhileWorkerWrites() {
        // A worker inserts pairs through its own connection while the GUI thread keeps
        // re-reading; a 10 ms heartbeat measures how long the event loop ever stalls.
        std::atomic<bool> stop{false};
        std::thread writer([&] {
            auto ws = store::Workspace::open(workspaceFolder().toStdString());
            int n = 1000;
            while (!stop) {
                test::insertPairs(ws, m_fixture.roundId, m_fixture.imageIds.front(), 50, n);
                n += 50;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0, worstGap = 0;
        QTimer heartbeat;
        heartbeat.setInterval(10);
        connect(&heartbeat, &QTimer::timeout, [&] {
            worstGap = std::max(worstGap, clock.elapsed() - last);
            last = clock.elapsed();
        });
        QTimer refresher;
        refresher.setInterval(250);
        connect(&refresher, &QTimer::timeout, [&] { m_window->document()->notifyContentAdded(); });
        heartbeat.start();
        refresher.start();
        QTest::qWait(3000);
        stop = true;
        writer.join();
        qInfo("largest event-loop gap while a worker writes: %lld ms", static_cast<long long>(worstGap));
        QVERIFY(pairs()->model()->rowCount() > 30);
        QVERIFY2(worstGap < 1000, "the GUI thread stalled for more than a second");
    }
};

QTEST_MAIN(TestUi)
#include "test_ui.moc"
