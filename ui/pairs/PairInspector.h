#pragma once
// Everything behind one pair: the clean image and the corrupted one as the model saw it
// (recomputed from the stored corruption spec and seed), the self-questioning trace, caption,
// clean answer, chosen vs rejected with a word diff, filter verdicts, reference log-probs and the
// round it came from.
#include <QImage>
#include <QThreadPool>
#include <QWidget>

class QLabel;
class QTextBrowser;

namespace sena::ui {

class WorkspaceDocument;

class PairInspector : public QWidget {
    Q_OBJECT
public:
    explicit PairInspector(QWidget* parent = nullptr);
    ~PairInspector() override;

    void setDocument(WorkspaceDocument* document);
    void showPair(qint64 pairId);
    qint64 pairId() const { return m_pairId; }
    QTextBrowser* details() const { return m_details; }
    // For tests: whether the images for the current pair have arrived.
    bool imagesReady() const { return m_imagesReady; }
    QImage corruptedImage() const { return m_corrupted; }

private:
    void setImages(int generation, const QImage& original, const QImage& corrupted, const QString& caption);

    WorkspaceDocument* m_document = nullptr;
    qint64 m_pairId = 0;
    QLabel* m_title = nullptr;
    QLabel* m_original = nullptr;
    QLabel* m_corruptedLabel = nullptr;
    QLabel* m_corruptedCaption = nullptr;
    QTextBrowser* m_details = nullptr;
    QThreadPool m_pool;
    int m_generation = 0;  // newest request; older image results are dropped
    bool m_imagesReady = false;
    QImage m_corrupted;
};

}  // namespace sena::ui
