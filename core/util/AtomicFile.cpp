#include "util/AtomicFile.h"

#include "util/Error.h"

#include <filesystem>
#include <fstream>

namespace sena::util {

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw FormatError("cannot write '" + tmp + "'; check the folder exists and is writable");
        write(out);
        out.flush();
        if (!out)
            throw FormatError("writing '" + tmp + "' failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
        throw FormatError("cannot move '" + tmp + "' to '" + path + "': " + ec.message());
}

}  // namespace sena::util
