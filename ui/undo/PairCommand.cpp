#include "undo/PairCommand.h"

#include "workspace/WorkspaceDocument.h"

#include <QCoreApplication>

namespace sena::ui {

PairCommand::PairCommand(WorkspaceDocument* document, QList<qint64> pairIds, const QString& text)
    : QUndoCommand(text), m_document(document), m_pairIds(std::move(pairIds)) {}

bool PairCommand::apply(const std::function<void(store::PairStore&)>& change) {
    try {
        auto pairs = m_document->workspace().pairs();
        change(pairs);
    } catch (const std::exception& e) {
        m_document->reportError(QCoreApplication::translate("PairCommand", "%1 failed: %2")
                                    .arg(text(), QString::fromStdString(e.what())));
        if (!m_done)
            setObsolete(true);
        return false;
    }
    m_done = true;
    m_document->notifyPairsChanged(m_pairIds);
    return true;
}

std::optional<store::PairRecord> PairCommand::load(qint64 pairId) {
    try {
        return m_document->workspace().pairs().get(pairId);
    } catch (const std::exception& e) {
        m_document->reportError(QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

}  // namespace sena::ui
