#pragma once
// Draws an image tile: the thumbnail, the file name, and badges for questions, pairs,
// accepted / rejected pairs, and a red mark for files that failed to import.
#include <QStyledItemDelegate>

namespace sena::ui {

class ImageBadgeDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    ImageBadgeDelegate(int thumbnailSize, QObject* parent = nullptr);
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    int m_size;
};

}  // namespace sena::ui
