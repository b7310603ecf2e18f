#include "undo/EditPairCommand.h"

#include <QCoreApplication>

namespace sena::ui {

static QString editText(EditPairCommand::Field field) {
    switch (field) {
    case EditPairCommand::Field::Question: return QCoreApplication::translate("EditPairCommand", "Edit question");
    case EditPairCommand::Field::Chosen: return QCoreApplication::translate("EditPairCommand", "Edit chosen answer");
    case EditPairCommand::Field::Rejected: return QCoreApplication::translate("EditPairCommand", "Edit rejected answer");
    }
    return {};
}

EditPairCommand::EditPairCommand(WorkspaceDocument* document, qint64 pairId, Field field, const QString& newText)
    : PairCommand(document, {pairId}, editText(field)), m_field(field), m_newText(newText.toStdString()) {}

void EditPairCommand::redo() {
    if (!m_before) {
        m_before = load(m_pairIds.front());
        if (!m_before) {
            setObsolete(true);
            return;
        }
    }
    store::PairEdit edit;
    (m_field == Field::Question ? edit.prompt : m_field == Field::Chosen ? edit.chosen : edit.rejected) = m_newText;
    apply([&](store::PairStore& pairs) { pairs.edit(m_pairIds.front(), edit); });
}

void EditPairCommand::undo() {
    // Restoring the earlier effective texts removes edits that were not there before; the curation
    // state and the reference log-probs an edit drops are put back explicitly.
    const store::PairRecord& old = *m_before;
    store::PairEdit edit{old.effectivePrompt(), old.effectiveChosen(), old.effectiveRejected()};
    apply([&](store::PairStore& pairs) {
        pairs.edit(old.id, edit);
        pairs.setCuration(old.id, old.curation);
        if (old.reference)
            pairs.setReference(old.id, *old.reference);
    });
}

bool EditPairCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = dynamic_cast<const EditPairCommand*>(other);
    if (!next || next->m_pairIds != m_pairIds || next->m_field != m_field)
        return false;
    m_newText = next->m_newText;
    return true;
}

}  // namespace sena::ui
