#pragma once
// Preference pairs as a table, read from SQLite one page at a time: only a window of recently
// used pages is held in memory, so 100,000 pairs scroll like 100. Sorting and filtering re-query
// the database (ORDER BY / WHERE), never the cached rows.
#include "store/PairQuery.h"
#include "store/Records.h"

#include <QAbstractTableModel>

#include <list>
#include <unordered_map>
#include <vector>

namespace sena::ui {

class WorkspaceDocument;

class PairTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TypeColumn,
        QuestionColumn,
        ChosenColumn,
        RejectedColumn,
        ChosenLengthColumn,
        RejectedLengthColumn,
        MarginColumn,
        StatusColumn,
        PassedColumn,
        RoundColumn,
        TagsColumn,
        ColumnCount
    };
    enum Role {
        PairIdRole = Qt::UserRole + 1,
        UnderlyingDataRole,  // raw value (number, enum name) rather than formatted text
        CurationRole,        // store::Curation as int
    };
    static constexpr int kPageSize = 128;
    // The curation state in the UI language (the inspector's header uses it too).
    static QString curationText(store::Curation c);
    static constexpr std::size_t kCachedPages = 16;

    explicit PairTableModel(QObject* parent = nullptr);

    void setDocument(WorkspaceDocument* document);
    void setFilter(const store::PairFilter& filter);
    const store::PairFilter& filter() const { return m_query.filter; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // The pair shown in `row` (loads its page if needed); nullptr when out of range.
    const store::PairRecord* pairAt(int row) const;
    qint64 pairIdAt(int row) const;
    // Re-counts and re-reads after pairs changed in the database; keeps the row count stable when
    // it can, so the view keeps its place.
    void refresh();
    // Pages read from the database since creation (for tests and diagnostics).
    int pagesLoaded() const { return m_pagesLoaded; }

Q_SIGNALS:
    void queryFailed(const QString& message);

private:
    const std::vector<store::PairRecord>* page(int pageIndex) const;
    void recount();

    WorkspaceDocument* m_document = nullptr;
    store::PairQuery m_query;
    int m_rowCount = 0;
    // Page index → rows, with a most-recently-used list for eviction. Mutable: data() is const
    // but fills the cache.
    mutable std::unordered_map<int, std::vector<store::PairRecord>> m_pages;
    mutable std::list<int> m_recent;
    mutable int m_pagesLoaded = 0;
};

}  // namespace sena::ui
