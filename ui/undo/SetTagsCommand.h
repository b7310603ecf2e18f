#pragma once
// Replace the tags of one pair.
#include "undo/PairCommand.h"

#include <string>
#include <vector>

namespace sena::ui {

class SetTagsCommand : public PairCommand {
public:
    SetTagsCommand(WorkspaceDocument* document, qint64 pairId, std::vector<std::string> tags);
    void redo() override;
    void undo() override;

private:
    std::vector<std::string> m_tags;
    std::optional<std::vector<std::string>> m_before;
};

}  // namespace sena::ui
