#include "undo/SetCurationCommand.h"

#include <QCoreApplication>

namespace sena::ui {

static QString verb(store::Curation state, int count) {
    switch (state) {
    case store::Curation::Accepted:
        return QCoreApplication::translate("SetCurationCommand", "Accept %n pair(s)", nullptr, count);
    case store::Curation::Rejected:
        return QCoreApplication::translate("SetCurationCommand", "Reject %n pair(s)", nullptr, count);
    default:
        return QCoreApplication::translate("SetCurationCommand", "Reset %n pair(s)", nullptr, count);
    }
}

SetCurationCommand::SetCurationCommand(WorkspaceDocument* document, const QList<qint64>& pairIds,
                                       store::Curation state)
    : PairCommand(document, pairIds, verb(state, static_cast<int>(pairIds.size()))), m_state(state) {}

void SetCurationCommand::redo() {
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
    std::vector<std::int64_t> ids(m_pairIds.begin(), m_pairIds.end());
    apply([&](store::PairStore& pairs) { pairs.setCuration(ids, m_state); });
}

void SetCurationCommand::undo() {
    apply([&](store::PairStore& pairs) {
        for (const auto& [id, state] : m_before)
            pairs.setCuration(id, state);
    });
}

}  // namespace sena::ui
