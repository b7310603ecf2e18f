#include "models/PairTableModel.h"

#include "undo/EditPairCommand.h"
#include "workspace/WorkspaceDocument.h"

#include <QBrush>
#include <QColor>
#include <QUndoStack>

#include <algorithm>

namespace sena::ui {

QString PairTableModel::curationText(store::Curation c) {
    switch (c) {
    case store::Curation::Pending: return tr("pending");
    case store::Curation::Accepted: return tr("accepted");
    case store::Curation::Rejected: return tr("rejected");
    case store::Curation::Edited: return tr("edited");
    }
    return {};
}

namespace {

// One line of a possibly long text, for a table cell (the inspector shows the whole text).
QString cellText(const std::string& text) {
    QString s = QString::fromStdString(text.size() > 400 ? text.substr(0, 400) : text);
    s.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    return s;
}

store::PairSort sortFor(int column) {
    switch (column) {
    case PairTableModel::TypeColumn: return store::PairSort::Type;
    case PairTableModel::QuestionColumn: return store::PairSort::Question;
    case PairTableModel::ChosenColumn: return store::PairSort::Chosen;
    case PairTableModel::RejectedColumn: return store::PairSort::Rejected;
    case PairTableModel::ChosenLengthColumn: return store::PairSort::ChosenLength;
    case PairTableModel::RejectedLengthColumn: return store::PairSort::RejectedLength;
    case PairTableModel::MarginColumn: return store::PairSort::Margin;
    case PairTableModel::StatusColumn: return store::PairSort::Curation;
    case PairTableModel::PassedColumn: return store::PairSort::Passed;
    case PairTableModel::RoundColumn: return store::PairSort::Round;
    case PairTableModel::TagsColumn: return store::PairSort::Tags;
    default: return store::PairSort::Id;
    }
}

}  // namespace

PairTableModel::PairTableModel(QObject* parent) : QAbstractTableModel(parent) { m_query.limit = kPageSize; }

void PairTableModel::setDocument(WorkspaceDocument* document) {
    beginResetModel();
    m_document = document;
    m_pages.clear();
    m_recent.clear();
    recount();
    endResetModel();
}

void PairTableModel::setFilter(const store::PairFilter& filter) {
    beginResetModel();
    m_query.filter = filter;
    m_pages.clear();
    m_recent.clear();
    recount();
    endResetModel();
}

void PairTableModel::sort(int column, Qt::SortOrder order) {
    beginResetModel();
    m_query.sort = sortFor(column);
    m_query.descending = order == Qt::DescendingOrder;
    m_pages.clear();
    m_recent.clear();
    endResetModel();
}

void PairTableModel::recount() {
    m_rowCount = 0;
    if (!m_document)
        return;
    try {
        m_rowCount = static_cast<int>(m_document->workspace().pairs().count(m_query.filter));
    } catch (const std::exception& e) {
        Q_EMIT queryFailed(QString::fromStdString(e.what()));
    }
}

void PairTableModel::refresh() {
    const int before = m_rowCount;
    m_pages.clear();
    m_recent.clear();
    recount();
    if (m_rowCount == before) {
        if (m_rowCount > 0)
            Q_EMIT dataChanged(index(0, 0), index(m_rowCount - 1, ColumnCount - 1));
        return;
    }
    // Rows left or joined the filtered set: their positions are unknown without re-reading,
    // so the view is told the layout changed (persistent indexes keep their row numbers).
    const int after = m_rowCount;
    m_rowCount = before;
    if (after < before) {
        beginRemoveRows({}, after, before - 1);
        m_rowCount = after;
        endRemoveRows();
    } else {
        beginInsertRows({}, before, after - 1);
        m_rowCount = after;
        endInsertRows();
    }
    if (m_rowCount > 0)
        Q_EMIT dataChanged(index(0, 0), index(m_rowCount - 1, ColumnCount - 1));
}

const std::vector<store::PairRecord>* PairTableModel::page(int pageIndex) const {
    auto it = m_pages.find(pageIndex);
    if (it != m_pages.end()) {
        m_recent.remove(pageIndex);
        m_recent.push_front(pageIndex);
        return &it->second;
    }
    if (!m_document)
        return nullptr;
    store::PairQuery query = m_query;
    query.offset = static_cast<std::int64_t>(pageIndex) * kPageSize;
    query.limit = kPageSize;
    std::vector<store::PairRecord> rows;
    try {
        rows = m_document->workspace().pairs().find(query);
    } catch (const std::exception& e) {
        Q_EMIT const_cast<PairTableModel*>(this)->queryFailed(QString::fromStdString(e.what()));
        return nullptr;
    }
    ++m_pagesLoaded;
    if (m_pages.size() >= kCachedPages) {
        m_pages.erase(m_recent.back());
        m_recent.pop_back();
    }
    m_recent.push_front(pageIndex);
    return &(m_pages[pageIndex] = std::move(rows));
}

const store::PairRecord* PairTableModel::pairAt(int row) const {
    if (row < 0 || row >= m_rowCount)
        return nullptr;
    const auto* rows = page(row / kPageSize);
    const std::size_t offset = static_cast<std::size_t>(row % kPageSize);
    return rows && offset < rows->size() ? &(*rows)[offset] : nullptr;
}

qint64 PairTableModel::pairIdAt(int row) const {
    const auto* pair = pairAt(row);
    return pair ? pair->id : 0;
}

int PairTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rowCount; }

int PairTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant PairTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid())
        return {};
    const store::PairRecord* p = pairAt(index.row());
    if (!p)
        return {};
    switch (role) {
    case PairIdRole: return QVariant::fromValue<qint64>(p->id);
    case CurationRole: return static_cast<int>(p->curation);
    case Qt::EditRole:
        switch (index.column()) {
        case QuestionColumn: return QString::fromStdString(p->effectivePrompt());
        case ChosenColumn: return QString::fromStdString(p->effectiveChosen());
        case RejectedColumn: return QString::fromStdString(p->effectiveRejected());
        default: return {};
        }
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn) {
            switch (p->curation) {
            case store::Curation::Accepted: return QBrush(QColor(0x2e, 0x7d, 0x32));
            case store::Curation::Rejected: return QBrush(QColor(0xc6, 0x28, 0x28));
            case store::Curation::Edited: return QBrush(QColor(0x15, 0x65, 0xc0));
            default: return {};
            }
        }
        if (index.column() == PassedColumn && !p->passed)
            return QBrush(QColor(0xc6, 0x28, 0x28));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ChosenLengthColumn || index.column() == RejectedLengthColumn ||
            index.column() == MarginColumn || index.column() == RoundColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == PassedColumn && !p->passed) {
            QStringList reasons;
            for (const auto& hit : p->filterHits)
                reasons << QStringLiteral("%1: %2").arg(QString::fromStdString(hit.filter),
                                                        QString::fromStdString(hit.detail));
            return reasons.join(QLatin1Char('\n'));
        }
        if (index.column() >= QuestionColumn && index.column() <= RejectedColumn)
            return data(index, Qt::EditRole);
        if (index.column() == TagsColumn && !p->note.empty())
            return QString::fromStdString(p->note);
        return {};
    case UnderlyingDataRole:
    case Qt::DisplayRole:
        break;
    default: return {};
    }
    const bool raw = role == UnderlyingDataRole;
    switch (index.column()) {
    case TypeColumn: return QString::fromLatin1(store::toString(p->type));
    case QuestionColumn: return cellText(p->effectivePrompt());
    case ChosenColumn: return cellText(p->effectiveChosen());
    case RejectedColumn: return cellText(p->effectiveRejected());
    case ChosenLengthColumn: return QString::fromStdString(p->effectiveChosen()).size();
    case RejectedLengthColumn: return QString::fromStdString(p->effectiveRejected()).size();
    case MarginColumn:
        if (!p->margin())
            return raw ? QVariant() : QVariant(QStringLiteral("—"));
        return raw ? QVariant(*p->margin()) : QVariant(QString::number(*p->margin(), 'f', 2));
    case StatusColumn: return raw ? QVariant(static_cast<int>(p->curation)) : QVariant(curationText(p->curation));
    case PassedColumn:
        if (raw)
            return p->passed;
        return p->passed ? tr("passed") : tr("filtered (%1)").arg(p->filterHits.size());
    case RoundColumn: return p->roundIndex;
    case TagsColumn: {
        QStringList tags;
        for (const auto& t : p->tags)
            tags << QString::fromStdString(t);
        QString text = tags.join(QStringLiteral(", "));
        if (!raw && !p->note.empty())
            text += (text.isEmpty() ? QString() : QStringLiteral(" ")) + QStringLiteral("✎");
        return text;
    }
    default: return {};
    }
}

QVariant PairTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TypeColumn: return tr("Type");
    case QuestionColumn: return tr("Question");
    case ChosenColumn: return tr("Chosen");
    case RejectedColumn: return tr("Rejected");
    case ChosenLengthColumn: return tr("Chosen len.");
    case RejectedLengthColumn: return tr("Rejected len.");
    case MarginColumn: return tr("Margin");
    case StatusColumn: return tr("Status");
    case PassedColumn: return tr("Filters");
    case RoundColumn: return tr("Round");
    case TagsColumn: return tr("Tags");
    default: return {};
    }
}

Qt::ItemFlags PairTableModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.column() == QuestionColumn || index.column() == ChosenColumn || index.column() == RejectedColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool PairTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !m_document || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const store::PairRecord* p = pairAt(index.row());
    if (!p)
        return false;
    const QString text = value.toString();
    if (text == data(index, Qt::EditRole).toString())
        return false;
    const auto field = index.column() == QuestionColumn ? EditPairCommand::Field::Question
                       : index.column() == ChosenColumn ? EditPairCommand::Field::Chosen
                                                        : EditPairCommand::Field::Rejected;
    // Through the undo stack: the command writes SQLite, and the document's change signal
    // refreshes this model.
    m_document->undoStack()->push(new EditPairCommand(m_document, p->id, field, text));
    return true;
}

}  // namespace sena::ui
