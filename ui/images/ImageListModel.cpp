#include "images/ImageListModel.h"

#include "images/ThumbnailProvider.h"
#include "workspace/WorkspaceDocument.h"

#include <QFileInfo>

namespace sena::ui {

ImageListModel::ImageListModel(QObject* parent) : QAbstractListModel(parent) {}

void ImageListModel::setDocument(WorkspaceDocument* document, ThumbnailProvider* thumbnails) {
    if (m_thumbnails)
        disconnect(m_thumbnails, nullptr, this, nullptr);
    m_document = document;
    m_thumbnails = thumbnails;
    if (m_thumbnails)
        connect(m_thumbnails, &ThumbnailProvider::ready, this, &ImageListModel::thumbnailReady);
    reload();
}

void ImageListModel::setFilter(const store::ImageFilter& filter) {
    m_filter = filter;
    reload();
}

void ImageListModel::reload() {
    beginResetModel();
    m_rows.clear();
    m_rowOfImage.clear();
    m_total = 0;
    if (m_thumbnails)
        m_thumbnails->cancelPending();
    if (m_document) {
        try {
            m_total = m_document->workspace().images().count(m_filter);
        } catch (const std::exception& e) {
            Q_EMIT queryFailed(QString::fromStdString(e.what()));
        }
    }
    endResetModel();
    if (canFetchMore({}))
        fetchMore({});
}

bool ImageListModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_document && static_cast<qint64>(m_rows.size()) < m_total;
}

void ImageListModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent))
        return;
    store::ImageQuery query;
    query.filter = m_filter;
    query.offset = static_cast<std::int64_t>(m_rows.size());
    query.limit = kPageSize;
    std::vector<store::ImageListRow> page;
    try {
        page = m_document->workspace().images().find(query);
    } catch (const std::exception& e) {
        Q_EMIT queryFailed(QString::fromStdString(e.what()));
        return;
    }
    if (page.empty()) {
        m_total = static_cast<qint64>(m_rows.size());  // images went away since the count
        return;
    }
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(page.size()) - 1);
    for (auto& row : page) {
        m_rowOfImage.insert(row.image.id, static_cast<int>(m_rows.size()));
        m_rows.push_back(std::move(row));
    }
    endInsertRows();
}

const store::ImageListRow* ImageListModel::rowAt(int row) const {
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? &m_rows[static_cast<std::size_t>(row)] : nullptr;
}

int ImageListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant ImageListModel::data(const QModelIndex& index, int role) const {
    const store::ImageListRow* row = rowAt(index.row());
    if (!row)
        return {};
    const store::ImageRecord& image = row->image;
    switch (role) {
    case Qt::DisplayRole: return QFileInfo(QString::fromStdString(image.relativePath)).fileName();
    case Qt::DecorationRole:
        if (!m_thumbnails || !image.ok())
            return {};
        return m_thumbnails->thumbnail(image.id, QString::fromStdString(image.sha256),
                                       QString::fromStdString(image.absolutePath()));
    case Qt::ToolTipRole: {
        QString tip = QString::fromStdString(image.relativePath);
        if (image.ok())
            tip += tr("\n%1 × %2 %3, %4 KiB").arg(image.width).arg(image.height)
                       .arg(QString::fromStdString(image.format)).arg(image.bytes / 1024);
        else
            tip += tr("\nImport failed: %1").arg(QString::fromStdString(*image.importError));
        tip += tr("\n%1 questions, %2 pairs (%3 accepted, %4 rejected)")
                   .arg(row->questions).arg(row->pairs).arg(row->accepted).arg(row->rejected);
        return tip;
    }
    case ImageIdRole: return QVariant::fromValue<qint64>(image.id);
    case QuestionsRole: return QVariant::fromValue<qint64>(row->questions);
    case PairsRole: return QVariant::fromValue<qint64>(row->pairs);
    case AcceptedRole: return QVariant::fromValue<qint64>(row->accepted);
    case RejectedRole: return QVariant::fromValue<qint64>(row->rejected);
    case ImportErrorRole: return image.importError ? QString::fromStdString(*image.importError) : QString();
    case PathRole: return QString::fromStdString(image.absolutePath());
    default: return {};
    }
}

void ImageListModel::thumbnailReady(qint64 imageId) {
    const auto it = m_rowOfImage.constFind(imageId);
    if (it == m_rowOfImage.constEnd())
        return;
    const QModelIndex idx = index(*it);
    Q_EMIT dataChanged(idx, idx, {Qt::DecorationRole});
}

}  // namespace sena::ui
