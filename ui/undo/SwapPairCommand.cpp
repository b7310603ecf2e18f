#include "undo/SwapPairCommand.h"

#include <QCoreApplication>

namespace sena::ui {

// A helper, not an inline call in the initialiser list: lupdate does not see translate() there
// when its arguments hold a static_cast<>, and the string went missing from the .ts.
static QString swapText(int count) {
    return QCoreApplication::translate("SwapPairCommand", "Swap %n pair(s)", nullptr, count);
}

SwapPairCommand::SwapPairCommand(WorkspaceDocument* document, const QList<qint64>& pairIds)
    : PairCommand(document, pairIds, swapText(static_cast<int>(pairIds.size()))) {}

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
