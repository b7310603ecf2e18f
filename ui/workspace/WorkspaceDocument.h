#pragma once
// The open workspace as the GUI sees it: the GUI thread's own database connection, the undo stack
// every curation edit goes through, and change notifications the views refresh from.
// Workers never use this connection; they open their own (one SQLite connection per thread).
#include "store/Workspace.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>

class QUndoStack;

namespace sena::ui {

class WorkspaceDocument : public QObject {
    Q_OBJECT
public:
    // Opens (or, with `create`, creates) the workspace. Throws sena::Error with a readable message.
    WorkspaceDocument(const QString& folder, bool create, QObject* parent = nullptr);
    ~WorkspaceDocument() override;

    QString folder() const { return m_folder; }
    QString thumbnailsFolder() const;
    store::Workspace& workspace() { return *m_workspace; }
    QUndoStack* undoStack() const { return m_undoStack; }

    // The base model new rounds start from. The workspace's "default_model" setting comes first
    // (the CLI's `workspace init --model` writes it and `round generate` reads it); a workspace
    // without it falls back to the folder older workbench versions kept in QSettings, then to
    // the latest round's generator. Empty when none is known.
    QString defaultModelFolder();
    static constexpr const char* kDefaultModelSetting = "default_model";  // the CLI's key too
    // Stores `folder`, made absolute, as the workspace's "default_model".
    void setDefaultModelFolder(const QString& folder);

    // Called by undo commands after they changed pairs in the database.
    void notifyPairsChanged(const QList<qint64>& pairIds);
    // Called when a worker committed new images, rounds or pairs.
    void notifyContentAdded();
    // Reports a failed edit (the command is dropped, the database unchanged).
    void reportError(const QString& message);

Q_SIGNALS:
    void pairsChanged(const QList<qint64>& pairIds);
    void contentAdded();
    void errorOccurred(const QString& message);

private:
    QString m_folder;
    std::unique_ptr<store::Workspace> m_workspace;
    QUndoStack* m_undoStack = nullptr;
};

}  // namespace sena::ui
