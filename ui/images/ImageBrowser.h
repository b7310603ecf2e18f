#pragma once
// The image grid with its filter row (round, import status, path text). Dropping a folder on it
// asks for an import.
#include "store/ImageStore.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QTimer;

namespace sena::ui {

class ImageListModel;
class ThumbnailProvider;
class WorkspaceDocument;

class ImageBrowser : public QWidget {
    Q_OBJECT
public:
    explicit ImageBrowser(QWidget* parent = nullptr);

    void setDocument(WorkspaceDocument* document, int thumbnailSize);
    void refresh();
    QListView* view() const { return m_view; }
    ImageListModel* model() const { return m_model; }
    ThumbnailProvider* thumbnails() const { return m_thumbnails; }
    QList<qint64> selectedImageIds() const;
    void setPathFilter(const QString& text);
    void setStatusFilter(store::ImageFilter::Status status);

Q_SIGNALS:
    void importRequested(const QString& folder);
    void imageActivated(qint64 imageId);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void applyFilter();
    void updateSummary();

    WorkspaceDocument* m_document = nullptr;
    ThumbnailProvider* m_thumbnails = nullptr;
    ImageListModel* m_model = nullptr;
    QListView* m_view = nullptr;
    QComboBox* m_round = nullptr;
    QComboBox* m_status = nullptr;
    QLineEdit* m_text = nullptr;
    QLabel* m_summary = nullptr;
    QTimer* m_textDelay = nullptr;
};

}  // namespace sena::ui
