#pragma once
// Typed application settings, declared in one place with their defaults (QSettings underneath).
#include <QString>
#include <QStringList>

namespace sena::ui {

struct Preferences {
    QString device = QStringLiteral("cpu");
    QString dtype = QStringLiteral("float32");
    int threads = 0;          // 0: let LibTorch use every core
    int thumbnailSize = 160;  // pixels, the longer side

    static Preferences load();
    void save() const;
};

// Most recently opened workspaces, newest first, at most `kMaxRecent`.
class RecentWorkspaces {
public:
    static constexpr int kMaxRecent = 8;
    static QStringList list();
    static void add(const QString& folder);
    static void remove(const QString& folder);
};

// The base model a workspace was created with (the GUI's choice; every round records its own).
QString workspaceModelFolder(const QString& workspaceFolder);
void setWorkspaceModelFolder(const QString& workspaceFolder, const QString& modelFolder);

}  // namespace sena::ui
