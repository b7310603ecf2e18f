#include "LogView.h"

#include <QDateTime>
#include <QFontDatabase>

namespace sena::ui {

LogView::LogView(QWidget* parent) : QPlainTextEdit(parent) {
    setReadOnly(true);
    setMaximumBlockCount(5000);  // a long session must not grow without bound
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setObjectName(QStringLiteral("logView"));
}

void LogView::append(Level level, const QString& message) {
    const QString time = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    const QString colour = level == Level::Error ? QStringLiteral("#c62828")
                           : level == Level::Warning ? QStringLiteral("#ef6c00")
                                                     : QString();
    const QString text = message.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    appendHtml(colour.isEmpty() ? QStringLiteral("<span>%1&nbsp;&nbsp;%2</span>").arg(time, text)
                                : QStringLiteral("<span style=\"color:%1\">%2&nbsp;&nbsp;%3</span>").arg(colour, time, text));
}

}  // namespace sena::ui
