#include "MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

#include <torch/version.h>

namespace sena::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("SENA Workbench"));
    m_placeholder = new QLabel(tr("Open a workspace to browse its images and preference pairs."), this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(m_placeholder);
    createMenus();
    statusBar()->showMessage(tr("Ready"));
    resize(1200, 800);
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Workspace…"));
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Workspace"));
        if (!dir.isEmpty())
            openWorkspace(dir);
    });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, qApp, &QApplication::quit);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    connect(help->addAction(tr("&About SENA Workbench")), &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::openWorkspace(const QString& dir) {
    setWindowTitle(tr("%1 — SENA Workbench").arg(dir));
    m_placeholder->setText(tr("Workspace %1").arg(dir));
    statusBar()->showMessage(tr("Opened %1").arg(dir));
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About SENA Workbench"),
                       tr("<b>SENA Workbench</b> 0.1.0<br>Self-evolution of multimodal models from unannotated "
                          "images.<br><br>Qt %1, LibTorch %2")
                           .arg(QString::fromLatin1(qVersion()), QString::fromLatin1(TORCH_VERSION)));
}

}  // namespace sena::ui
