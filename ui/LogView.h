#pragma once
// The log dock's contents: timestamped lines, errors in red, newest at the bottom.
#include <QPlainTextEdit>

namespace sena::ui {

class LogView : public QPlainTextEdit {
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error };
    explicit LogView(QWidget* parent = nullptr);
    void append(Level level, const QString& message);
};

}  // namespace sena::ui
