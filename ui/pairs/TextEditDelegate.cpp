#include "pairs/TextEditDelegate.h"

#include <QKeyEvent>
#include <QPlainTextEdit>

namespace sena::ui {

QWidget* TextEditDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const {
    auto* editor = new QPlainTextEdit(parent);
    editor->setObjectName(QStringLiteral("pairTextEditor"));
    editor->setTabChangesFocus(true);
    return editor;
}

void TextEditDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const {
    auto* edit = static_cast<QPlainTextEdit*>(editor);
    edit->setPlainText(index.data(Qt::EditRole).toString());
    edit->selectAll();
}

void TextEditDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const {
    model->setData(index, static_cast<QPlainTextEdit*>(editor)->toPlainText(), Qt::EditRole);
}

void TextEditDelegate::updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option,
                                            const QModelIndex&) const {
    // Taller than the row, so a few lines of an answer are visible while editing.
    QRect rect = option.rect;
    rect.setHeight(std::max(rect.height() * 4, 96));
    editor->setGeometry(rect);
}

bool TextEditDelegate::eventFilter(QObject* object, QEvent* event) {
    auto* editor = qobject_cast<QPlainTextEdit*>(object);
    if (editor && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && !(key->modifiers() & Qt::ShiftModifier)) {
            Q_EMIT commitData(editor);
            Q_EMIT closeEditor(editor, QAbstractItemDelegate::NoHint);
            return true;
        }
    }
    return QStyledItemDelegate::eventFilter(object, event);
}

}  // namespace sena::ui
