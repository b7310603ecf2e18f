#include "workers/RoundWorker.h"

#include "model/Device.h"
#include "pipeline/EngineModel.h"
#include "store/Workspace.h"
#include "util/Error.h"

namespace sena::ui {

RoundWorker::RoundWorker(QString workspaceFolder, pipeline::RoundConfig config)
    : m_folder(std::move(workspaceFolder)), m_config(std::move(config)) {}

pipeline::GenerationProgress RoundWorker::latestProgress() const {
    QMutexLocker lock(&m_mutex);
    return m_progress;
}

void RoundWorker::run() {
    qint64 roundId = 0;
    try {
        // This thread's own connection: SQLite connections are not shared between threads.
        auto workspace = store::Workspace::open(m_folder.toStdString());
        Q_EMIT stageChanged(tr("Loading model…"));
        pipeline::EngineModelOptions options;
        const torch::Device device = model::parseDevice(m_config.device);
        options.compute.device = device;
        options.compute.dtype = model::parseDType(m_config.dtype, device);
        options.chatTemplate = m_config.chatTemplate;
        options.systemPrompt = m_config.systemPrompt;
        options.batchSize = m_config.batchSize;
        pipeline::EngineModel engine(m_config.modelDir, options);
        if (m_cancel)
            throw Cancelled();
        pipeline::RoundGenerator generator(workspace, engine, m_config);
        roundId = generator.createRound();
        Q_EMIT stageChanged(tr("Generating round…"));
        generator.run(
            roundId,
            [this](const pipeline::GenerationProgress& p) {
                QMutexLocker lock(&m_mutex);
                m_progress = p;
                m_hasProgress = true;
                return !m_cancel.load();
            },
            &m_cancel);
        Q_EMIT finished(true, false, roundId, tr("Round finished"));
    } catch (const Cancelled&) {
        Q_EMIT finished(false, true, roundId, tr("Generation cancelled; finished images are kept"));
    } catch (const std::exception& e) {
        Q_EMIT finished(false, false, roundId, QString::fromStdString(e.what()));
    }
}

}  // namespace sena::ui
