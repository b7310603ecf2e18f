#pragma once
// Accept or reject pairs (one, or a multi-selection in one step).
#include "undo/PairCommand.h"

#include <vector>

namespace sena::ui {

class SetCurationCommand : public PairCommand {
public:
    SetCurationCommand(WorkspaceDocument* document, const QList<qint64>& pairIds, store::Curation state);
    void redo() override;
    void undo() override;

private:
    store::Curation m_state;
    std::vector<std::pair<qint64, store::Curation>> m_before;
};

}  // namespace sena::ui
