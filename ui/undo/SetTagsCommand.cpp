#include "undo/SetTagsCommand.h"

#include <QCoreApplication>

namespace sena::ui {

SetTagsCommand::SetTagsCommand(WorkspaceDocument* document, qint64 pairId, std::vector<std::string> tags)
    : PairCommand(document, {pairId}, QCoreApplication::translate("SetTagsCommand", "Tag pair")),
      m_tags(std::move(tags)) {}

void SetTagsCommand::redo() {
    if (!m_before) {
        auto pair = load(m_pairIds.front());
        if (!pair) {
            setObsolete(true);
            return;
        }
        m_before = pair->tags;
    }
    apply([&](store::PairStore& pairs) { pairs.setTags(m_pairIds.front(), m_tags); });
}

void SetTagsCommand::undo() {
    apply([&](store::PairStore& pairs) { pairs.setTags(m_pairIds.front(), *m_before); });
}

}  // namespace sena::ui
