#include "AboutText.h"

#include <QCoreApplication>

#include <opencv2/core/version.hpp>
#include <sqlite3.h>
#include <torch/version.h>

namespace sena::ui {

QString aboutText() {
    return QCoreApplication::translate(
               "AboutText",
               "<h3>SENA Workbench %1</h3>"
               "<p>Self-evolution of multimodal models from unannotated images: the model asks and "
               "checks its own questions, answers them on clean and corrupted images, and learns "
               "from the preference pairs you curate.</p>"
               "<table>"
               "<tr><td>Qt</td><td>%2 (built with %3)</td></tr>"
               "<tr><td>LibTorch</td><td>%4</td></tr>"
               "<tr><td>OpenCV</td><td>%5</td></tr>"
               "<tr><td>SQLite</td><td>%6</td></tr>"
               "</table>")
        .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
             QStringLiteral(TORCH_VERSION), QStringLiteral(CV_VERSION), QString::fromLatin1(sqlite3_libversion()));
}

}  // namespace sena::ui
