// The workbench around a workspace's life: the start page without the workspace docks, a new
// workspace recording its base model in the workspace (not QSettings), the legacy QSettings
// fallback, the demo folder from $SENA_DEMO_DIR, and a round generated from the GUI with the tiny
// demo model: the worker finishes, the pairs table and rounds list refresh, and the event loop
// keeps running meanwhile.
#include "MainWindow.h"
#include "UiFixture.h"
#include "models/PairTableModel.h"
#include "pairs/PairsView.h"
#include "pipeline/DemoWorkspace.h"
#include "rounds/GenerateDialog.h"
#include "rounds/RoundPanel.h"
#include "workspace/WorkspaceDocument.h"

#include "model/Device.h"

#include <QAction>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using namespace sena;
using namespace sena::ui;

class TestWorkbench : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_model;   // the demo model, trained briefly
    QString m_images;  // PNGs written with QImage

    QString path(const QString& name) const { return m_dir.filePath(name); }
    static QDockWidget* dock(MainWindow& window, const char* name) {
        return window.findChild<QDockWidget*>(QString::fromLatin1(name));
    }
    static void waitIdle(MainWindow& window) {
        QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 60000);
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();  // the test-mode settings file outlives the run
        QVERIFY(m_dir.isValid());
        model::configureThreads();
        m_images = path(QStringLiteral("images"));
        test::writeImages(m_images, 4);
        QElapsedTimer t;
        t.start();
        // The model is taught on its own synthetic images; 60 steps keep the test short.
        const auto demoImages = pipeline::writeDemoImages(path(QStringLiteral("demo-images")).toStdString(), 4);
        m_model = path(QStringLiteral("model"));
        pipeline::writeDemoModel(m_model.toStdString(), demoImages, 60);
        qInfo("demo model written in %lld ms", static_cast<long long>(t.elapsed()));
    }

    void startPageHidesWorkspaceDocks() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.document());
        QVERIFY(!dock(window, "inspectorDock")->isVisible());
        QVERIFY(!dock(window, "roundsDock")->isVisible());
        QVERIFY(!dock(window, "inspectorDock")->toggleViewAction()->isEnabled());
        QVERIFY(dock(window, "logDock")->isVisible());
    }

    void newWorkspaceRecordsModelInWorkspace() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString folder = path(QStringLiteral("ws"));
        // A non-canonical spelling: the workspace stores the clean absolute path.
        const QString spelled = path(QStringLiteral("images/../model"));
        QVERIFY(window.createWorkspace(folder, m_images, spelled));
        waitIdle(window);
        QVERIFY(dock(window, "inspectorDock")->isVisible());
        QVERIFY(dock(window, "roundsDock")->isVisible());
        QCOMPARE(window.document()->defaultModelFolder(), m_model);
        {
            auto ws = store::Workspace::open(folder.toStdString());  // what the CLI reads
            QCOMPARE(QString::fromStdString(ws.setting("default_model").value_or("")), m_model);
            QCOMPARE(ws.images().count(), std::int64_t(4));
        }
        QSettings settings;
        settings.beginGroup(QStringLiteral("workspaceModels"));
        QVERIFY2(settings.childKeys().isEmpty(), "the model folder went to QSettings");
    }

    void legacySettingIsOnlyAFallback() {
        const QString folder = path(QStringLiteral("legacy"));
        store::Workspace::create(folder.toStdString());
        // What older workbench versions wrote: the model under the workspace path, hex-encoded.
        const QString key = QStringLiteral("workspaceModels/") + QString::fromLatin1(folder.toUtf8().toHex());
        QSettings().setValue(key, QStringLiteral("/old/model"));
        WorkspaceDocument document(folder, false);
        QCOMPARE(document.defaultModelFolder(), QStringLiteral("/old/model"));
        document.setDefaultModelFolder(m_model);
        QCOMPARE(document.defaultModelFolder(), m_model);
        QSettings().remove(key);
    }

    void demoFolderFollowsEnvironment() {
        const QByteArray before = qgetenv("SENA_DEMO_DIR");
        qputenv("SENA_DEMO_DIR", path(QStringLiteral("elsewhere/demo/")).toUtf8());
        QCOMPARE(MainWindow::demoFolder(), path(QStringLiteral("elsewhere/demo")));
        qunsetenv("SENA_DEMO_DIR");
        QCOMPARE(MainWindow::demoFolder(),
                 QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/demo"));
        if (!before.isEmpty())
            qputenv("SENA_DEMO_DIR", before);
    }

    void generateRoundFromGui() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openWorkspace(path(QStringLiteral("ws"))));
        QCOMPARE(window.pairsView()->model()->rowCount(), 0);

        // The Generate dialog proposes the workspace's model; short answers keep the round quick.
        GenerateDialog dialog(window.document(), window.document()->defaultModelFolder(), QStringLiteral("cpu"),
                              QStringLiteral("float32"), &window);
        pipeline::RoundConfig config = dialog.config();
        QCOMPARE(QString::fromStdString(config.modelDir), m_model);
        config.maxNewTokens = 10;
        config.maxNewTokensSelfCheck = 12;
        config.batchImages = 2;

        QElapsedTimer clock;
        clock.start();
        qint64 last = 0, worstGap = 0;
        QTimer heartbeat;
        heartbeat.setInterval(10);
        connect(&heartbeat, &QTimer::timeout, [&] {
            worstGap = std::max(worstGap, clock.elapsed() - last);
            last = clock.elapsed();
        });
        RoundPanel* panel = window.roundPanel();
        QSignalSpy finished(panel, &RoundPanel::finished);
        heartbeat.start();
        panel->start(config);
        QVERIFY(panel->isRunning());
        QVERIFY(finished.wait(180000));
        heartbeat.stop();
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(!panel->isRunning());

        // The views re-read the database the worker wrote through its own connection.
        auto ws = store::Workspace::open(path(QStringLiteral("ws")).toStdString());
        const auto latest = ws.rounds().latest();
        QVERIFY(latest);
        QCOMPARE(int(latest->status), int(store::RoundStatus::Generated));
        QCOMPARE(QString::fromStdString(latest->generatorModelPath), m_model);
        const auto summary = ws.rounds().summary(latest->id);
        qInfo("round of %lld pairs generated in %lld ms; largest event-loop gap %lld ms",
              static_cast<long long>(summary.pairs), static_cast<long long>(clock.elapsed()),
              static_cast<long long>(worstGap));
        QVERIFY(summary.pairs > 0);
        QCOMPARE(window.pairsView()->model()->rowCount(), static_cast<int>(summary.pairs));
        auto* rounds = panel->findChild<QTreeWidget*>(QStringLiteral("roundList"));
        QCOMPARE(rounds->topLevelItemCount(), 1);
        QCOMPARE(rounds->topLevelItem(0)->text(4), QString::number(summary.pairs));
        QVERIFY2(worstGap < 1000, "the GUI thread stalled for more than a second while generating");
    }

    void docksComeBackAsTheyWere() {
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(window.openWorkspace(path(QStringLiteral("ws"))));
            dock(window, "inspectorDock")->hide();  // the user's choice survives the start page
            window.closeWorkspace();
            QVERIFY(!dock(window, "roundsDock")->isVisible());
            QVERIFY(window.openWorkspace(path(QStringLiteral("ws"))));
            QVERIFY(!dock(window, "inspectorDock")->isVisible());
            QVERIFY(dock(window, "roundsDock")->isVisible());
            dock(window, "inspectorDock")->show();
            window.closeWorkspace();
            QVERIFY(window.close());  // saves the window state from the start page
        }
        // The saved state is the workspace layout, not the start page's hidden docks.
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!dock(window, "roundsDock")->isVisible());
        QVERIFY(window.openWorkspace(path(QStringLiteral("ws"))));
        QVERIFY(dock(window, "inspectorDock")->isVisible());
        QVERIFY(dock(window, "roundsDock")->isVisible());
    }
};

QTEST_MAIN(TestWorkbench)
#include "test_workbench.moc"
