#include "workspace/NewWorkspaceDialog.h"

#include "store/Workspace.h"
#include "workspace/ModelFolderCheck.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>

namespace sena::ui {

NewWorkspaceDialog::NewWorkspaceDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("New Workspace"));
    auto* form = new QFormLayout;
    m_workspace = addFolderRow(form, tr("Workspace folder:"), tr("Choose the Workspace Folder"));
    m_images = addFolderRow(form, tr("Image folder:"), tr("Choose the Image Folder"));
    m_imagesStatus = new QLabel(this);
    form->addRow(QString(), m_imagesStatus);
    m_model = addFolderRow(form, tr("Base model folder:"), tr("Choose the Base Model Folder"));
    m_modelStatus = new QLabel(this);
    m_modelStatus->setObjectName(QStringLiteral("modelStatus"));
    m_modelStatus->setWordWrap(true);
    m_modelStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), m_modelStatus);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_buttons);
    resize(640, 380);

    connect(m_workspace, &QLineEdit::textChanged, this, &NewWorkspaceDialog::validate);
    connect(m_images, &QLineEdit::textChanged, this, &NewWorkspaceDialog::validate);
    // Check the model after typing pauses, not on every key.
    auto* delay = new QTimer(this);
    delay->setSingleShot(true);
    delay->setInterval(300);
    connect(delay, &QTimer::timeout, this, &NewWorkspaceDialog::checkModel);
    connect(m_model, &QLineEdit::textChanged, delay, qOverload<>(&QTimer::start));
    validate();
}

QLineEdit* NewWorkspaceDialog::addFolderRow(QFormLayout* form, const QString& label, const QString& title) {
    auto* edit = new QLineEdit(this);
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this, edit, title] {
        const QString dir = QFileDialog::getExistingDirectory(this, title, edit->text());
        if (!dir.isEmpty())
            edit->setText(dir);
    });
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    return edit;
}

QString NewWorkspaceDialog::workspaceFolder() const { return m_workspace->text().trimmed(); }
QString NewWorkspaceDialog::imageFolder() const { return m_images->text().trimmed(); }
QString NewWorkspaceDialog::modelFolder() const { return m_model->text().trimmed(); }
void NewWorkspaceDialog::setModelFolder(const QString& folder) {
    m_model->setText(folder);
    checkModel();
}
QString NewWorkspaceDialog::modelReport() const { return m_modelStatus->text(); }

void NewWorkspaceDialog::validate() {
    bool ok = true;
    const QString ws = workspaceFolder();
    if (ws.isEmpty() || store::Workspace::exists(ws.toStdString()))
        ok = false;
    const QString images = imageFolder();
    if (images.isEmpty()) {
        m_imagesStatus->setText(tr("Images can also be imported later."));
    } else if (!QDir(images).exists()) {
        m_imagesStatus->setText(tr("✗ The image folder does not exist."));
        ok = false;
    } else {
        m_imagesStatus->setText(tr("✓ Images will be imported after the workspace is created."));
    }
    if (!ws.isEmpty() && store::Workspace::exists(ws.toStdString()))
        m_imagesStatus->setText(tr("✗ That folder already holds a workspace; open it instead."));
    // A model is optional here (it is needed to generate), but a wrong one is refused.
    if (!modelFolder().isEmpty() && !m_modelOk)
        ok = false;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

void NewWorkspaceDialog::checkModel() {
    const QString folder = modelFolder();
    const int generation = ++m_checkGeneration;
    m_modelOk = false;
    if (folder.isEmpty()) {
        m_modelStatus->clear();
        validate();
        return;
    }
    m_modelStatus->setText(tr("Checking…"));
    validate();
    QPointer<NewWorkspaceDialog> self(this);
    QThreadPool::globalInstance()->start([self, folder, generation] {
        const ModelFolderCheck check = ModelFolderCheck::run(folder);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, check, generation] {
            if (!self || generation != self->m_checkGeneration)
                return;  // the dialog closed or a newer folder was chosen
            self->m_modelOk = check.ok;
            self->m_modelStatus->setText(check.findings.join(QLatin1Char('\n')));
            self->validate();
        });
    });
}

}  // namespace sena::ui
