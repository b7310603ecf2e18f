#include "undo/SetNoteCommand.h"

#include <QCoreApplication>

namespace sena::ui {

SetNoteCommand::SetNoteCommand(WorkspaceDocument* document, qint64 pairId, const QString& note)
    : PairCommand(document, {pairId}, QCoreApplication::translate("SetNoteCommand", "Note on pair")),
      m_note(note.toStdString()) {}

void SetNoteCommand::redo() {
    if (!m_before) {
        auto pair = load(m_pairIds.front());
        if (!pair) {
            setObsolete(true);
            return;
        }
        m_before = pair->note;
    }
    apply([&](store::PairStore& pairs) { pairs.setNote(m_pairIds.front(), m_note); });
}

void SetNoteCommand::undo() {
    apply([&](store::PairStore& pairs) { pairs.setNote(m_pairIds.front(), *m_before); });
}

}  // namespace sena::ui
