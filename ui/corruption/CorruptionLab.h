#pragma once
// Compose a corruption chain (type, parameters from the catalogue, order), watch it applied to a
// few workspace images, and save it as a preset. Previews are computed on a pool thread; a newer
// edit supersedes any preview still queued or running (the latest request wins).
#include "image/corruption/CorruptionChain.h"

#include <QImage>
#include <QThreadPool>
#include <QWidget>

#include <atomic>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGridLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace sena::ui {

class WorkspaceDocument;

class CorruptionLab : public QWidget {
    Q_OBJECT
public:
    explicit CorruptionLab(QWidget* parent = nullptr);
    ~CorruptionLab() override;

    void setDocument(WorkspaceDocument* document, const QString& modelFolder);
    // Replaces the chain; returns false (and shows why) when `spec` does not parse.
    bool setSpec(const QString& spec);
    QString spec() const;
    void setSeed(quint64 seed);
    // Previews delivered so far, and the newest corrupted image (for tests).
    int previewsDelivered() const { return m_delivered; }
    QImage lastCorrupted() const { return m_lastCorrupted; }
    QString diffusionReadout() const;

Q_SIGNALS:
    void previewUpdated();

private:
    void buildParameterEditors();
    void chainChanged();
    void requestPreview();
    void showPreview(int generation, const std::vector<QImage>& originals, const std::vector<QImage>& corrupted,
                     const QString& error);
    void reloadPresets();
    void savePreset();
    void deletePreset();
    void loadPreviewImages();
    int currentStep() const;

    WorkspaceDocument* m_document = nullptr;
    QString m_modelFolder;
    std::vector<image::CorruptionStep> m_steps;
    QStringList m_imagePaths;

    QListWidget* m_stepList = nullptr;
    QComboBox* m_addType = nullptr;
    QWidget* m_parameterBox = nullptr;
    QFormLayout* m_parameterForm = nullptr;
    QLabel* m_readout = nullptr;
    QLineEdit* m_specEdit = nullptr;
    QLabel* m_specError = nullptr;
    QSpinBox* m_seed = nullptr;
    QComboBox* m_presets = nullptr;
    QLabel* m_preprocessorLabel = nullptr;
    QGridLayout* m_grid = nullptr;
    std::vector<QLabel*> m_previewLabels;  // original, corrupted, original, corrupted, ...

    QThreadPool m_pool;
    std::atomic<int> m_generation{0};  // read by the preview job to stop early
    int m_delivered = 0;
    QImage m_lastCorrupted;
    bool m_updating = false;  // programmatic edits do not echo back
};

}  // namespace sena::ui
