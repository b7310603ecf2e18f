#pragma once
// What the new-workspace dialog says about a base model folder: does config.json parse, are the
// weights, tokenizer and preprocessor there, and how large is the model. Reads only small files
// (config and directory entries), never the weights; still run off the GUI thread.
#include <QString>
#include <QStringList>

namespace sena::ui {

struct ModelFolderCheck {
    bool ok = false;          // everything needed to generate was found
    QStringList findings;     // one line per check, "✓ …" or "✗ …"
    qint64 parameters = 0;    // 0 when config.json did not parse
    QString architecture;     // e.g. "llama + clip_vision_model"

    static ModelFolderCheck run(const QString& folder);
};

}  // namespace sena::ui
