#pragma once
// The preprocessing a corruption preview runs through: the model's own (preprocessor_config.json)
// when its folder is known, else LLaVA-1.5's CLIP 336 px processor, so previews still show what a
// typical model would see.
#include "image/ImagePreprocessor.h"

#include <QString>

namespace sena::ui {

// `description` receives a short label for the UI ("model preprocessor" / "default CLIP 336 px").
image::ImagePreprocessor previewPreprocessor(const QString& modelFolder, QString* description = nullptr);

}  // namespace sena::ui
