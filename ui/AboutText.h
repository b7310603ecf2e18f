#pragma once
// The About box's text, with the versions of the libraries this build uses.
#include <QString>

namespace sena::ui {

QString aboutText();

}  // namespace sena::ui
