#pragma once
// Unicode Normalization Form C, as Qwen2's tokenizer.json normaliser asks for. Tables come from
// NfcTables.inc (generated from Python's unicodedata by tools/generate_nfc_tables.py).
#include <string>
#include <string_view>

namespace sena::text {

// NFC of well-formed UTF-8 (ill-formed bytes become U+FFFD). Text below U+0300 is returned as is.
std::string normalizeNfc(std::string_view text);

}  // namespace sena::text
