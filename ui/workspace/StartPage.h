#pragma once
// Shown while no workspace is open: recent workspaces, and New, Open and Open Demo.
#include <QWidget>

class QListWidget;

namespace sena::ui {

class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget* parent = nullptr);
    void reloadRecent();

Q_SIGNALS:
    void newRequested();
    void openRequested();
    void demoRequested();
    void recentRequested(const QString& folder);

private:
    QListWidget* m_recent = nullptr;
};

}  // namespace sena::ui
