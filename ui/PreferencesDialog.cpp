#include "PreferencesDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <torch/cuda.h>

namespace sena::ui {

PreferencesDialog::PreferencesDialog(const Preferences& current, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Preferences"));
    m_device = new QComboBox(this);
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    const int gpus = static_cast<int>(torch::cuda::device_count());
    for (int i = 0; i < gpus; ++i)
        m_device->addItem(tr("CUDA GPU %1").arg(i), QStringLiteral("cuda:%1").arg(i));
    m_device->setCurrentIndex(std::max(0, m_device->findData(current.device)));
    m_dtype = new QComboBox(this);
    m_dtype->addItem(QStringLiteral("float32"), QStringLiteral("float32"));
    m_dtype->addItem(QStringLiteral("bfloat16"), QStringLiteral("bfloat16"));
    m_dtype->addItem(tr("float16 (GPU only)"), QStringLiteral("float16"));
    m_dtype->setCurrentIndex(std::max(0, m_dtype->findData(current.dtype)));
    m_threads = new QSpinBox(this);
    m_threads->setRange(0, std::max(1, QThread::idealThreadCount()) * 2);
    m_threads->setSpecialValueText(tr("all cores"));
    m_threads->setValue(current.threads);
    m_thumbnail = new QSpinBox(this);
    m_thumbnail->setRange(64, 512);
    m_thumbnail->setSingleStep(16);
    m_thumbnail->setSuffix(tr(" px"));
    m_thumbnail->setValue(current.thumbnailSize);

    auto* form = new QFormLayout;
    form->addRow(tr("Compute &device:"), m_device);
    form->addRow(tr("Data &type:"), m_dtype);
    form->addRow(tr("CPU &threads:"), m_threads);
    form->addRow(tr("T&humbnail size:"), m_thumbnail);
    auto* note = new QLabel(tr("The colour theme follows the system."), this);
    note->setEnabled(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

Preferences PreferencesDialog::preferences() const {
    Preferences p;
    p.device = m_device->currentData().toString();
    p.dtype = m_dtype->currentData().toString();
    p.threads = m_threads->value();
    p.thumbnailSize = m_thumbnail->value();
    return p;
}

}  // namespace sena::ui
