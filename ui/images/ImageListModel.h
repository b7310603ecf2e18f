#pragma once
// The workspace's images for an icon view, paged from the store: the view asks for more rows
// (fetchMore) as it scrolls, so a folder of any size opens at once. Thumbnails come from a
// ThumbnailProvider and appear as they are made.
#include "store/ImageStore.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>

#include <vector>

namespace sena::ui {

class ThumbnailProvider;
class WorkspaceDocument;

class ImageListModel final : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        ImageIdRole = Qt::UserRole + 1,
        QuestionsRole,
        PairsRole,
        AcceptedRole,
        RejectedRole,
        ImportErrorRole,  // the message, empty when the image decoded
        PathRole,
    };
    static constexpr int kPageSize = 200;

    explicit ImageListModel(QObject* parent = nullptr);

    void setDocument(WorkspaceDocument* document, ThumbnailProvider* thumbnails);
    void setFilter(const store::ImageFilter& filter);
    const store::ImageFilter& filter() const { return m_filter; }
    // Re-reads from the start (new images were imported).
    void reload();
    qint64 totalCount() const { return m_total; }
    const store::ImageListRow* rowAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

Q_SIGNALS:
    void queryFailed(const QString& message);

private:
    void thumbnailReady(qint64 imageId);

    WorkspaceDocument* m_document = nullptr;
    QPointer<ThumbnailProvider> m_thumbnails;
    store::ImageFilter m_filter;
    std::vector<store::ImageListRow> m_rows;
    QHash<qint64, int> m_rowOfImage;  // image id -> row, to place arriving thumbnails
    qint64 m_total = 0;
};

}  // namespace sena::ui
