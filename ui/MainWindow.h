#pragma once
// The workbench's main window: menus, status bar and the central view stack.
#include <QMainWindow>

class QLabel;

namespace sena::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Shows `dir` in the title and status bar; views arrive with the workspace issue.
    void openWorkspace(const QString& dir);

private:
    void createMenus();
    void showAbout();
    QLabel* m_placeholder = nullptr;
};

}  // namespace sena::ui
