#pragma once
// Renders every view of a main window into PNG files, one after the other, for documentation and
// visual review (`sena-workbench --screenshots DIR`).
#include <QObject>
#include <QStringList>

namespace sena::ui {

class MainWindow;

class ScreenshotRunner : public QObject {
    Q_OBJECT
public:
    ScreenshotRunner(MainWindow* window, QString folder, QObject* parent = nullptr);
    // Shows each view, waits for its background work (thumbnails, previews) and grabs the window.
    // Returns the files written.
    QStringList run();

private:
    QString grab(const QString& name);
    void settle(int msecs);

    MainWindow* m_window;
    QString m_folder;
    int m_index = 0;
};

}  // namespace sena::ui
