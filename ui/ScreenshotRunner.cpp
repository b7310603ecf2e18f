#include "ScreenshotRunner.h"

#include "MainWindow.h"
#include "corruption/CorruptionLab.h"
#include "images/ImageBrowser.h"
#include "images/ThumbnailProvider.h"
#include "models/PairTableModel.h"
#include "pairs/PairsView.h"
#include "rounds/GenerateDialog.h"
#include "workspace/NewWorkspaceDialog.h"
#include "workspace/WorkspaceDocument.h"
#include "PreferencesDialog.h"
#include "Preferences.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QListView>
#include <QTabWidget>
#include <QTableView>
#include <QThread>

namespace sena::ui {

ScreenshotRunner::ScreenshotRunner(MainWindow* window, QString folder, QObject* parent)
    : QObject(parent), m_window(window), m_folder(std::move(folder)) {}

void ScreenshotRunner::settle(int msecs) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < msecs) {
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(10);
    }
}

QString ScreenshotRunner::grab(const QString& name) {
    settle(300);
    const QString path = QDir(m_folder).filePath(QStringLiteral("%1-%2.png").arg(++m_index, 2, 10, QLatin1Char('0')).arg(name));
    QWidget* target = QApplication::activeModalWidget() ? QApplication::activeModalWidget() : m_window;
    target->grab().save(path);
    return path;
}

QStringList ScreenshotRunner::run() {
    QDir().mkpath(m_folder);
    QStringList files;
    if (!m_window->document())
        files << grab(QStringLiteral("start-page"));
    if (!m_window->document())
        return files;
    QTabWidget* tabs = m_window->tabs();
    tabs->setCurrentWidget(m_window->imageBrowser());
    settle(200);
    // Thumbnails arrive from pool threads; wait for them so the picture shows real images.
    if (auto* thumbs = m_window->imageBrowser()->thumbnails())
        thumbs->waitForDone(20000);
    files << grab(QStringLiteral("images"));

    tabs->setCurrentWidget(m_window->pairsView());
    QTableView* table = m_window->pairsView()->table();
    table->setFocus();
    if (m_window->pairsView()->model()->rowCount() > 0)
        table->setCurrentIndex(table->model()->index(0, 1));
    settle(1500);  // the inspector recomputes the corrupted image off the GUI thread
    files << grab(QStringLiteral("pairs-and-inspector"));

    tabs->setCurrentWidget(m_window->corruptionLab());
    m_window->corruptionLab()->setSpec(QStringLiteral("blur:sigma=1.5+diffusion:t=600"));
    const int before = m_window->corruptionLab()->previewsDelivered();
    QElapsedTimer waited;
    waited.start();
    while (m_window->corruptionLab()->previewsDelivered() == before && waited.elapsed() < 20000)
        settle(50);
    files << grab(QStringLiteral("corruption-lab"));

    // Dialogs, shown modeless just long enough to grab them.
    {
        GenerateDialog dialog(m_window->document(), m_window->document()->defaultModelFolder(),
                              QStringLiteral("cpu"), QStringLiteral("float32"), m_window);
        dialog.show();
        settle(200);
        files << QDir(m_folder).filePath(QStringLiteral("%1-generate-dialog.png").arg(++m_index, 2, 10, QLatin1Char('0')));
        dialog.grab().save(files.back());
    }
    {
        NewWorkspaceDialog dialog(m_window);
        dialog.setModelFolder(m_window->document()->defaultModelFolder());
        dialog.show();
        QElapsedTimer t;
        t.start();
        while (dialog.modelReport() == NewWorkspaceDialog::tr("Checking…") && t.elapsed() < 10000)
            settle(50);
        settle(200);
        files << QDir(m_folder).filePath(QStringLiteral("%1-new-workspace-dialog.png").arg(++m_index, 2, 10, QLatin1Char('0')));
        dialog.grab().save(files.back());
    }
    {
        PreferencesDialog dialog(Preferences::load(), m_window);
        dialog.show();
        settle(200);
        files << QDir(m_folder).filePath(QStringLiteral("%1-preferences.png").arg(++m_index, 2, 10, QLatin1Char('0')));
        dialog.grab().save(files.back());
    }
    m_window->closeWorkspace();
    files << grab(QStringLiteral("start-page"));
    return files;
}

}  // namespace sena::ui
