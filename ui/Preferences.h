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

// The base model older workbench versions remembered per workspace folder in QSettings. Only read,
// as a fallback for workspaces without a "default_model" setting (see WorkspaceDocument).
QString legacyWorkspaceModelFolder(const QString& workspaceFolder);

}  // namespace sena::ui
