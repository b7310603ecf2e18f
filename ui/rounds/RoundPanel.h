#pragma once
// The Rounds dock: every round with its status and counts, the Generate button, and the running
// round's progress (bar, ETA, tokens/s) with Cancel. The worker's progress is read on a 5 Hz
// timer; the views are told to re-read the database at most every two seconds while pairs arrive.
#include "pipeline/RoundConfig.h"
#include "store/Enums.h"

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QThread;
class QTimer;
class QTreeWidget;

namespace sena::ui {

class RoundWorker;
class WorkspaceDocument;

class RoundPanel : public QWidget {
    Q_OBJECT
public:
    explicit RoundPanel(QWidget* parent = nullptr);
    ~RoundPanel() override;

    void setDocument(WorkspaceDocument* document);
    void reloadRounds();
    bool isRunning() const { return m_thread != nullptr; }
    // Starts generating with `config` (the Generate dialog's result).
    void start(const pipeline::RoundConfig& config);
    void cancel();
    // A round's status in the UI language.
    static QString statusText(store::RoundStatus status);

Q_SIGNALS:
    void generateRequested();
    void message(const QString& text, bool error);
    void finished(bool ok);

private:
    void poll();
    void workerFinished(bool ok, bool cancelled, qint64 roundId, const QString& message);

    WorkspaceDocument* m_document = nullptr;
    QTreeWidget* m_rounds = nullptr;
    QPushButton* m_generate = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_stage = nullptr;
    QLabel* m_stats = nullptr;
    QTimer* m_poll = nullptr;
    QThread* m_thread = nullptr;
    RoundWorker* m_worker = nullptr;
    qint64 m_lastPairs = -1;
    QElapsedTimer m_sinceRefresh;
};

}  // namespace sena::ui
