#include "text/Nfc.h"

#include "text/Utf8.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace sena::text {

namespace {

struct CombiningClassRange {
    char32_t first, last;
    std::uint8_t combiningClass;
};
struct Decomposition {
    char32_t composite, first, second;  // second == 0: a singleton
    std::uint8_t recomposes;            // 0 for composition exclusions and singletons
};

#include "text/NfcTables.inc"

// Hangul syllables are composed arithmetically (Unicode §3.12).
constexpr char32_t kSyllableBase = 0xAC00, kLeadBase = 0x1100, kVowelBase = 0x1161, kTrailBase = 0x11A7;
constexpr char32_t kLeadCount = 19, kVowelCount = 21, kTrailCount = 28;
constexpr char32_t kBlockCount = kVowelCount * kTrailCount, kSyllableCount = kLeadCount * kBlockCount;

int combiningClass(char32_t cp) {
    const auto end = std::end(kCombiningClasses);
    const auto it = std::upper_bound(std::begin(kCombiningClasses), end, cp,
                                     [](char32_t value, const CombiningClassRange& r) { return value < r.first; });
    if (it == std::begin(kCombiningClasses))
        return 0;
    const CombiningClassRange& range = *(it - 1);
    return cp <= range.last ? range.combiningClass : 0;
}

const Decomposition* findDecomposition(char32_t cp) {
    const auto end = std::end(kDecompositions);
    const auto it = std::lower_bound(std::begin(kDecompositions), end, cp,
                                     [](const Decomposition& d, char32_t value) { return d.composite < value; });
    return it != end && it->composite == cp ? it : nullptr;
}

void decomposeInto(char32_t cp, std::vector<char32_t>& out) {
    if (cp >= kSyllableBase && cp < kSyllableBase + kSyllableCount) {
        const char32_t index = cp - kSyllableBase;
        out.push_back(kLeadBase + index / kBlockCount);
        out.push_back(kVowelBase + (index % kBlockCount) / kTrailCount);
        if (index % kTrailCount != 0)
            out.push_back(kTrailBase + index % kTrailCount);
        return;
    }
    const Decomposition* d = findDecomposition(cp);
    if (!d) {
        out.push_back(cp);
        return;
    }
    decomposeInto(d->first, out);
    if (d->second != 0)
        decomposeInto(d->second, out);
}

// (first, second) → primary composite; built once.
const std::unordered_map<std::uint64_t, char32_t>& compositions() {
    static const std::unordered_map<std::uint64_t, char32_t> table = [] {
        std::unordered_map<std::uint64_t, char32_t> map;
        for (const Decomposition& d : kDecompositions)
            if (d.recomposes)
                map.emplace((static_cast<std::uint64_t>(d.first) << 32) | d.second, d.composite);
        return map;
    }();
    return table;
}

// The composite of a starter and a following character, or 0.
char32_t compose(char32_t first, char32_t second) {
    if (first >= kLeadBase && first < kLeadBase + kLeadCount && second >= kVowelBase &&
        second < kVowelBase + kVowelCount)
        return kSyllableBase + ((first - kLeadBase) * kVowelCount + (second - kVowelBase)) * kTrailCount;
    if (first >= kSyllableBase && first < kSyllableBase + kSyllableCount && (first - kSyllableBase) % kTrailCount == 0 &&
        second > kTrailBase && second < kTrailBase + kTrailCount)
        return first + (second - kTrailBase);
    const auto& table = compositions();
    const auto it = table.find((static_cast<std::uint64_t>(first) << 32) | second);
    return it == table.end() ? 0 : it->second;
}

}  // namespace

std::string normalizeNfc(std::string_view text) {
    // Nothing below U+0300 decomposes into, or composes with, anything: lead bytes < 0xCC.
    if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0xCC; }))
        return std::string(text);

    std::vector<char32_t> chars;
    chars.reserve(text.size());
    for (char32_t cp : utf8::toCodepoints(text))
        decomposeInto(cp, chars);

    // Canonical ordering: a stable sort by combining class within each run of non-starters.
    for (std::size_t i = 0; i < chars.size();) {
        if (combiningClass(chars[i]) == 0) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < chars.size() && combiningClass(chars[end]) != 0)
            ++end;
        std::stable_sort(chars.begin() + static_cast<std::ptrdiff_t>(i), chars.begin() + static_cast<std::ptrdiff_t>(end),
                         [](char32_t a, char32_t b) { return combiningClass(a) < combiningClass(b); });
        i = end;
    }

    // Canonical composition (the algorithm of UAX #15): a character joins the last starter unless
    // a character of the same or higher class, or a starter, stands between them.
    if (chars.empty())
        return std::string();
    std::size_t starter = 0;
    int lastClass = combiningClass(chars[0]) == 0 ? 0 : 256;
    std::size_t written = 1;
    for (std::size_t i = 1; i < chars.size(); ++i) {
        const char32_t c = chars[i];
        const int cls = combiningClass(c);
        const char32_t composite = lastClass == 256 ? 0 : compose(chars[starter], c);
        if (composite != 0 && (lastClass < cls || lastClass == 0)) {
            chars[starter] = composite;
            continue;
        }
        if (cls == 0)
            starter = written;
        lastClass = cls;
        chars[written++] = c;
    }
    chars.resize(written);
    return utf8::fromCodepoints(chars);
}

}  // namespace sena::text
