#pragma once
// Runs one piece of long work (an import, building the demo) on its own thread. The work reports
// progress through report(), which only stores the latest value under a mutex; the GUI thread
// polls it on a timer (10 Hz), so a fast loop never floods the event queue.
#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>

class QThread;
class QTimer;

namespace sena::ui {

class BackgroundTask : public QObject {
    Q_OBJECT
public:
    // Returns a summary for the log; throws to fail (sena::Cancelled after a cancel).
    using Work = std::function<QString(BackgroundTask& task)>;

    BackgroundTask(const QString& title, Work work, QObject* parent = nullptr);
    // Cancels and waits for the thread.
    ~BackgroundTask() override;

    QString title() const { return m_title; }
    void start();
    void cancel() { m_cancel = true; }
    bool isRunning() const;

    // Worker side.
    bool cancelled() const { return m_cancel.load(); }
    const std::atomic<bool>* cancelFlag() const { return &m_cancel; }
    void report(const QString& text, double fraction);

Q_SIGNALS:
    void progress(const QString& text, double fraction);  // fraction < 0: unknown
    void finished(bool ok, bool cancelled, const QString& message);

private:
    void poll();

    QString m_title;
    Work m_work;
    QThread* m_thread = nullptr;
    QTimer* m_timer = nullptr;
    std::atomic<bool> m_cancel{false};
    QMutex m_mutex;
    QString m_text;
    double m_fraction = -1;
    bool m_dirty = false;
};

}  // namespace sena::ui
