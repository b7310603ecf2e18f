#pragma once
// Runs a generation round on a worker thread: opens its own workspace connection, loads the model,
// and calls RoundGenerator::run with a progress callback and an atomic cancel flag. The callback
// only stores the latest progress; the GUI reads it with latestProgress() on a timer.
#include "pipeline/RoundConfig.h"
#include "pipeline/RoundGenerator.h"

#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>

namespace sena::ui {

class RoundWorker : public QObject {
    Q_OBJECT
public:
    RoundWorker(QString workspaceFolder, pipeline::RoundConfig config);

    // Thread-safe.
    void cancel() { m_cancel = true; }
    pipeline::GenerationProgress latestProgress() const;
    bool hasProgress() const { return m_hasProgress.load(); }

public Q_SLOTS:
    // Runs on the worker thread; emits finished() once.
    void run();

Q_SIGNALS:
    void stageChanged(const QString& stage);
    void finished(bool ok, bool cancelled, qint64 roundId, const QString& message);

private:
    QString m_folder;
    pipeline::RoundConfig m_config;
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_hasProgress{false};
    mutable QMutex m_mutex;
    pipeline::GenerationProgress m_progress;
};

}  // namespace sena::ui
