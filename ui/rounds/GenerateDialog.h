#pragma once
// Configures a generation round: model, prompt set, self-check mode, corruption, filters,
// device, dtype, batch sizes, image limit and seed.
#include "pipeline/RoundConfig.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace sena::ui {

class WorkspaceDocument;

class GenerateDialog : public QDialog {
    Q_OBJECT
public:
    GenerateDialog(WorkspaceDocument* document, const QString& modelFolder, const QString& device,
                   const QString& dtype, QWidget* parent = nullptr);

    // The configuration; throws sena::Error naming a bad field (prompt file, corruption spec).
    pipeline::RoundConfig config() const;

private:
    void validate();

    QLineEdit* m_model = nullptr;
    QLineEdit* m_prompts = nullptr;
    QComboBox* m_selfCheck = nullptr;
    QSpinBox* m_attempts = nullptr;
    QComboBox* m_corruption = nullptr;
    std::vector<std::pair<std::string, QCheckBox*>> m_filters;
    QComboBox* m_device = nullptr;
    QComboBox* m_dtype = nullptr;
    QSpinBox* m_batchImages = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QSpinBox* m_maxTokens = nullptr;
    QSpinBox* m_limit = nullptr;
    QSpinBox* m_seed = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_start = nullptr;
};

}  // namespace sena::ui
