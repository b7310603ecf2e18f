#pragma once
// Exchange chosen and rejected (the model preferred the wrong answer).
#include "undo/PairCommand.h"

#include <vector>

namespace sena::ui {

class SwapPairCommand : public PairCommand {
public:
    SwapPairCommand(WorkspaceDocument* document, const QList<qint64>& pairIds);
    void redo() override;
    void undo() override;

private:
    std::vector<std::pair<qint64, store::Curation>> m_before;
};

}  // namespace sena::ui
