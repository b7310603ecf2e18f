#include "workers/BackgroundTask.h"

#include "util/Error.h"

#include <QThread>
#include <QTimer>

namespace sena::ui {

BackgroundTask::BackgroundTask(const QString& title, Work work, QObject* parent)
    : QObject(parent), m_title(title), m_work(std::move(work)) {
    m_timer = new QTimer(this);
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &BackgroundTask::poll);
}

BackgroundTask::~BackgroundTask() {
    m_cancel = true;
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

bool BackgroundTask::isRunning() const { return m_thread && m_thread->isRunning(); }

void BackgroundTask::start() {
    m_thread = QThread::create([this] {
        bool ok = false;
        bool wasCancelled = false;
        QString message;
        try {
            message = m_work(*this);
            ok = true;
        } catch (const Cancelled&) {
            wasCancelled = true;
            message = tr("%1 cancelled").arg(m_title);
        } catch (const std::exception& e) {
            message = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, ok, wasCancelled, message] {
                m_timer->stop();
                poll();
                Q_EMIT finished(ok, wasCancelled, message);
            },
            Qt::QueuedConnection);
    });
    m_thread->start();
    m_timer->start();
}

void BackgroundTask::report(const QString& text, double fraction) {
    QMutexLocker lock(&m_mutex);
    m_text = text;
    m_fraction = fraction;
    m_dirty = true;
}

void BackgroundTask::poll() {
    QString text;
    double fraction = -1;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_dirty)
            return;
        m_dirty = false;
        text = m_text;
        fraction = m_fraction;
    }
    Q_EMIT progress(text, fraction);
}

}  // namespace sena::ui
