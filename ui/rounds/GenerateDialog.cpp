#include "rounds/GenerateDialog.h"

#include "image/corruption/CorruptionChain.h"
#include "util/Error.h"
#include "workspace/WorkspaceDocument.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <torch/cuda.h>

namespace sena::ui {

GenerateDialog::GenerateDialog(WorkspaceDocument* document, const QString& modelFolder, const QString& device,
                               const QString& dtype, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Generate Round"));
    const pipeline::RoundConfig defaults;
    auto browseRow = [this](QLineEdit* edit, bool folder) {
        auto* row = new QHBoxLayout;
        auto* browse = new QPushButton(tr("Browse…"), this);
        connect(browse, &QPushButton::clicked, this, [this, edit, folder] {
            const QString path = folder ? QFileDialog::getExistingDirectory(this, tr("Model Folder"), edit->text())
                                        : QFileDialog::getOpenFileName(this, tr("Prompt Set"), edit->text(),
                                                                       tr("Prompt sets (*.json)"));
            if (!path.isEmpty())
                edit->setText(path);
        });
        row->addWidget(edit, 1);
        row->addWidget(browse);
        return row;
    };
    m_model = new QLineEdit(modelFolder, this);
    m_prompts = new QLineEdit(this);
    m_prompts->setPlaceholderText(tr("built-in prompt set"));
    m_selfCheck = new QComboBox(this);
    m_selfCheck->addItem(tr("Paper: the check sees the image, may regenerate"), static_cast<int>(pipeline::SelfCheckMode::Paper));
    m_selfCheck->addItem(tr("Authors' code: text-only check, one pass"), static_cast<int>(pipeline::SelfCheckMode::Code));
    m_attempts = new QSpinBox(this);
    m_attempts->setRange(1, 10);
    m_attempts->setValue(defaults.maxAttempts);
    m_corruption = new QComboBox(this);
    m_corruption->setEditable(true);
    m_corruption->addItem(QString::fromStdString(defaults.corruption));
    if (document) {
        try {
            for (const auto& p : document->workspace().presets().list())
                m_corruption->addItem(QString::fromStdString(p.spec), QString::fromStdString(p.name));
        } catch (const std::exception&) {
        }
    }
    auto* filterBox = new QGridLayout;
    int column = 0, row = 0;
    for (pipeline::FilterKind kind : pipeline::allFilters()) {
        auto* box = new QCheckBox(QString::fromLatin1(pipeline::filterName(kind)), this);
        box->setChecked(defaults.filters.isEnabled(kind));
        m_filters.emplace_back(pipeline::filterName(kind), box);
        filterBox->addWidget(box, row, column);
        if (++column == 3) {
            column = 0;
            ++row;
        }
    }
    m_device = new QComboBox(this);
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    for (int i = 0; i < static_cast<int>(torch::cuda::device_count()); ++i)
        m_device->addItem(tr("CUDA GPU %1").arg(i), QStringLiteral("cuda:%1").arg(i));
    m_device->setCurrentIndex(std::max(0, m_device->findData(device)));
    m_dtype = new QComboBox(this);
    for (const char* name : {"float32", "bfloat16", "float16"})
        m_dtype->addItem(QString::fromLatin1(name), QString::fromLatin1(name));
    m_dtype->setCurrentIndex(std::max(0, m_dtype->findData(dtype)));
    auto spin = [this](int min, int max, int value) {
        auto* s = new QSpinBox(this);
        s->setRange(min, max);
        s->setValue(value);
        return s;
    };
    m_batchImages = spin(1, 256, static_cast<int>(defaults.batchImages));
    m_batchSize = spin(1, 256, static_cast<int>(defaults.batchSize));
    m_maxTokens = spin(1, 4096, static_cast<int>(defaults.maxNewTokens));
    m_limit = spin(0, 10000000, 0);
    m_limit->setSpecialValueText(tr("all new images"));
    m_seed = spin(0, std::numeric_limits<int>::max(), static_cast<int>(defaults.seed));
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color:#c62828"));

    auto* form = new QFormLayout;
    form->addRow(tr("Model folder:"), browseRow(m_model, true));
    form->addRow(tr("Prompt set file:"), browseRow(m_prompts, false));
    form->addRow(tr("Self-check:"), m_selfCheck);
    form->addRow(tr("Check attempts:"), m_attempts);
    form->addRow(tr("Corruption (rejected side):"), m_corruption);
    form->addRow(tr("Pair filters:"), filterBox);
    form->addRow(tr("Device:"), m_device);
    form->addRow(tr("Data type:"), m_dtype);
    form->addRow(tr("Images per batch:"), m_batchImages);
    form->addRow(tr("Rows per model call:"), m_batchSize);
    form->addRow(tr("Max new tokens:"), m_maxTokens);
    form->addRow(tr("Images in this round:"), m_limit);
    form->addRow(tr("Seed:"), m_seed);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_start = buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(m_model, &QLineEdit::textChanged, this, &GenerateDialog::validate);
    connect(m_prompts, &QLineEdit::textChanged, this, &GenerateDialog::validate);
    connect(m_corruption, &QComboBox::currentTextChanged, this, &GenerateDialog::validate);
    validate();
}

void GenerateDialog::validate() {
    try {
        config();
        m_error->clear();
        m_start->setEnabled(true);
    } catch (const std::exception& e) {
        m_error->setText(QString::fromStdString(e.what()));
        m_start->setEnabled(false);
    }
}

pipeline::RoundConfig GenerateDialog::config() const {
    pipeline::RoundConfig c;
    c.modelDir = m_model->text().trimmed().toStdString();
    if (c.modelDir.empty())
        throw ConfigError(tr("Choose the model folder that generates the round.").toStdString());
    if (!m_prompts->text().trimmed().isEmpty())
        c.prompts = pipeline::PromptSet::fromFile(m_prompts->text().trimmed().toStdString());
    c.selfCheck = static_cast<pipeline::SelfCheckMode>(m_selfCheck->currentData().toInt());
    c.maxAttempts = m_attempts->value();
    c.corruption = image::CorruptionChain::parse(m_corruption->currentText().toStdString()).toString();
    std::string filters;
    for (const auto& [name, box] : m_filters)
        if (box->isChecked())
            filters += (filters.empty() ? "" : ",") + name;
    c.filters = pipeline::FilterSettings::parse(filters.empty() ? "none" : filters);
    c.device = m_device->currentData().toString().toStdString();
    c.dtype = m_dtype->currentData().toString().toStdString();
    c.batchImages = m_batchImages->value();
    c.batchSize = m_batchSize->value();
    c.maxNewTokens = m_maxTokens->value();
    c.limit = m_limit->value() == 0 ? -1 : m_limit->value();
    c.seed = static_cast<std::uint64_t>(m_seed->value());
    return c;
}

}  // namespace sena::ui
