#include "images/ThumbnailProvider.h"

#include "image/ImageLoader.h"

#include <QDir>
#include <QFileInfo>
#include <QRunnable>
#include <QSaveFile>

namespace sena::ui {

namespace {

QImage makeThumbnail(const QString& path, const QString& cacheFile, int size) {
    QImage cached;
    if (!cacheFile.isEmpty() && cached.load(cacheFile))
        return cached;
    // Decoded by core, so EXIF orientation and format support match what the model sees.
    const image::RgbImage rgb = image::loadImage(path.toStdString());
    const QImage full(rgb.pixels.data(), rgb.width, rgb.height, static_cast<qsizetype>(rgb.rowBytes()),
                      QImage::Format_RGB888);
    QImage thumb = full.scaled(size, size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    thumb.detach();  // `full` borrows rgb's pixels
    if (!cacheFile.isEmpty()) {
        QDir().mkpath(QFileInfo(cacheFile).path());
        QSaveFile out(cacheFile);  // written whole or not at all
        if (out.open(QIODevice::WriteOnly) && thumb.save(&out, "PNG"))
            out.commit();
    }
    return thumb;
}

}  // namespace

ThumbnailProvider::ThumbnailProvider(const QString& cacheFolder, int size, QObject* parent)
    : QObject(parent), m_cacheFolder(cacheFolder), m_size(size) {
    m_memory.setMaxCost(2000);
    // Two decoders: enough to keep up with scrolling, and the machine stays responsive.
    m_pool.setMaxThreadCount(2);
}

ThumbnailProvider::~ThumbnailProvider() {
    m_pool.clear();
    m_pool.waitForDone();
}

QPixmap ThumbnailProvider::thumbnail(qint64 imageId, const QString& sha256, const QString& path) {
    if (QPixmap* cached = m_memory.object(imageId))
        return *cached;
    if (m_inFlight.contains(imageId))
        return {};
    m_inFlight.insert(imageId);
    const QString cacheFile = sha256.isEmpty() ? QString()
                                               : QStringLiteral("%1/%2-%3.png").arg(m_cacheFolder, sha256).arg(m_size);
    const int size = m_size;
    m_pool.start([this, imageId, path, cacheFile, size] {
        QImage image;
        try {
            image = makeThumbnail(path, cacheFile, size);
        } catch (const std::exception&) {
            // Undecodable files show their import-error badge instead of a picture.
        }
        QMetaObject::invokeMethod(this, [this, imageId, image] { deliver(imageId, image); }, Qt::QueuedConnection);
    });
    return {};
}

void ThumbnailProvider::deliver(qint64 imageId, const QImage& image) {
    m_inFlight.remove(imageId);
    if (image.isNull())
        return;
    m_memory.insert(imageId, new QPixmap(QPixmap::fromImage(image)));
    Q_EMIT ready(imageId);
}

void ThumbnailProvider::cancelPending() {
    m_pool.clear();
    // Cleared jobs never deliver; forget them so they can be queued again.
    m_inFlight.clear();
}

bool ThumbnailProvider::waitForDone(int msecs) { return m_pool.waitForDone(msecs); }

}  // namespace sena::ui
