#pragma once
// Asks for the new workspace's folder, the image folder to import and the base model folder,
// checking the model folder as soon as it is chosen (on a pool thread).
#include <QDialog>

class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace sena::ui {

class NewWorkspaceDialog : public QDialog {
    Q_OBJECT
public:
    explicit NewWorkspaceDialog(QWidget* parent = nullptr);

    QString workspaceFolder() const;
    QString imageFolder() const;
    QString modelFolder() const;
    void setModelFolder(const QString& folder);
    // The model check's verdict (for tests); empty while it runs.
    QString modelReport() const;
    bool modelOk() const { return m_modelOk; }

private:
    QLineEdit* addFolderRow(QFormLayout* form, const QString& label, const QString& title);
    void validate();
    void checkModel();

    QLineEdit* m_workspace = nullptr;
    QLineEdit* m_images = nullptr;
    QLineEdit* m_model = nullptr;
    QLabel* m_imagesStatus = nullptr;
    QLabel* m_modelStatus = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    int m_checkGeneration = 0;  // a newer check makes older results stale
    bool m_modelOk = false;
};

}  // namespace sena::ui
