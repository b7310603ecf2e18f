#pragma once
// Shared helpers of the core/text tests: fixture paths, reading expected.json, writing files.
#include "util/Json.h"

#include <QString>
#include <QTest>

#include <fstream>
#include <string>
#include <vector>

namespace sena::text::testing {

inline std::string tokenizerFixture(const std::string& name) {
    return std::string(SENA_FIXTURES_DIR) + "/hf/tokenizers/" + name;
}

inline const util::Json& expectedJson() {
    static const util::Json json = util::readJsonFile(tokenizerFixture("expected.json"));
    return json;
}

inline std::vector<int> expectedIds(const char* key, std::size_t index) {
    return expectedJson().at(key).at(index).get<std::vector<int>>();
}

inline void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    QVERIFY2(out.good(), ("cannot write " + path).c_str());
}

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline QString describe(const std::vector<int>& ids) {
    QString out;
    for (int id : ids)
        out += QString::number(id) + ' ';
    return out.trimmed();
}

}  // namespace sena::text::testing

// Compares id lists and prints both on failure.
#define SENA_COMPARE_IDS(actual, expected, context)                                                            \
    do {                                                                                                       \
        const std::vector<int> a_ = (actual), e_ = (expected);                                                 \
        if (a_ != e_)                                                                                          \
            QFAIL(qPrintable(QString("%1\n   actual: %2\n expected: %3")                                       \
                                 .arg(QString::fromStdString(context), sena::text::testing::describe(a_),      \
                                      sena::text::testing::describe(e_))));                                    \
    } while (0)
