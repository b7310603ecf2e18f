#pragma once
// Edit the question, the chosen or the rejected text of one pair. Consecutive edits of the same
// field of the same pair merge into one undo step.
#include "undo/PairCommand.h"

namespace sena::ui {

class EditPairCommand : public PairCommand {
public:
    enum class Field { Question, Chosen, Rejected };

    EditPairCommand(WorkspaceDocument* document, qint64 pairId, Field field, const QString& newText);
    void redo() override;
    void undo() override;
    int id() const override { return 0x5e7a01; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    Field m_field;
    std::string m_newText;
    std::optional<store::PairRecord> m_before;
};

}  // namespace sena::ui
