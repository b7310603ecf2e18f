#pragma once
// Thumbnails made off the GUI thread and cached twice: on disk in the workspace's thumbnails
// folder (keyed by content hash and size, so a moved file keeps its thumbnail) and in memory.
#include <QCache>
#include <QImage>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QThreadPool>

#include <string>

namespace sena::ui {

class ThumbnailProvider : public QObject {
    Q_OBJECT
public:
    ThumbnailProvider(const QString& cacheFolder, int size, QObject* parent = nullptr);
    // Waits for the thumbnails in flight: they post to this object.
    ~ThumbnailProvider() override;

    int size() const { return m_size; }
    // The cached thumbnail, or a null pixmap after queueing its creation; `ready` follows.
    QPixmap thumbnail(qint64 imageId, const QString& sha256, const QString& path);
    // Drops queued work (e.g. the model was reset); running jobs finish.
    void cancelPending();
    // For tests: waits until every queued thumbnail is made.
    bool waitForDone(int msecs);

Q_SIGNALS:
    void ready(qint64 imageId);

private:
    void deliver(qint64 imageId, const QImage& image);

    QString m_cacheFolder;
    int m_size;
    QCache<qint64, QPixmap> m_memory;
    QSet<qint64> m_inFlight;
    QThreadPool m_pool;
};

}  // namespace sena::ui
