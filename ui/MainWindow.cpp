#include "MainWindow.h"

#include "AboutText.h"
#include "LogView.h"
#include "PreferencesDialog.h"
#include "corruption/CorruptionLab.h"
#include "images/ImageBrowser.h"
#include "pairs/PairInspector.h"
#include "pairs/PairsView.h"
#include "pipeline/DemoWorkspace.h"
#include "rounds/GenerateDialog.h"
#include "rounds/RoundPanel.h"
#include "workers/BackgroundTask.h"
#include "workspace/NewWorkspaceDialog.h"
#include "workspace/StartPage.h"
#include "workspace/WorkspaceDocument.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <QUndoGroup>
#include <QUndoStack>

// The icons are compiled into this static library; referencing the initialiser keeps the linker
// from dropping them.
static void initWorkbenchResources() { Q_INIT_RESOURCE(workbench); }

namespace sena::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_preferences(Preferences::load()) {
    initWorkbenchResources();
    setWindowTitle(tr("SENA Workbench"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/sena.svg")));
    m_undoGroup = new QUndoGroup(this);
    createViews();
    createMenus();
    m_taskProgress = new QProgressBar(this);
    m_taskProgress->setMaximumWidth(240);
    m_taskProgress->hide();
    m_taskCancel = new QToolButton(this);
    m_taskCancel->setIcon(QIcon(QStringLiteral(":/icons/cancel.svg")));
    m_taskCancel->setToolTip(tr("Cancel"));
    m_taskCancel->hide();
    connect(m_taskCancel, &QToolButton::clicked, this, [this] {
        if (m_task)
            m_task->cancel();
    });
    statusBar()->addPermanentWidget(m_taskProgress);
    statusBar()->addPermanentWidget(m_taskCancel);
    statusBar()->showMessage(tr("Ready"));
    resize(1280, 820);
    const QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateActions();
}

MainWindow::~MainWindow() {
    delete m_task;  // cancels and waits
    setDocument(nullptr);
}

void MainWindow::createViews() {
    m_stack = new QStackedWidget(this);
    m_start = new StartPage(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_images = new ImageBrowser(this);
    m_pairs = new PairsView(this);
    m_lab = new CorruptionLab(this);
    m_tabs->addTab(m_images, QIcon(QStringLiteral(":/icons/images.svg")), tr("Images"));
    m_tabs->addTab(m_pairs, QIcon(QStringLiteral(":/icons/pairs.svg")), tr("Pairs"));
    m_tabs->addTab(m_lab, QIcon(QStringLiteral(":/icons/corruption.svg")), tr("Corruption Lab"));
    m_stack->addWidget(m_start);
    m_stack->addWidget(m_tabs);
    setCentralWidget(m_stack);

    auto makeDock = [this](QWidget* widget, const QString& title, const QString& name, Qt::DockWidgetArea area) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name);  // restoreState() finds docks by name
        dock->setWidget(widget);
        addDockWidget(area, dock);
        return dock;
    };
    m_inspector = new PairInspector(this);
    m_roundPanel = new RoundPanel(this);
    m_log = new LogView(this);
    auto* inspector = makeDock(m_inspector, tr("Pair Inspector"), QStringLiteral("inspectorDock"), Qt::RightDockWidgetArea);
    auto* rounds = makeDock(m_roundPanel, tr("Rounds"), QStringLiteral("roundsDock"), Qt::BottomDockWidgetArea);
    auto* logDock = makeDock(m_log, tr("Log"), QStringLiteral("logDock"), Qt::BottomDockWidgetArea);
    tabifyDockWidget(rounds, logDock);
    rounds->raise();
    resizeDocks({rounds}, {190}, Qt::Vertical);
    resizeDocks({inspector}, {460}, Qt::Horizontal);
    m_workspaceDocks = {inspector, rounds};

    connect(m_start, &StartPage::newRequested, this, &MainWindow::newWorkspace);
    connect(m_start, &StartPage::openRequested, this, &MainWindow::chooseAndOpen);
    connect(m_start, &StartPage::demoRequested, this, &MainWindow::openDemo);
    connect(m_start, &StartPage::recentRequested, this, &MainWindow::openWorkspace);
    connect(m_pairs, &PairsView::currentPairChanged, m_inspector, &PairInspector::showPair);
    connect(m_images, &ImageBrowser::importRequested, this, &MainWindow::importFolder);
    connect(m_roundPanel, &RoundPanel::generateRequested, this, &MainWindow::showGenerate);
    connect(m_roundPanel, &RoundPanel::message, this, &MainWindow::log);
    connect(m_roundPanel, &RoundPanel::finished, this, [this] { updateActions(); });
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* newAction = file->addAction(QIcon(QStringLiteral(":/icons/new.svg")), tr("&New Workspace…"), this, &MainWindow::newWorkspace);
    newAction->setShortcut(QKeySequence::New);
    QAction* open = file->addAction(QIcon(QStringLiteral(":/icons/open.svg")), tr("&Open Workspace…"), this, &MainWindow::chooseAndOpen);
    open->setShortcut(QKeySequence::Open);
    file->addAction(QIcon(QStringLiteral(":/icons/demo.svg")), tr("Open &Demo"), this, &MainWindow::openDemo);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    QAction* import = file->addAction(QIcon(QStringLiteral(":/icons/import.svg")), tr("&Import Images…"), this, &MainWindow::chooseAndImport);
    import->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    QAction* close = file->addAction(tr("&Close Workspace"), this, &MainWindow::closeWorkspace);
    close->setShortcut(QKeySequence::Close);
    m_workspaceActions << import << close;
    file->addSeparator();
    QAction* prefs = file->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);
    prefs->setShortcut(QKeySequence::Preferences);
    prefs->setMenuRole(QAction::PreferencesRole);
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setIcon(QIcon(QStringLiteral(":/icons/undo.svg")));
    QAction* redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    // Ctrl+Shift+Z everywhere, plus the platform's own (Ctrl+Y on Windows).
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)))
        redoKeys.prepend(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    redo->setShortcuts(redoKeys);
    redo->setIcon(QIcon(QStringLiteral(":/icons/redo.svg")));
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* pairs = menuBar()->addMenu(tr("&Pairs"));
    // The single-letter keys act while the pairs table has focus (see PairsView); the menu names them.
    auto pairAction = [&](const QString& text, const QString& key, const QString& icon, void (PairsView::*slot)()) {
        QAction* a = pairs->addAction(QIcon(icon), text + QLatin1Char('\t') + key);
        connect(a, &QAction::triggered, m_pairs, slot);
        m_workspaceActions << a;
    };
    pairAction(tr("Accept"), QStringLiteral("A"), QStringLiteral(":/icons/accept.svg"), &PairsView::acceptSelected);
    pairAction(tr("Reject"), QStringLiteral("R"), QStringLiteral(":/icons/reject.svg"), &PairsView::rejectSelected);
    pairAction(tr("Swap Chosen and Rejected"), QStringLiteral("S"), QStringLiteral(":/icons/swap.svg"), &PairsView::swapSelected);
    pairAction(tr("Edit Text"), QStringLiteral("E"), QStringLiteral(":/icons/edit.svg"), &PairsView::editCurrent);
    pairAction(tr("Tags…"), QStringLiteral("T"), QStringLiteral(":/icons/tag.svg"), &PairsView::tagCurrent);
    pairAction(tr("Note…"), QStringLiteral("N"), QStringLiteral(":/icons/note.svg"), &PairsView::noteCurrent);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        m_viewMenu->addAction(dock->toggleViewAction());

    QMenu* round = menuBar()->addMenu(tr("&Round"));
    QAction* generate = round->addAction(QIcon(QStringLiteral(":/icons/generate.svg")), tr("&Generate…"), this, &MainWindow::showGenerate);
    generate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    QAction* cancel = round->addAction(QIcon(QStringLiteral(":/icons/cancel.svg")), tr("&Cancel Generation"), m_roundPanel, &RoundPanel::cancel);
    m_workspaceActions << generate << cancel;

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About SENA Workbench"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    for (const QString& folder : RecentWorkspaces::list())
        m_recentMenu->addAction(folder, this, [this, folder] { openWorkspace(folder); });
    m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
    m_start->reloadRecent();
}

void MainWindow::updateActions() {
    const bool open = m_document != nullptr;
    for (QAction* a : m_workspaceActions)
        a->setEnabled(open);
    m_stack->setCurrentWidget(open ? static_cast<QWidget*>(m_tabs) : m_start);
    parkWorkspaceDocks(!open);
    setWindowTitle(open ? tr("%1 — SENA Workbench").arg(m_document->folder()) : tr("SENA Workbench"));
}

void MainWindow::parkWorkspaceDocks(bool park) {
    if (park == m_docksParked)
        return;
    m_docksParked = park;
    for (QDockWidget* dock : m_workspaceDocks) {
        if (park) {
            // isVisibleTo(): right before the window is first shown too (just after restoreState()).
            m_parkedVisible[dock] = dock->isVisibleTo(this);
            dock->hide();
        } else {
            dock->setVisible(m_parkedVisible.value(dock, true));
        }
        dock->toggleViewAction()->setEnabled(!park);  // View can't show them on the start page
    }
    if (!park && m_parkedVisible.value(m_workspaceDocks.last(), true))
        m_workspaceDocks.last()->raise();  // the rounds tab, not the log, in front again
}

void MainWindow::setDocument(std::unique_ptr<WorkspaceDocument> document) {
    if (m_roundPanel && m_roundPanel->isRunning() && document.get() != m_document.get())
        m_roundPanel->cancel();
    // Views first let go of the old document, then it closes.
    m_inspector->setDocument(document.get());  // before the pairs view selects its first pair
    m_images->setDocument(document.get(), m_preferences.thumbnailSize);
    m_pairs->setDocument(document.get());
    m_roundPanel->setDocument(document.get());
    const QString modelFolder = document ? document->defaultModelFolder() : QString();
    m_lab->setDocument(document.get(), modelFolder);
    if (m_document)
        m_undoGroup->removeStack(m_document->undoStack());
    m_document = std::move(document);
    if (m_document) {
        m_undoGroup->addStack(m_document->undoStack());
        m_undoGroup->setActiveStack(m_document->undoStack());
        connect(m_document.get(), &WorkspaceDocument::errorOccurred, this, [this](const QString& m) { log(m, true); });
        connect(m_document.get(), &WorkspaceDocument::contentAdded, this, [this] {
            m_images->refresh();
            m_pairs->refresh();
        });
    }
    updateActions();
}

bool MainWindow::openWorkspace(const QString& folder) {
    try {
        setDocument(std::make_unique<WorkspaceDocument>(folder, false));
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Open Workspace"), tr("Cannot open %1:\n%2").arg(folder, QString::fromStdString(e.what())));
        RecentWorkspaces::remove(folder);
        rebuildRecentMenu();
        return false;
    }
    RecentWorkspaces::add(folder);
    rebuildRecentMenu();
    log(tr("Opened %1").arg(folder));
    statusBar()->showMessage(tr("Opened %1").arg(folder), 5000);
    return true;
}

bool MainWindow::createWorkspace(const QString& folder, const QString& imageFolder, const QString& modelFolder) {
    try {
        auto document = std::make_unique<WorkspaceDocument>(folder, true);
        // Recorded before the views see the document, so the corruption lab uses its preprocessor.
        if (!modelFolder.isEmpty())
            document->setDefaultModelFolder(modelFolder);
        setDocument(std::move(document));
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("New Workspace"), tr("Cannot create %1:\n%2").arg(folder, QString::fromStdString(e.what())));
        return false;
    }
    RecentWorkspaces::add(folder);
    rebuildRecentMenu();
    log(tr("Created %1").arg(folder));
    if (!imageFolder.isEmpty())
        importFolder(imageFolder);
    return true;
}

void MainWindow::closeWorkspace() { setDocument(nullptr); }

void MainWindow::newWorkspace() {
    NewWorkspaceDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        createWorkspace(dialog.workspaceFolder(), dialog.imageFolder(), dialog.modelFolder());
}

void MainWindow::chooseAndOpen() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Workspace"));
    if (!folder.isEmpty())
        openWorkspace(folder);
}

void MainWindow::chooseAndImport() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Import Images"));
    if (!folder.isEmpty())
        importFolder(folder);
}

bool MainWindow::isBusy() const { return m_task != nullptr; }

void MainWindow::runTask(BackgroundTask* task, const std::function<void(bool ok)>& onDone) {
    if (m_task) {
        log(tr("Wait for “%1” to finish first.").arg(m_task->title()), true);
        delete task;
        return;
    }
    m_task = task;
    m_taskProgress->setRange(0, 0);
    m_taskProgress->show();
    m_taskCancel->show();
    connect(task, &BackgroundTask::progress, this, [this, task](const QString& text, double fraction) {
        if (fraction >= 0) {
            m_taskProgress->setRange(0, 1000);
            m_taskProgress->setValue(static_cast<int>(fraction * 1000));
        }
        statusBar()->showMessage(QStringLiteral("%1: %2").arg(task->title(), text));
    });
    connect(task, &BackgroundTask::finished, this, [this, task, onDone](bool ok, bool, const QString& message) {
        m_taskProgress->hide();
        m_taskCancel->hide();
        statusBar()->showMessage(message, 8000);
        log(message, !ok);
        m_task = nullptr;
        task->deleteLater();
        onDone(ok);
    });
    log(tr("%1…").arg(task->title()));
    task->start();
}

void MainWindow::importFolder(const QString& folder) {
    if (!m_document)
        return;
    const QString workspace = m_document->folder();
    auto* task = new BackgroundTask(tr("Importing %1").arg(folder), [workspace, folder](BackgroundTask& t) {
        auto ws = store::Workspace::open(workspace.toStdString());  // the worker's own connection
        store::ImportOptions options;
        options.excludeFolders = {workspace.toStdString()};
        const auto summary = ws.importImages(folder.toStdString(), [&t](const store::ImportProgress& p) {
            t.report(QString::fromStdString(p.path), p.total ? static_cast<double>(p.processed) / p.total : -1);
            return !t.cancelled();
        }, options);
        QString text = MainWindow::tr("Imported %1 new images (%2 found, %3 duplicates, %4 failed, %5 unchanged)")
                           .arg(summary.imported).arg(summary.found).arg(summary.duplicates).arg(summary.failed)
                           .arg(summary.unchanged);
        for (const auto& f : summary.failures)
            text += QStringLiteral("\n  %1: %2").arg(QString::fromStdString(f.path), QString::fromStdString(f.message));
        return text;
    }, this);
    runTask(task, [this](bool) {
        if (m_document)
            m_document->notifyContentAdded();
    });
}

QString MainWindow::demoFolder() {
    // scripts/demo.sh exports SENA_DEMO_DIR so the CLI and the workbench share one demo.
    const QString fromEnvironment = qEnvironmentVariable("SENA_DEMO_DIR");
    if (!fromEnvironment.isEmpty())
        return QDir::cleanPath(QDir(fromEnvironment).absolutePath());
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/demo");
}

void MainWindow::openDemo() {
    const QString root = demoFolder();
    auto paths = std::make_shared<pipeline::DemoPaths>();
    auto* task = new BackgroundTask(tr("Building the demo workspace"), [root, paths](BackgroundTask& t) {
        *paths = pipeline::createDemoWorkspace(root.toStdString(), [&t](const std::string& step, double fraction) {
            t.report(QString::fromStdString(step), fraction);
            return !t.cancelled();
        });
        // The demo's model becomes the workspace's default (here, on the worker's own connection),
        // unless the user already chose another one.
        auto ws = store::Workspace::open(paths->workspace);
        if (!ws.setting(WorkspaceDocument::kDefaultModelSetting))
            ws.setSetting(WorkspaceDocument::kDefaultModelSetting, paths->model);
        return MainWindow::tr("Demo ready in %1").arg(QString::fromStdString(paths->root));
    }, this);
    runTask(task, [this, paths](bool ok) {
        if (ok)
            openWorkspace(QString::fromStdString(paths->workspace));
    });
}

void MainWindow::showGenerate() {
    if (!m_document || m_roundPanel->isRunning())
        return;
    GenerateDialog dialog(m_document.get(), m_document->defaultModelFolder(), m_preferences.device, m_preferences.dtype, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    try {
        m_roundPanel->start(dialog.config());
        for (QDockWidget* dock : findChildren<QDockWidget*>())
            if (dock->widget() == m_roundPanel)
                dock->raise();
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Generate Round"), QString::fromStdString(e.what()));
    }
}

void MainWindow::showPreferences() {
    PreferencesDialog dialog(m_preferences, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const bool thumbnailsChanged = dialog.preferences().thumbnailSize != m_preferences.thumbnailSize;
    m_preferences = dialog.preferences();
    m_preferences.save();
    if (thumbnailsChanged && m_document)
        m_images->setDocument(m_document.get(), m_preferences.thumbnailSize);
}

void MainWindow::showAbout() { QMessageBox::about(this, tr("About SENA Workbench"), aboutText()); }

void MainWindow::log(const QString& message, bool error) {
    m_log->append(error ? LogView::Level::Error : LogView::Level::Info, message);
    if (error)
        statusBar()->showMessage(message.section(QLatin1Char('\n'), 0, 0), 8000);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_roundPanel->isRunning() &&
        QMessageBox::question(this, tr("Quit"), tr("A round is being generated. Cancel it and quit? "
                                                   "Finished images are kept.")) != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    // The saved layout is the workspace layout: parked docks count as they will be shown again.
    parkWorkspaceDocks(false);
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    parkWorkspaceDocks(m_document == nullptr);  // nothing is painted in between
    event->accept();
}

}  // namespace sena::ui
