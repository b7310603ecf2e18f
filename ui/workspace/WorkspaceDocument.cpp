#include "workspace/WorkspaceDocument.h"

#include "Preferences.h"

#include <QDir>
#include <QUndoStack>

namespace sena::ui {

WorkspaceDocument::WorkspaceDocument(const QString& folder, bool create, QObject* parent)
    : QObject(parent), m_folder(QDir::cleanPath(QDir(folder).absolutePath())) {
    const std::string path = m_folder.toStdString();
    m_workspace = std::make_unique<store::Workspace>(create ? store::Workspace::create(path)
                                                            : store::Workspace::open(path));
    m_undoStack = new QUndoStack(this);
}

WorkspaceDocument::~WorkspaceDocument() {
    // Commands refer to this document; drop them before the connection goes.
    m_undoStack->clear();
}

QString WorkspaceDocument::defaultModelFolder() {
    // A read error only costs the suggestion; the views and dialogs work without one.
    try {
        if (auto model = m_workspace->setting(kDefaultModelSetting); model && !model->empty())
            return QString::fromStdString(*model);
    } catch (const std::exception& e) {
        reportError(QString::fromStdString(e.what()));
    }
    if (QString legacy = legacyWorkspaceModelFolder(m_folder); !legacy.isEmpty())
        return legacy;
    try {
        if (auto latest = m_workspace->rounds().latest(); latest && !latest->generatorModelPath.empty())
            return QString::fromStdString(latest->generatorModelPath);
    } catch (const std::exception& e) {
        reportError(QString::fromStdString(e.what()));
    }
    return {};
}

void WorkspaceDocument::setDefaultModelFolder(const QString& folder) {
    m_workspace->setSetting(kDefaultModelSetting, QDir::cleanPath(QDir(folder).absolutePath()).toStdString());
}

QString WorkspaceDocument::thumbnailsFolder() const {
    return QString::fromStdString(m_workspace->thumbnailsFolder());
}

void WorkspaceDocument::notifyPairsChanged(const QList<qint64>& pairIds) { Q_EMIT pairsChanged(pairIds); }

void WorkspaceDocument::notifyContentAdded() { Q_EMIT contentAdded(); }

void WorkspaceDocument::reportError(const QString& message) { Q_EMIT errorOccurred(message); }

}  // namespace sena::ui
