#include "workspace/ModelFolderCheck.h"

#include "model/LlavaConfig.h"
#include "model/WeightLoader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLocale>

namespace sena::ui {

namespace {
QString memory(double bytes) { return QLocale().formattedDataSize(static_cast<qint64>(bytes)); }
}  // namespace

ModelFolderCheck ModelFolderCheck::run(const QString& folder) {
    ModelFolderCheck check;
    const QDir dir(folder);
    if (folder.isEmpty() || !dir.exists()) {
        check.findings << QCoreApplication::translate("ModelFolderCheck", "✗ The folder does not exist.");
        return check;
    }
    bool ok = true;
    try {
        const auto config = model::LlavaConfig::fromFile(dir.filePath(QStringLiteral("config.json")).toStdString());
        const auto counts = model::countParameters(config);
        check.parameters = counts.total();
        check.architecture = QString::fromStdString(config.text.modelType + " + " + config.vision.modelType);
        const double n = static_cast<double>(counts.total());
        check.findings << QCoreApplication::translate("ModelFolderCheck", "✓ config.json: %1").arg(check.architecture);
        check.findings << QCoreApplication::translate("ModelFolderCheck", "✓ %1 parameters (vision %2, projector %3, language %4)")
                              .arg(QLocale().toString(counts.total()), QLocale().toString(counts.vision),
                                   QLocale().toString(counts.projector),
                                   QLocale().toString(counts.language + counts.lmHead));
        check.findings << QCoreApplication::translate("ModelFolderCheck", "  Weights in memory: %1 in float32, %2 in bfloat16/float16")
                              .arg(memory(n * 4), memory(n * 2));
    } catch (const std::exception& e) {
        ok = false;
        check.findings << QCoreApplication::translate("ModelFolderCheck", "✗ config.json: %1").arg(QString::fromStdString(e.what()));
    }
    if (dir.exists(QStringLiteral("model.safetensors")) || dir.exists(QStringLiteral("model.safetensors.index.json"))) {
        check.findings << QCoreApplication::translate("ModelFolderCheck", "✓ Weights found (safetensors)");
    } else {
        ok = false;
        check.findings << QCoreApplication::translate("ModelFolderCheck", "✗ No model.safetensors or model.safetensors.index.json");
    }
    if (dir.exists(QStringLiteral("tokenizer.json")) || dir.exists(QStringLiteral("tokenizer.model"))) {
        check.findings << QCoreApplication::translate("ModelFolderCheck", "✓ Tokenizer found");
    } else {
        ok = false;
        check.findings << QCoreApplication::translate("ModelFolderCheck", "✗ No tokenizer.json or tokenizer.model");
    }
    if (dir.exists(QStringLiteral("preprocessor_config.json"))) {
        check.findings << QCoreApplication::translate("ModelFolderCheck", "✓ Image preprocessor found");
    } else {
        ok = false;
        check.findings << QCoreApplication::translate("ModelFolderCheck", "✗ No preprocessor_config.json");
    }
    check.ok = ok;
    return check;
}

}  // namespace sena::ui
