#include "pairs/PairsView.h"

#include "models/PairTableModel.h"
#include "pairs/PairFilterBar.h"
#include "pairs/TextEditDelegate.h"
#include "undo/SetCurationCommand.h"
#include "undo/SetNoteCommand.h"
#include "undo/SetTagsCommand.h"
#include "undo/SwapPairCommand.h"
#include "workspace/WorkspaceDocument.h"

#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QTableView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <set>

namespace sena::ui {

PairsView::PairsView(QWidget* parent) : QWidget(parent) {
    m_filterBar = new PairFilterBar(this);
    m_model = new PairTableModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("pairsTable"));
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);  // no per-row measuring
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(PairTableModel::TypeColumn, 48);
    m_table->setColumnWidth(PairTableModel::QuestionColumn, 260);
    m_table->setColumnWidth(PairTableModel::ChosenColumn, 240);
    m_table->setColumnWidth(PairTableModel::RejectedColumn, 240);
    for (int c : {PairTableModel::ChosenLengthColumn, PairTableModel::RejectedLengthColumn,
                  PairTableModel::MarginColumn, PairTableModel::RoundColumn})
        m_table->setColumnWidth(c, 96);
    auto* delegate = new TextEditDelegate(this);
    for (int c : {PairTableModel::QuestionColumn, PairTableModel::ChosenColumn, PairTableModel::RejectedColumn})
        m_table->setItemDelegateForColumn(c, delegate);
    m_table->installEventFilter(this);

    m_counters = new QLabel(this);
    m_counters->setObjectName(QStringLiteral("pairCounters"));
    auto* hint = new QLabel(tr("A accept · R reject · S swap · E edit · T tag · N note · J/K move"), this);
    hint->setEnabled(false);
    auto* footer = new QHBoxLayout;
    footer->addWidget(m_counters, 1);
    footer->addWidget(hint);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_table, 1);
    layout->addLayout(footer);

    connect(m_filterBar, &PairFilterBar::filterChanged, this, [this](const store::PairFilter& filter) {
        m_model->setFilter(filter);
        updateCounters();
        selectRow(0);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { Q_EMIT currentPairChanged(m_model->pairIdAt(current.row())); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { Q_EMIT currentPairChanged(currentPairId()); });
}

void PairsView::setDocument(WorkspaceDocument* document) {
    m_document = document;
    m_filterBar->setDocument(document);
    m_model->setDocument(document);
    if (document) {
        m_model->setFilter(m_filterBar->filter());
        connect(document, &WorkspaceDocument::pairsChanged, this, [this] {
            m_model->refresh();
            updateCounters();
            Q_EMIT currentPairChanged(currentPairId());
        });
    }
    updateCounters();
    selectRow(0);
}

void PairsView::refresh() {
    m_filterBar->setDocument(m_document);
    m_model->refresh();
    updateCounters();
    if (!m_table->currentIndex().isValid())
        selectRow(0);
}

void PairsView::updateCounters() {
    if (!m_document) {
        m_counters->clear();
        return;
    }
    // Counts under the current filter, whatever its curation choice.
    store::PairFilter filter = m_filterBar->filter();
    filter.curation.clear();
    try {
        auto pairs = m_document->workspace().pairs();
        const qint64 all = pairs.count(filter);
        auto countOf = [&](store::Curation c) {
            store::PairFilter f = filter;
            f.curation = {c};
            return pairs.count(f);
        };
        m_counters->setText(tr("%1 pairs · %2 pending · %3 accepted · %4 rejected · %5 edited")
                                .arg(all)
                                .arg(countOf(store::Curation::Pending))
                                .arg(countOf(store::Curation::Accepted))
                                .arg(countOf(store::Curation::Rejected))
                                .arg(countOf(store::Curation::Edited)));
    } catch (const std::exception& e) {
        m_counters->setText(QString::fromStdString(e.what()));
    }
}

qint64 PairsView::currentPairId() const { return m_model->pairIdAt(m_table->currentIndex().row()); }

QList<qint64> PairsView::selectedPairIds() const {
    std::set<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedIndexes())
        rows.insert(index.row());
    if (rows.empty() && m_table->currentIndex().isValid())
        rows.insert(m_table->currentIndex().row());
    QList<qint64> ids;
    for (int row : rows)
        if (qint64 id = m_model->pairIdAt(row))
            ids << id;
    return ids;
}

void PairsView::selectRow(int row) {
    if (m_model->rowCount() == 0)
        return;
    row = std::clamp(row, 0, m_model->rowCount() - 1);
    const int column = std::max(0, m_table->currentIndex().column());
    m_table->setCurrentIndex(m_model->index(row, column));
    m_table->scrollTo(m_model->index(row, column));
}

void PairsView::moveCurrent(int delta) { selectRow(m_table->currentIndex().row() + delta); }

void PairsView::pushCuration(int curation) {
    const QList<qint64> ids = selectedPairIds();
    if (!m_document || ids.isEmpty())
        return;
    const int row = m_table->currentIndex().row();
    const int before = m_model->rowCount();
    m_document->undoStack()->push(new SetCurationCommand(m_document, ids, static_cast<store::Curation>(curation)));
    // Go on to the next pair; when the pair left the filtered list, the next one is already here.
    selectRow(m_model->rowCount() == before ? row + 1 : row);
}

void PairsView::acceptSelected() { pushCuration(static_cast<int>(store::Curation::Accepted)); }

void PairsView::rejectSelected() { pushCuration(static_cast<int>(store::Curation::Rejected)); }

void PairsView::swapSelected() {
    const QList<qint64> ids = selectedPairIds();
    if (m_document && !ids.isEmpty())
        m_document->undoStack()->push(new SwapPairCommand(m_document, ids));
}

void PairsView::editCurrent() {
    QModelIndex index = m_table->currentIndex();
    if (!index.isValid())
        return;
    if (!(m_model->flags(index) & Qt::ItemIsEditable))
        index = m_model->index(index.row(), PairTableModel::ChosenColumn);
    m_table->setCurrentIndex(index);
    m_table->edit(index);
}

void PairsView::tagCurrent() {
    const store::PairRecord* pair = m_model->pairAt(m_table->currentIndex().row());
    if (!m_document || !pair)
        return;
    QStringList current;
    for (const auto& t : pair->tags)
        current << QString::fromStdString(t);
    bool ok = false;
    const QString text = QInputDialog::getText(this, tr("Tag Pair"), tr("Tags, separated by commas:"),
                                               QLineEdit::Normal, current.join(QStringLiteral(", ")), &ok);
    if (!ok)
        return;
    std::vector<std::string> tags;
    for (const QString& t : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!t.trimmed().isEmpty())
            tags.push_back(t.trimmed().toStdString());
    m_document->undoStack()->push(new SetTagsCommand(m_document, pair->id, tags));
}

void PairsView::noteCurrent() {
    const store::PairRecord* pair = m_model->pairAt(m_table->currentIndex().row());
    if (!m_document || !pair)
        return;
    const qint64 id = pair->id;
    bool ok = false;
    const QString note = QInputDialog::getMultiLineText(this, tr("Note on Pair"), tr("Note:"),
                                                        QString::fromStdString(pair->note), &ok);
    if (ok)
        m_document->undoStack()->push(new SetNoteCommand(m_document, id, note));
}

bool PairsView::eventFilter(QObject* watched, QEvent* event) {
    if (watched != m_table || (event->type() != QEvent::KeyPress && event->type() != QEvent::ShortcutOverride))
        return QWidget::eventFilter(watched, event);
    auto* key = static_cast<QKeyEvent*>(event);
    if (key->modifiers() & ~(Qt::KeypadModifier))
        return QWidget::eventFilter(watched, event);
    static const std::set<int> handled = {Qt::Key_A, Qt::Key_R, Qt::Key_S, Qt::Key_E, Qt::Key_T, Qt::Key_N,
                                          Qt::Key_J, Qt::Key_K, Qt::Key_Left, Qt::Key_Right};
    if (!handled.count(key->key()))
        return QWidget::eventFilter(watched, event);
    if (event->type() == QEvent::ShortcutOverride) {
        // Claim the plain letter keys so no window shortcut takes them while the table has focus.
        event->accept();
        return true;
    }
    switch (key->key()) {
    case Qt::Key_A: acceptSelected(); break;
    case Qt::Key_R: rejectSelected(); break;
    case Qt::Key_S: swapSelected(); break;
    case Qt::Key_E: editCurrent(); break;
    case Qt::Key_T: tagCurrent(); break;
    case Qt::Key_N: noteCurrent(); break;
    case Qt::Key_J:
    case Qt::Key_Right: moveCurrent(1); break;
    case Qt::Key_K:
    case Qt::Key_Left: moveCurrent(-1); break;
    }
    return true;
}

}  // namespace sena::ui
