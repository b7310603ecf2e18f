#pragma once
// Compute device, dtype, CPU threads and thumbnail size. The theme follows the system.
#include "Preferences.h"

#include <QDialog>

class QComboBox;
class QSpinBox;

namespace sena::ui {

class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(const Preferences& current, QWidget* parent = nullptr);
    Preferences preferences() const;

private:
    QComboBox* m_device = nullptr;
    QComboBox* m_dtype = nullptr;
    QSpinBox* m_threads = nullptr;
    QSpinBox* m_thumbnail = nullptr;
};

}  // namespace sena::ui
