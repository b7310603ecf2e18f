#pragma once
// The pairs table with its filter bar and counters, curated from the keyboard:
// A accept, R reject, S swap, E edit, T tag, N note, J/K or ←/→ previous/next.
// Every action goes through the document's undo stack and is written to SQLite at once.
#include <QWidget>

class QLabel;
class QTableView;

namespace sena::ui {

class PairFilterBar;
class PairTableModel;
class WorkspaceDocument;

class PairsView : public QWidget {
    Q_OBJECT
public:
    explicit PairsView(QWidget* parent = nullptr);

    void setDocument(WorkspaceDocument* document);
    QTableView* table() const { return m_table; }
    PairTableModel* model() const { return m_model; }
    PairFilterBar* filterBar() const { return m_filterBar; }
    qint64 currentPairId() const;
    QList<qint64> selectedPairIds() const;

    void acceptSelected();
    void rejectSelected();
    void swapSelected();
    void editCurrent();
    void tagCurrent();
    void noteCurrent();
    void moveCurrent(int delta);
    // Re-reads counts and rows (new pairs committed by a worker).
    void refresh();

Q_SIGNALS:
    void currentPairChanged(qint64 pairId);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateCounters();
    void pushCuration(int curation);
    void selectRow(int row);

    WorkspaceDocument* m_document = nullptr;
    PairFilterBar* m_filterBar = nullptr;
    QTableView* m_table = nullptr;
    PairTableModel* m_model = nullptr;
    QLabel* m_counters = nullptr;
};

}  // namespace sena::ui
