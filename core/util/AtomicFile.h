#pragma once
// Writes a file so that a crash never leaves a truncated file under its final name: the content goes
// to `path + ".tmp"`, is flushed and checked, then renamed over `path`.
#include <functional>
#include <ostream>
#include <string>

namespace sena::util {

// `write` fills the stream; FormatError names the file when it cannot be written or moved.
void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace sena::util
