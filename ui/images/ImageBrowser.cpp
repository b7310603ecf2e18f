#include "images/ImageBrowser.h"

#include "images/ImageBadgeDelegate.h"
#include "images/ImageListModel.h"
#include "images/ThumbnailProvider.h"
#include "workspace/WorkspaceDocument.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QTimer>
#include <QVBoxLayout>

namespace sena::ui {

namespace {
QString droppedFolder(const QMimeData* mime) {
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir())
            return url.toLocalFile();
    return {};
}
}  // namespace

ImageBrowser::ImageBrowser(QWidget* parent) : QWidget(parent) {
    setAcceptDrops(true);
    m_round = new QComboBox(this);
    m_status = new QComboBox(this);
    m_status->addItem(tr("All images"), static_cast<int>(store::ImageFilter::Status::All));
    m_status->addItem(tr("Imported"), static_cast<int>(store::ImageFilter::Status::Ok));
    m_status->addItem(tr("Import errors"), static_cast<int>(store::ImageFilter::Status::Failed));
    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Filter by file name…"));
    m_text->setClearButtonEnabled(true);
    m_summary = new QLabel(this);

    m_model = new ImageListModel(this);
    m_view = new QListView(this);
    m_view->setObjectName(QStringLiteral("imageGrid"));
    m_view->setViewMode(QListView::IconMode);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setMovement(QListView::Static);
    m_view->setUniformItemSizes(true);  // no per-item measuring while scrolling
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSpacing(4);
    m_view->setModel(m_model);

    auto* filters = new QHBoxLayout;
    filters->addWidget(m_round);
    filters->addWidget(m_status);
    filters->addWidget(m_text, 1);
    filters->addWidget(m_summary);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);

    m_textDelay = new QTimer(this);
    m_textDelay->setSingleShot(true);
    m_textDelay->setInterval(250);
    connect(m_textDelay, &QTimer::timeout, this, &ImageBrowser::applyFilter);
    connect(m_text, &QLineEdit::textChanged, m_textDelay, qOverload<>(&QTimer::start));
    connect(m_round, &QComboBox::currentIndexChanged, this, &ImageBrowser::applyFilter);
    connect(m_status, &QComboBox::currentIndexChanged, this, &ImageBrowser::applyFilter);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ImageBrowser::updateSummary);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ImageBrowser::updateSummary);
    connect(m_view, &QListView::activated, this, [this](const QModelIndex& index) {
        Q_EMIT imageActivated(index.data(ImageListModel::ImageIdRole).toLongLong());
    });
}

void ImageBrowser::setDocument(WorkspaceDocument* document, int thumbnailSize) {
    m_document = document;
    m_model->setDocument(nullptr, nullptr);  // let go of the old provider before it goes
    delete m_thumbnails;
    m_thumbnails = document ? new ThumbnailProvider(document->thumbnailsFolder(), thumbnailSize, this) : nullptr;
    m_view->setItemDelegate(new ImageBadgeDelegate(thumbnailSize, m_view));
    m_view->setGridSize(QSize(thumbnailSize + 22, thumbnailSize + fontMetrics().height() * 2 + 22));
    refresh();
}

void ImageBrowser::refresh() {
    {
        const QSignalBlocker block(m_round);
        const qint64 current = m_round->currentData().toLongLong();
        m_round->clear();
        m_round->addItem(tr("All rounds"), 0);
        if (m_document) {
            try {
                for (const auto& round : m_document->workspace().rounds().list())
                    m_round->addItem(tr("Round %1").arg(round.index), QVariant::fromValue<qint64>(round.id));
            } catch (const std::exception&) {
            }
        }
        const int index = m_round->findData(QVariant::fromValue<qint64>(current));
        m_round->setCurrentIndex(std::max(0, index));
    }
    m_model->setDocument(m_document, m_thumbnails);
    applyFilter();
}

void ImageBrowser::applyFilter() {
    store::ImageFilter filter;
    if (const qint64 round = m_round->currentData().toLongLong(); round > 0)
        filter.roundId = round;
    filter.status = static_cast<store::ImageFilter::Status>(m_status->currentData().toInt());
    filter.pathContains = m_text->text().trimmed().toStdString();
    m_model->setFilter(filter);
}

void ImageBrowser::setPathFilter(const QString& text) {
    m_text->setText(text);
    m_textDelay->stop();
    applyFilter();
}

void ImageBrowser::setStatusFilter(store::ImageFilter::Status status) {
    m_status->setCurrentIndex(std::max(0, m_status->findData(static_cast<int>(status))));
}

void ImageBrowser::updateSummary() {
    m_summary->setText(tr("%n image(s)", nullptr, static_cast<int>(m_model->totalCount())));
}

QList<qint64> ImageBrowser::selectedImageIds() const {
    QList<qint64> ids;
    for (const QModelIndex& index : m_view->selectionModel()->selectedIndexes())
        ids << index.data(ImageListModel::ImageIdRole).toLongLong();
    return ids;
}

void ImageBrowser::dragEnterEvent(QDragEnterEvent* event) {
    if (m_document && !droppedFolder(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void ImageBrowser::dropEvent(QDropEvent* event) {
    const QString folder = droppedFolder(event->mimeData());
    if (!folder.isEmpty()) {
        event->acceptProposedAction();
        Q_EMIT importRequested(folder);
    }
}

}  // namespace sena::ui
