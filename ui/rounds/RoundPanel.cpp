#include "rounds/RoundPanel.h"

#include "workers/RoundWorker.h"
#include "workspace/WorkspaceDocument.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sena::ui {

namespace {
QString duration(double seconds) {
    if (seconds <= 0)
        return QStringLiteral("—");
    const int s = static_cast<int>(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
}  // namespace

QString RoundPanel::statusText(store::RoundStatus status) {
    switch (status) {
    case store::RoundStatus::Created: return tr("created");
    case store::RoundStatus::Generating: return tr("generating");
    case store::RoundStatus::Generated: return tr("generated");
    case store::RoundStatus::Scoring: return tr("scoring");
    case store::RoundStatus::Training: return tr("training");
    case store::RoundStatus::Trained: return tr("trained");
    case store::RoundStatus::Failed: return tr("failed");
    case store::RoundStatus::Cancelled: return tr("cancelled");
    }
    return QString::fromLatin1(store::toString(status));
}

RoundPanel::RoundPanel(QWidget* parent) : QWidget(parent) {
    m_rounds = new QTreeWidget(this);
    m_rounds->setObjectName(QStringLiteral("roundList"));
    m_rounds->setRootIsDecorated(false);
    m_rounds->setHeaderLabels({tr("Round"), tr("Status"), tr("Images"), tr("Questions"), tr("Pairs"), tr("Passed"),
                               tr("Accepted")});
    m_rounds->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_generate = new QPushButton(QIcon(QStringLiteral(":/icons/generate.svg")), tr("Generate…"), this);
    m_cancel = new QPushButton(QIcon(QStringLiteral(":/icons/cancel.svg")), tr("Cancel"), this);
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("roundProgress"));
    m_stage = new QLabel(tr("Idle"), this);
    m_stats = new QLabel(this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_generate);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_progress, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_stage);
    layout->addWidget(m_stats);
    layout->addWidget(m_rounds, 1);

    m_poll = new QTimer(this);
    m_poll->setInterval(200);
    connect(m_poll, &QTimer::timeout, this, &RoundPanel::poll);
    connect(m_generate, &QPushButton::clicked, this, &RoundPanel::generateRequested);
    connect(m_cancel, &QPushButton::clicked, this, &RoundPanel::cancel);
}

RoundPanel::~RoundPanel() {
    if (m_thread) {
        m_worker->cancel();
        m_thread->quit();
        m_thread->wait();
    }
}

void RoundPanel::setDocument(WorkspaceDocument* document) {
    m_document = document;
    m_generate->setEnabled(document && !m_thread);
    reloadRounds();
}

void RoundPanel::reloadRounds() {
    m_rounds->clear();
    if (!m_document)
        return;
    try {
        auto rounds = m_document->workspace().rounds();
        for (const auto& round : rounds.list()) {
            const auto s = rounds.summary(round.id);
            const auto accepted = s.pairsByCuration.count("accepted") ? s.pairsByCuration.at("accepted") : 0;
            auto* item = new QTreeWidgetItem(m_rounds, {QString::number(round.index),
                                                        statusText(round.status),
                                                        QString::number(s.images), QString::number(s.questions),
                                                        QString::number(s.pairs), QString::number(s.pairsPassed),
                                                        QString::number(accepted)});
            if (round.error)
                item->setToolTip(1, QString::fromStdString(*round.error));
        }
    } catch (const std::exception& e) {
        Q_EMIT message(QString::fromStdString(e.what()), true);
    }
}

void RoundPanel::start(const pipeline::RoundConfig& config) {
    if (!m_document || m_thread)
        return;
    // The OBS pattern: a worker QObject on its own thread; results come back as queued signals.
    m_thread = new QThread(this);
    m_worker = new RoundWorker(m_document->folder(), config);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::started, m_worker, &RoundWorker::run);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &RoundWorker::stageChanged, this, [this](const QString& stage) { m_stage->setText(stage); });
    connect(m_worker, &RoundWorker::finished, this, &RoundPanel::workerFinished);
    m_generate->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, 0);
    m_lastPairs = -1;
    m_sinceRefresh.start();
    m_thread->start();
    m_poll->start();
    Q_EMIT message(tr("Generation started with %1").arg(QString::fromStdString(config.modelDir)), false);
}

void RoundPanel::cancel() {
    if (m_worker) {
        m_worker->cancel();
        m_cancel->setEnabled(false);
        m_stage->setText(tr("Cancelling…"));
    }
}

void RoundPanel::poll() {
    if (!m_worker || !m_worker->hasProgress())
        return;
    const auto p = m_worker->latestProgress();
    if (p.imagesTotal > 0) {
        m_progress->setRange(0, static_cast<int>(p.imagesTotal));
        m_progress->setValue(static_cast<int>(p.imagesDone));
    }
    m_stage->setText(tr("Round %1: %2").arg(p.roundId).arg(QString::fromStdString(p.stage)));
    m_stats->setText(tr("%1 / %2 images · %3 questions · %4 pairs (%5 passed) · %6 tokens/s · elapsed %7 · ETA %8")
                         .arg(p.imagesDone).arg(p.imagesTotal).arg(p.questions).arg(p.pairsMade).arg(p.pairsPassed)
                         .arg(p.tokensPerSecond, 0, 'f', 1).arg(duration(p.elapsedSeconds), duration(p.etaSeconds)));
    // New pairs are committed batch by batch; let the views re-read, but not too often.
    if (p.pairsMade != m_lastPairs && m_sinceRefresh.elapsed() > 2000 && m_document) {
        m_lastPairs = p.pairsMade;
        m_sinceRefresh.restart();
        reloadRounds();
        m_document->notifyContentAdded();
    }
}

void RoundPanel::workerFinished(bool ok, bool cancelled, qint64 roundId, const QString& text) {
    m_poll->stop();
    poll();
    m_thread->quit();
    m_thread->wait();
    m_thread->deleteLater();
    m_thread = nullptr;
    m_worker = nullptr;
    m_generate->setEnabled(m_document != nullptr);
    m_cancel->setEnabled(false);
    m_progress->setRange(0, 1);
    m_progress->setValue(ok ? 1 : 0);
    m_stage->setText(ok ? tr("Round finished") : cancelled ? tr("Cancelled") : tr("Failed"));
    Q_EMIT message(roundId > 0 ? tr("Round %1: %2").arg(roundId).arg(text) : text, !ok && !cancelled);
    reloadRounds();
    if (m_document)
        m_document->notifyContentAdded();
    Q_EMIT finished(ok);
}

}  // namespace sena::ui
