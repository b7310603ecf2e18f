#pragma once
// Base of the curation commands: each one changes pairs in the database at once (redo) and puts
// them back (undo), then tells the document which pairs changed so the views refresh.
#include "store/PairStore.h"

#include <QList>
#include <QUndoCommand>

#include <functional>

namespace sena::ui {

class WorkspaceDocument;

class PairCommand : public QUndoCommand {
protected:
    PairCommand(WorkspaceDocument* document, QList<qint64> pairIds, const QString& text);

    // Runs `change` on the GUI thread's store. A failure is reported and, when it happens on the
    // first redo, the command is marked obsolete so the stack drops it.
    bool apply(const std::function<void(store::PairStore&)>& change);
    // The stored pair, or nullopt (reported) when it is gone.
    std::optional<store::PairRecord> load(qint64 pairId);

    WorkspaceDocument* m_document;
    QList<qint64> m_pairIds;
    bool m_done = false;  // redo ran at least once
};

}  // namespace sena::ui
