#include "images/ImageBadgeDelegate.h"

#include "images/ImageListModel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace sena::ui {

ImageBadgeDelegate::ImageBadgeDelegate(int thumbnailSize, QObject* parent)
    : QStyledItemDelegate(parent), m_size(thumbnailSize) {}

QSize ImageBadgeDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
    return {m_size + 16, m_size + option.fontMetrics.height() * 2 + 16};
}

void ImageBadgeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = option.palette;
    const QRect cell = option.rect.adjusted(3, 3, -3, -3);
    const bool selected = option.state & QStyle::State_Selected;
    painter->setPen(selected ? QPen(pal.highlight().color(), 2) : QPen(pal.mid().color(), 1));
    painter->setBrush(selected ? pal.highlight().color().lighter(170) : pal.base().color());
    painter->drawRoundedRect(cell, 6, 6);

    const QRect picture(cell.left() + (cell.width() - m_size) / 2, cell.top() + 5, m_size, m_size);
    const QPixmap pixmap = index.data(Qt::DecorationRole).value<QPixmap>();
    const QString error = index.data(ImageListModel::ImportErrorRole).toString();
    if (!pixmap.isNull()) {
        const QSize scaled = pixmap.size().scaled(picture.size(), Qt::KeepAspectRatio);
        const QRect target(picture.left() + (picture.width() - scaled.width()) / 2,
                           picture.top() + (picture.height() - scaled.height()) / 2, scaled.width(), scaled.height());
        painter->drawPixmap(target, pixmap);
    } else {
        painter->setPen(Qt::NoPen);
        painter->setBrush(pal.alternateBase());
        painter->drawRect(picture);
        painter->setPen(pal.placeholderText().color());
        painter->drawText(picture, Qt::AlignCenter, error.isEmpty() ? tr("loading…") : tr("cannot decode"));
    }

    // Badges along the top of the picture: counts in small rounded labels.
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.8);
    small.setBold(true);
    painter->setFont(small);
    const QFontMetrics fm(small);
    int x = picture.left() + 3;
    auto badge = [&](const QString& text, const QColor& colour, const QString& tip) {
        Q_UNUSED(tip);
        const int w = fm.horizontalAdvance(text) + 8;
        const QRect r(x, picture.top() + 3, w, fm.height() + 2);
        painter->setPen(Qt::NoPen);
        painter->setBrush(colour);
        painter->drawRoundedRect(r, 4, 4);
        painter->setPen(Qt::white);
        painter->drawText(r, Qt::AlignCenter, text);
        x += w + 3;
    };
    const qint64 questions = index.data(ImageListModel::QuestionsRole).toLongLong();
    const qint64 pairs = index.data(ImageListModel::PairsRole).toLongLong();
    const qint64 accepted = index.data(ImageListModel::AcceptedRole).toLongLong();
    const qint64 rejected = index.data(ImageListModel::RejectedRole).toLongLong();
    if (!error.isEmpty())
        badge(QStringLiteral("!"), QColor(0xc6, 0x28, 0x28), error);
    if (questions > 0)
        badge(QStringLiteral("?%1").arg(questions), QColor(0x45, 0x5a, 0x64), {});
    if (pairs > 0)
        badge(QStringLiteral("⇄%1").arg(pairs), QColor(0x15, 0x65, 0xc0), {});
    if (accepted > 0)
        badge(QStringLiteral("✓%1").arg(accepted), QColor(0x2e, 0x7d, 0x32), {});
    if (rejected > 0)
        badge(QStringLiteral("✗%1").arg(rejected), QColor(0xad, 0x14, 0x57), {});

    painter->setFont(option.font);
    painter->setPen(selected ? pal.highlightedText().color() : pal.text().color());
    if (selected)
        painter->setPen(pal.text().color());
    const QRect label(cell.left() + 4, picture.bottom() + 4, cell.width() - 8, cell.bottom() - picture.bottom() - 4);
    const QString name = option.fontMetrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideMiddle,
                                                       label.width());
    painter->drawText(label, Qt::AlignHCenter | Qt::AlignTop, name);
    painter->restore();
}

}  // namespace sena::ui
