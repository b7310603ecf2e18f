#include "corruption/CorruptionLab.h"

#include "corruption/PreviewPreprocessor.h"
#include "image/ImageLoader.h"
#include "image/corruption/ApplyCorruption.h"
#include "image/corruption/DiffusionNoise.h"
#include "workspace/WorkspaceDocument.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sena::ui {

namespace {
constexpr int kPreviewImages = 4;
constexpr int kPreviewSize = 200;
constexpr int kSliderSteps = 1000;

QImage toQImage(const image::RgbImage& rgb) {
    return QImage(rgb.pixels.data(), rgb.width, rgb.height, static_cast<qsizetype>(rgb.rowBytes()), QImage::Format_RGB888)
        .copy();
}
}  // namespace

CorruptionLab::CorruptionLab(QWidget* parent) : QWidget(parent) {
    m_pool.setMaxThreadCount(1);

    m_stepList = new QListWidget(this);
    m_stepList->setObjectName(QStringLiteral("corruptionSteps"));
    m_addType = new QComboBox(this);
    for (const auto& type : image::corruptionCatalog()) {
        m_addType->addItem(QString::fromStdString(type.name), QString::fromStdString(type.name));
        m_addType->setItemData(m_addType->count() - 1, QString::fromStdString(type.description), Qt::ToolTipRole);
    }
    auto* add = new QPushButton(QIcon(QStringLiteral(":/icons/add.svg")), tr("Add"), this);
    auto* remove = new QPushButton(QIcon(QStringLiteral(":/icons/remove.svg")), tr("Remove"), this);
    auto* up = new QPushButton(QIcon(QStringLiteral(":/icons/up.svg")), tr("Up"), this);
    auto* down = new QPushButton(QIcon(QStringLiteral(":/icons/down.svg")), tr("Down"), this);
    auto* stepButtons = new QHBoxLayout;
    stepButtons->addWidget(m_addType, 1);
    stepButtons->addWidget(add);
    auto* moveButtons = new QHBoxLayout;
    moveButtons->addWidget(remove);
    moveButtons->addWidget(up);
    moveButtons->addWidget(down);

    m_parameterBox = new QGroupBox(tr("Parameters"), this);
    m_parameterForm = new QFormLayout(m_parameterBox);
    m_readout = new QLabel(this);
    m_readout->setObjectName(QStringLiteral("diffusionReadout"));

    m_specEdit = new QLineEdit(this);
    m_specEdit->setObjectName(QStringLiteral("corruptionSpec"));
    m_specError = new QLabel(this);
    m_specError->setWordWrap(true);
    m_specError->setStyleSheet(QStringLiteral("color:#c62828"));
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_presets = new QComboBox(this);
    m_presets->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_presets->setMinimumContentsLength(18);
    auto* savePreset = new QPushButton(tr("Save Preset…"), this);
    auto* deletePreset = new QPushButton(tr("Delete"), this);
    auto* presetRow = new QHBoxLayout;
    presetRow->addWidget(m_presets, 1);
    presetRow->addWidget(savePreset);
    presetRow->addWidget(deletePreset);

    auto* editor = new QVBoxLayout;
    editor->addWidget(new QLabel(tr("<b>Chain</b> (image steps run before tensor steps)"), this));
    editor->addWidget(m_stepList, 1);
    editor->addLayout(stepButtons);
    editor->addLayout(moveButtons);
    editor->addWidget(m_parameterBox);
    editor->addWidget(m_readout);
    auto* specForm = new QFormLayout;
    specForm->addRow(tr("Spec:"), m_specEdit);
    specForm->addRow(QString(), m_specError);
    specForm->addRow(tr("Seed:"), m_seed);
    specForm->addRow(tr("Preset:"), presetRow);
    editor->addLayout(specForm);
    auto* editorWidget = new QWidget(this);
    editorWidget->setLayout(editor);
    editorWidget->setMaximumWidth(460);

    m_preprocessorLabel = new QLabel(this);
    m_preprocessorLabel->setEnabled(false);
    m_grid = new QGridLayout;
    m_grid->addWidget(new QLabel(tr("<b>Original</b>"), this), 0, 0, Qt::AlignHCenter);
    m_grid->addWidget(new QLabel(tr("<b>Corrupted, as the model sees it</b>"), this), 0, 1, Qt::AlignHCenter);
    m_grid->addWidget(new QLabel(tr("<b>Original</b>"), this), 0, 2, Qt::AlignHCenter);
    m_grid->addWidget(new QLabel(tr("<b>Corrupted, as the model sees it</b>"), this), 0, 3, Qt::AlignHCenter);
    for (int i = 0; i < kPreviewImages * 2; ++i) {
        auto* label = new QLabel(this);
        label->setFixedSize(kPreviewSize, kPreviewSize);
        label->setAlignment(Qt::AlignCenter);
        label->setFrameShape(QFrame::StyledPanel);
        m_grid->addWidget(label, 1 + i / 4, i % 4);
        m_previewLabels.push_back(label);
    }
    auto* previewBox = new QVBoxLayout;
    previewBox->addLayout(m_grid);
    previewBox->addWidget(m_preprocessorLabel);
    previewBox->addStretch();

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(editorWidget);
    layout->addLayout(previewBox, 1);

    connect(add, &QPushButton::clicked, this, [this] {
        try {
            auto step = image::CorruptionStep::make(m_addType->currentData().toString().toStdString());
            // Keep the chain valid: image steps go before the first tensor step.
            auto pos = m_steps.end();
            if (step.space() == image::CorruptionSpace::Image)
                pos = std::find_if(m_steps.begin(), m_steps.end(),
                                   [](const auto& s) { return s.space() == image::CorruptionSpace::Tensor; });
            const int row = static_cast<int>(pos - m_steps.begin());
            m_steps.insert(pos, step);
            chainChanged();
            m_stepList->setCurrentRow(row);
        } catch (const std::exception& e) {
            m_specError->setText(QString::fromStdString(e.what()));
        }
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = currentStep();
        if (row < 0)
            return;
        m_steps.erase(m_steps.begin() + row);
        chainChanged();
        m_stepList->setCurrentRow(std::min(row, static_cast<int>(m_steps.size()) - 1));
    });
    auto move = [this](int delta) {
        const int row = currentStep();
        const int to = row + delta;
        if (row < 0 || to < 0 || to >= static_cast<int>(m_steps.size()))
            return;
        auto moved = m_steps;
        std::swap(moved[static_cast<std::size_t>(row)], moved[static_cast<std::size_t>(to)]);
        try {
            image::CorruptionChain check(moved);  // refuses an image step after a tensor step
        } catch (const std::exception& e) {
            m_specError->setText(QString::fromStdString(e.what()));
            return;
        }
        m_steps = moved;
        chainChanged();
        m_stepList->setCurrentRow(to);
    };
    connect(up, &QPushButton::clicked, this, [move] { move(-1); });
    connect(down, &QPushButton::clicked, this, [move] { move(1); });
    connect(m_stepList, &QListWidget::currentRowChanged, this, &CorruptionLab::buildParameterEditors);
    connect(m_specEdit, &QLineEdit::editingFinished, this, [this] {
        if (!m_updating)
            setSpec(m_specEdit->text());
    });
    connect(m_seed, &QSpinBox::valueChanged, this, &CorruptionLab::requestPreview);
    connect(m_presets, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            setSpec(m_presets->itemData(index).toString());
    });
    connect(savePreset, &QPushButton::clicked, this, &CorruptionLab::savePreset);
    connect(deletePreset, &QPushButton::clicked, this, &CorruptionLab::deletePreset);

    setSpec(QStringLiteral("diffusion:t=600"));
}

CorruptionLab::~CorruptionLab() {
    m_pool.clear();
    m_pool.waitForDone();
}

void CorruptionLab::setDocument(WorkspaceDocument* document, const QString& modelFolder) {
    m_document = document;
    m_modelFolder = modelFolder;
    QString description;
    previewPreprocessor(modelFolder, &description);
    m_preprocessorLabel->setText(tr("Preprocessing: %1").arg(description));
    reloadPresets();
    loadPreviewImages();
    requestPreview();
}

void CorruptionLab::loadPreviewImages() {
    m_imagePaths.clear();
    if (!m_document)
        return;
    try {
        store::ImageQuery query;
        query.filter.status = store::ImageFilter::Status::Ok;
        query.limit = kPreviewImages;
        for (const auto& row : m_document->workspace().images().find(query))
            m_imagePaths << QString::fromStdString(row.image.absolutePath());
    } catch (const std::exception& e) {
        m_specError->setText(QString::fromStdString(e.what()));
    }
}

int CorruptionLab::currentStep() const {
    const int row = m_stepList->currentRow();
    return row >= 0 && row < static_cast<int>(m_steps.size()) ? row : -1;
}

QString CorruptionLab::spec() const {
    try {
        return QString::fromStdString(image::CorruptionChain(m_steps).toString());
    } catch (const std::exception&) {
        return {};
    }
}

bool CorruptionLab::setSpec(const QString& spec) {
    try {
        const auto chain = image::CorruptionChain::parse(spec.toStdString());
        m_steps = chain.steps();
    } catch (const std::exception& e) {
        m_specError->setText(QString::fromStdString(e.what()));
        return false;
    }
    m_specError->clear();
    chainChanged();
    m_stepList->setCurrentRow(m_steps.empty() ? -1 : 0);
    return true;
}

void CorruptionLab::setSeed(quint64 seed) { m_seed->setValue(static_cast<int>(seed)); }

void CorruptionLab::chainChanged() {
    const int row = m_stepList->currentRow();
    {
        const QSignalBlocker block(m_stepList);
        m_stepList->clear();
        for (const auto& step : m_steps)
            m_stepList->addItem(QStringLiteral("%1  [%2]").arg(QString::fromStdString(step.toString()),
                                                               QString::fromLatin1(image::corruptionSpaceName(step.space()))));
        m_stepList->setCurrentRow(std::min(row, static_cast<int>(m_steps.size()) - 1));
    }
    m_updating = true;
    m_specEdit->setText(spec());
    m_updating = false;
    m_specError->clear();
    buildParameterEditors();
    requestPreview();
}

QString CorruptionLab::diffusionReadout() const { return m_readout->text(); }

void CorruptionLab::buildParameterEditors() {
    while (m_parameterForm->count() > 0) {
        QLayoutItem* item = m_parameterForm->takeAt(0);
        delete item->widget();
        delete item;
    }
    m_readout->clear();
    const int row = currentStep();
    if (row < 0)
        return;
    const image::CorruptionStep& step = m_steps[static_cast<std::size_t>(row)];
    const auto& params = step.type().parameters;
    for (std::size_t p = 0; p < params.size(); ++p) {
        const auto& param = params[p];
        auto* slider = new QSlider(Qt::Horizontal, m_parameterBox);
        auto* spin = new QDoubleSpinBox(m_parameterBox);
        spin->setRange(param.minValue, param.maxValue);
        spin->setDecimals(param.integer ? 0 : 3);
        spin->setSingleStep(param.integer ? 1 : (param.maxValue - param.minValue) / 100);
        spin->setValue(step.values()[p]);
        spin->setToolTip(QString::fromStdString(param.description));
        const int sliderMax = param.integer ? static_cast<int>(param.maxValue - param.minValue) : kSliderSteps;
        slider->setRange(0, sliderMax);
        slider->setObjectName(QStringLiteral("param_%1").arg(QString::fromStdString(param.name)));
        const auto toSlider = [param, sliderMax](double v) {
            return static_cast<int>(std::lround((v - param.minValue) / (param.maxValue - param.minValue) * sliderMax));
        };
        slider->setValue(toSlider(step.values()[p]));
        auto* rowWidget = new QWidget(m_parameterBox);
        auto* rowLayout = new QHBoxLayout(rowWidget);
        rowLayout->setContentsMargins(0, 0, 0, 0);
        rowLayout->addWidget(slider, 1);
        rowLayout->addWidget(spin);
        m_parameterForm->addRow(QString::fromStdString(param.name), rowWidget);
        const std::string name = param.name;
        connect(slider, &QSlider::valueChanged, spin, [spin, param, sliderMax](int v) {
            spin->setValue(param.minValue + (param.maxValue - param.minValue) * v / sliderMax);
        });
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, row, name, slider, toSlider](double v) {
            if (row >= static_cast<int>(m_steps.size()))
                return;
            {
                const QSignalBlocker block(slider);
                slider->setValue(toSlider(v));
            }
            try {
                m_steps[static_cast<std::size_t>(row)] = m_steps[static_cast<std::size_t>(row)].with(name, v);
            } catch (const std::exception& e) {
                m_specError->setText(QString::fromStdString(e.what()));
                return;
            }
            // Update the texts without rebuilding the editors the user is dragging.
            m_stepList->item(row)->setText(QStringLiteral("%1  [%2]").arg(
                QString::fromStdString(m_steps[static_cast<std::size_t>(row)].toString()),
                QString::fromLatin1(image::corruptionSpaceName(m_steps[static_cast<std::size_t>(row)].space()))));
            m_updating = true;
            m_specEdit->setText(spec());
            m_updating = false;
            if (m_steps[static_cast<std::size_t>(row)].name() == "diffusion") {
                const auto c = image::diffusionCoefficients(m_steps[static_cast<std::size_t>(row)].intValue("t"));
                m_readout->setText(tr("√ᾱ = %1 (signal kept) · √(1−ᾱ) = %2 (noise)")
                                       .arg(c.sqrtAlphaBar, 0, 'f', 4).arg(c.sqrtOneMinusAlphaBar, 0, 'f', 4));
            }
            requestPreview();
        });
    }
    if (step.name() == "diffusion") {
        const auto c = image::diffusionCoefficients(step.intValue("t"));
        m_readout->setText(tr("√ᾱ = %1 (signal kept) · √(1−ᾱ) = %2 (noise)")
                               .arg(c.sqrtAlphaBar, 0, 'f', 4).arg(c.sqrtOneMinusAlphaBar, 0, 'f', 4));
    }
}

void CorruptionLab::requestPreview() {
    const int generation = ++m_generation;
    if (m_imagePaths.isEmpty())
        return;
    std::vector<image::CorruptionStep> steps = m_steps;
    const QStringList paths = m_imagePaths;
    const QString modelFolder = m_modelFolder;
    const auto seed = static_cast<std::uint64_t>(m_seed->value());
    m_pool.clear();  // drop a queued preview: this one supersedes it
    m_pool.start([this, generation, steps, paths, modelFolder, seed] {
        std::vector<QImage> originals, corrupted;
        QString error;
        try {
            const image::CorruptionChain chain(steps);
            const auto preprocessor = previewPreprocessor(modelFolder);
            for (const QString& path : paths) {
                if (generation != m_generation.load())
                    return;  // a newer request is waiting; stop early
                const auto rgb = image::loadImage(path.toStdString());
                const auto clean = preprocessor.prepareImage(rgb);
                originals.push_back(toQImage(clean));
                corrupted.push_back(toQImage(image::applyCorruption(chain, rgb, preprocessor, seed).preview));
            }
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(this, [this, generation, originals, corrupted, error] {
            showPreview(generation, originals, corrupted, error);
        }, Qt::QueuedConnection);
    });
}

void CorruptionLab::showPreview(int generation, const std::vector<QImage>& originals,
                                const std::vector<QImage>& corrupted, const QString& error) {
    if (generation != m_generation)
        return;
    if (!error.isEmpty())
        m_specError->setText(error);
    for (std::size_t i = 0; i < m_previewLabels.size(); ++i) {
        const std::size_t image = i / 2;
        const auto& source = (i % 2 == 0) ? originals : corrupted;
        if (image < source.size())
            m_previewLabels[i]->setPixmap(QPixmap::fromImage(
                source[image].scaled(kPreviewSize, kPreviewSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        else
            m_previewLabels[i]->clear();
    }
    if (!corrupted.empty())
        m_lastCorrupted = corrupted.front();
    ++m_delivered;
    Q_EMIT previewUpdated();
}

void CorruptionLab::reloadPresets() {
    m_presets->clear();
    m_presets->addItem(tr("(choose a preset)"), QString());
    m_presets->addItem(tr("SENA: diffusion t=600"), QStringLiteral("diffusion:t=600"));
    m_presets->addItem(tr("SeVa: diffusion t=800"), QStringLiteral("diffusion:t=800"));
    m_presets->addItem(tr("STIC: downscale to 20 px"), QStringLiteral("downscale:size=20"));
    if (!m_document)
        return;
    try {
        for (const auto& preset : m_document->workspace().presets().list())
            m_presets->addItem(QString::fromStdString(preset.name), QString::fromStdString(preset.spec));
    } catch (const std::exception& e) {
        m_specError->setText(QString::fromStdString(e.what()));
    }
}

void CorruptionLab::savePreset() {
    if (!m_document)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save Preset"), tr("Preset name:"), QLineEdit::Normal,
                                               QString(), &ok).trimmed();
    if (!ok || name.isEmpty())
        return;
    try {
        m_document->workspace().presets().save(name.toStdString(), spec().toStdString());
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Save Preset"), QString::fromStdString(e.what()));
    }
    reloadPresets();
    m_presets->setCurrentIndex(m_presets->findText(name));
}

void CorruptionLab::deletePreset() {
    if (!m_document || m_presets->currentIndex() <= 3)
        return;  // the built-in entries are not stored
    try {
        m_document->workspace().presets().remove(m_presets->currentText().toStdString());
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Delete Preset"), QString::fromStdString(e.what()));
    }
    reloadPresets();
}

}  // namespace sena::ui
