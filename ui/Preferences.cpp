#include "Preferences.h"

#include <QDir>
#include <QSettings>

namespace sena::ui {

Preferences Preferences::load() {
    QSettings s;
    Preferences p;
    p.device = s.value(QStringLiteral("compute/device"), p.device).toString();
    p.dtype = s.value(QStringLiteral("compute/dtype"), p.dtype).toString();
    p.threads = s.value(QStringLiteral("compute/threads"), p.threads).toInt();
    p.thumbnailSize = std::clamp(s.value(QStringLiteral("images/thumbnailSize"), p.thumbnailSize).toInt(), 64, 512);
    return p;
}

void Preferences::save() const {
    QSettings s;
    s.setValue(QStringLiteral("compute/device"), device);
    s.setValue(QStringLiteral("compute/dtype"), dtype);
    s.setValue(QStringLiteral("compute/threads"), threads);
    s.setValue(QStringLiteral("images/thumbnailSize"), thumbnailSize);
}

QStringList RecentWorkspaces::list() {
    return QSettings().value(QStringLiteral("workspaces/recent")).toStringList();
}

void RecentWorkspaces::add(const QString& folder) {
    QStringList recent = list();
    const QString clean = QDir::cleanPath(QDir(folder).absolutePath());
    recent.removeAll(clean);
    recent.prepend(clean);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(QStringLiteral("workspaces/recent"), recent);
}

void RecentWorkspaces::remove(const QString& folder) {
    QStringList recent = list();
    recent.removeAll(QDir::cleanPath(QDir(folder).absolutePath()));
    QSettings().setValue(QStringLiteral("workspaces/recent"), recent);
}

static QString modelKey(const QString& workspaceFolder) {
    // QSettings keys may not hold '/' freely; hex keeps any path intact.
    return QStringLiteral("workspaceModels/") +
           QString::fromLatin1(QDir::cleanPath(QDir(workspaceFolder).absolutePath()).toUtf8().toHex());
}

QString legacyWorkspaceModelFolder(const QString& workspaceFolder) {
    return QSettings().value(modelKey(workspaceFolder)).toString();
}

}  // namespace sena::ui
