#include "corruption/PreviewPreprocessor.h"

#include <QCoreApplication>
#include <QDir>

namespace sena::ui {

image::ImagePreprocessor previewPreprocessor(const QString& modelFolder, QString* description) {
    if (!modelFolder.isEmpty() && QDir(modelFolder).exists(QStringLiteral("preprocessor_config.json"))) {
        try {
            auto p = image::ImagePreprocessor::fromModelFolder(modelFolder.toStdString());
            if (description)
                *description = QCoreApplication::translate("PreviewPreprocessor", "model preprocessor (%1)")
                                   .arg(QDir(modelFolder).dirName());
            return p;
        } catch (const std::exception&) {
            // Fall through to the default; the lab still works without a readable model.
        }
    }
    image::PreprocessorConfig config;
    config.processorType = "CLIPImageProcessor";
    config.kind = image::ImageProcessorKind::Clip;
    config.shortestEdge = 336;
    config.doCenterCrop = true;
    config.cropHeight = config.cropWidth = 336;
    config.imageMean = {0.48145466, 0.4578275, 0.40821073};
    config.imageStd = {0.26862954, 0.26130258, 0.27577711};
    if (description)
        *description = QCoreApplication::translate("PreviewPreprocessor", "default CLIP 336 px preprocessor");
    return image::ImagePreprocessor(config);
}

}  // namespace sena::ui
