#include "undo/SwapPairCommand.h"

#include <QCoreApplication>

namespace sena::ui {

SwapPairCommand::SwapPairCommand(WorkspaceDocument* document, const QList<qint64>& pairIds)
    : PairCommand(document, pairIds,
                  QCoreApplication::translate("SwapPairCommand", "Swap %n pair(s)", nullptr,
                                              static_cast<int>(pairIds.size()))) {}

void SwapPairCommand::redo() {
    if (m_before.empty()) {
        for (qint64 id : m_pairIds) {
            auto pair = load(id);
            if (!pair) {
                setObsolete(true);
                return;
            }
            m_before.emplace_back(id, pair->curation);
        }
    }
    apply([&](store::PairStore& pairs) {
        for (qint64 id : m_pairIds)
            pairs.swap(id);
    });
}

void SwapPairCommand::undo() {
    // Swapping is its own inverse (texts, edits and log-probs move together); only the curation
    // state, which swap sets to Edited, needs putting back.
    apply([&](store::PairStore& pairs) {
        for (const auto& [id, state] : m_before) {
            pairs.swap(id);
            pairs.setCuration(id, state);
        }
    });
}

}  // namespace sena::ui
