#pragma once
// The row of filter controls above the pairs table: curation state, type, filter verdict, round,
// full-text search, length and margin ranges. Emits the combined store filter.
#include "store/PairQuery.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QTimer;

namespace sena::ui {

class WorkspaceDocument;

class PairFilterBar : public QWidget {
    Q_OBJECT
public:
    explicit PairFilterBar(QWidget* parent = nullptr);

    // Refills the round list from the workspace.
    void setDocument(WorkspaceDocument* document);
    store::PairFilter filter() const;
    QLineEdit* searchField() const { return m_search; }
    // For tests and the menu: select a curation state (-1: any).
    void setCurationFilter(int curation);
    void setSearchText(const QString& text);

Q_SIGNALS:
    void filterChanged(const store::PairFilter& filter);

private:
    void emitChanged();

    QComboBox* m_curation = nullptr;
    QComboBox* m_type = nullptr;
    QComboBox* m_passed = nullptr;
    QComboBox* m_round = nullptr;
    QLineEdit* m_search = nullptr;
    QSpinBox* m_minLength = nullptr;
    QSpinBox* m_maxLength = nullptr;
    QDoubleSpinBox* m_minMargin = nullptr;
    QDoubleSpinBox* m_maxMargin = nullptr;
    QTimer* m_searchDelay = nullptr;
};

}  // namespace sena::ui
