#pragma once
// Replace the curator's note on one pair.
#include "undo/PairCommand.h"

#include <string>

namespace sena::ui {

class SetNoteCommand : public PairCommand {
public:
    SetNoteCommand(WorkspaceDocument* document, qint64 pairId, const QString& note);
    void redo() override;
    void undo() override;

private:
    std::string m_note;
    std::optional<std::string> m_before;
};

}  // namespace sena::ui
