#pragma once
// The workbench's main window: menus, the start page or the workspace views (images, pairs,
// corruption lab), docks (inspector, rounds, log), status bar with background-task progress,
// and window state kept between sessions.
#include "Preferences.h"

#include <QHash>
#include <QMainWindow>

#include <memory>

class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QStackedWidget;
class QTabWidget;
class QToolButton;
class QUndoGroup;

namespace sena::ui {

class BackgroundTask;
class CorruptionLab;
class ImageBrowser;
class LogView;
class PairInspector;
class PairsView;
class RoundPanel;
class StartPage;
class WorkspaceDocument;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens an existing workspace; shows the error and returns false when it cannot.
    bool openWorkspace(const QString& folder);
    // Creates a workspace and (when given) imports `imageFolder` into it on a worker thread.
    bool createWorkspace(const QString& folder, const QString& imageFolder, const QString& modelFolder);
    void closeWorkspace();
    // Builds (or reuses) the demo in demoFolder() on a worker thread, then opens it.
    void openDemo();
    // $SENA_DEMO_DIR when set, else "demo" under the app's data folder.
    static QString demoFolder();
    // Imports a folder into the open workspace on a worker thread.
    void importFolder(const QString& folder);
    // Whether a background task (import, demo) is running.
    bool isBusy() const;

    WorkspaceDocument* document() const { return m_document.get(); }
    PairsView* pairsView() const { return m_pairs; }
    ImageBrowser* imageBrowser() const { return m_images; }
    CorruptionLab* corruptionLab() const { return m_lab; }
    PairInspector* inspector() const { return m_inspector; }
    RoundPanel* roundPanel() const { return m_roundPanel; }
    LogView* logView() const { return m_log; }

    QTabWidget* tabs() const { return m_tabs; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createViews();
    void createMenus();
    void updateActions();
    void rebuildRecentMenu();
    void newWorkspace();
    void chooseAndOpen();
    void chooseAndImport();
    void showPreferences();
    void showAbout();
    void showGenerate();
    void runTask(BackgroundTask* task, const std::function<void(bool ok)>& onDone);
    void log(const QString& message, bool error = false);
    void setDocument(std::unique_ptr<WorkspaceDocument> document);
    // Hides the workspace-only docks (inspector, rounds) on the start page, remembering whether
    // each was shown, and puts them back as they were when a workspace opens.
    void parkWorkspaceDocks(bool park);

    Preferences m_preferences;
    std::unique_ptr<WorkspaceDocument> m_document;
    QStackedWidget* m_stack = nullptr;
    StartPage* m_start = nullptr;
    QTabWidget* m_tabs = nullptr;
    ImageBrowser* m_images = nullptr;
    PairsView* m_pairs = nullptr;
    CorruptionLab* m_lab = nullptr;
    PairInspector* m_inspector = nullptr;
    RoundPanel* m_roundPanel = nullptr;
    LogView* m_log = nullptr;
    QList<QDockWidget*> m_workspaceDocks;  // shown only with a workspace open
    QHash<QDockWidget*, bool> m_parkedVisible;  // their visibility while parked
    bool m_docksParked = false;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QList<QAction*> m_workspaceActions;  // enabled only with a workspace open
    QUndoGroup* m_undoGroup = nullptr;  // Edit > Undo/Redo follow the open document's stack
    QProgressBar* m_taskProgress = nullptr;
    QToolButton* m_taskCancel = nullptr;
    BackgroundTask* m_task = nullptr;
};

}  // namespace sena::ui
