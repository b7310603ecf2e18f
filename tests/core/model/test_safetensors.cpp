// safetensors reader and writer: round trips and a clear refusal of every kind of broken file.
#include "model/Safetensors.h"
#include "util/Error.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <filesystem>
#include <fstream>

using namespace sena::model;
namespace fs = std::filesystem;

namespace {
std::string rawFile(const std::string& header, const std::string& data, std::uint64_t lengthField) {
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<char>((lengthField >> (8 * i)) & 0xff);
    return out + header + data;
}
std::string rawFile(const std::string& header, const std::string& data) { return rawFile(header, data, header.size()); }
}  // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    int m_count = 0;

    std::string write(const std::string& bytes) {
        const std::string p = m_tmp.path().toStdString() + "/f" + std::to_string(m_count++) + ".safetensors";
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
    QString refusal(const std::string& bytes) {
        try {
            SafetensorsFile f(write(bytes));
        } catch (const sena::FormatError& e) {
            return QString::fromStdString(e.what());
        }
        return QStringLiteral("ACCEPTED");
    }

private slots:
    void roundTrip() {
        SafetensorsWriter w;
        const float a[6] = {1, 2, 3, 4, 5, 6};
        const std::uint16_t b[3] = {0x3f80, 0x4000, 0xc040};  // bf16 1, 2, -3
        const std::int64_t c[1] = {-7};
        w.add("a", DType::F32, {2, 3}, a, sizeof a);
        w.add("b.bf16", DType::BF16, {3}, b, sizeof b);
        w.add("scalar", DType::I64, {}, c, sizeof c);
        w.add("empty", DType::F16, {0, 4}, nullptr, 0);
        w.setMetadata("note", "made by a test");
        const std::string p = m_tmp.path().toStdString() + "/rt.safetensors";
        w.write(p);
        QVERIFY(!fs::exists(p + ".tmp"));
        SafetensorsFile f(p);
        QCOMPARE(f.names(), (std::vector<std::string>{"a", "b.bf16", "empty", "scalar"}));
        QCOMPARE(f.tensor("a").shape, (std::vector<std::int64_t>{2, 3}));
        QCOMPARE(std::memcmp(f.tensor("a").data, a, sizeof a), 0);
        QCOMPARE(std::memcmp(f.tensor("b.bf16").data, b, sizeof b), 0);
        QCOMPARE(f.tensor("scalar").numel(), std::int64_t(1));
        QCOMPARE(f.tensor("empty").bytes, std::size_t(0));
        QCOMPARE(f.metadata().at("note"), std::string("made by a test"));
        QCOMPARE(f.metadata().at("format"), std::string("pt"));
        // The header is padded to 8 bytes so the data is aligned, as the reference writer does.
        std::ifstream in(p, std::ios::binary);
        std::uint64_t n = 0;
        in.read(reinterpret_cast<char*>(&n), 8);
        QCOMPARE(n % 8, std::uint64_t(0));
        QVERIFY_THROWS_EXCEPTION(sena::WeightsError, f.tensor("absent"));
    }

    void acceptsUnsortedAndUnpaddedFiles() {
        const std::string header = R"({"y":{"dtype":"U8","shape":[2],"data_offsets":[1,3]},"x":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}})";
        SafetensorsFile f(write(rawFile(header, "abc")));
        QCOMPARE(f.tensor("x").data[0], std::uint8_t('a'));
        QCOMPARE(f.tensor("y").data[1], std::uint8_t('c'));
    }

    void refusesBrokenFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("says");
        const std::string ok = R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        auto add = [](const char* name, const std::string& bytes, const char* says) {
            QTest::newRow(name) << QByteArray(bytes.data(), static_cast<int>(bytes.size())) << QString(says);
        };
        add("empty file", "", "shorter than the 8-byte header length");
        add("seven bytes", std::string(7, '\0'), "shorter than");
        add("lying header length", rawFile(ok, std::string(8, 'x'), 5000), "truncated");
        add("huge header length", rawFile(ok, std::string(8, 'x'), 1ull << 40), "limit");
        add("non-JSON header", rawFile("{not json}", ""), "not JSON");
        add("header not an object", rawFile("[1,2,3]", ""), "not a JSON object");
        add("truncated data", rawFile(ok, std::string(4, 'x')), "truncated");
        add("trailing bytes", rawFile(ok, std::string(12, 'x')), "after the last tensor");
        add("shape/size mismatch", rawFile(R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", std::string(8, 'x')), "holds 8 bytes");
        add("unknown dtype", rawFile(R"({"t":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}})", std::string(8, 'x')), "unknown dtype");
        add("float8", rawFile(R"({"t":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}})", std::string(8, 'x')), "convert the checkpoint");
        add("negative dim", rawFile(R"({"t":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}})", "x"), "non-negative");
        add("string dim", rawFile(R"({"t":{"dtype":"U8","shape":["1"],"data_offsets":[0,1]}})", "x"), "non-negative");
        add("missing offsets", rawFile(R"({"t":{"dtype":"U8","shape":[1]}})", "x"), "data_offsets");
        add("reversed offsets", rawFile(R"({"t":{"dtype":"U8","shape":[1],"data_offsets":[1,0]}})", "x"), "before it begins");
        add("outside the file", rawFile(R"({"t":{"dtype":"U8","shape":[4],"data_offsets":[10,14]}})", "xxxx"), "truncated");
        add("overlap", rawFile(R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}})", "xxx"), "overlaps");
        add("gap", rawFile(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}})", "xxx"), "gap");
        add("entry not an object", rawFile(R"({"t":[1]})", ""), "not an object");
        add("metadata not strings", rawFile(R"({"__metadata__":{"a":1}})", ""), "not a string");
        add("overflowing shape", rawFile(R"({"t":{"dtype":"F64","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}})", std::string(8, 'x')), "overflows");
    }
    void refusesBrokenFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, says);
        const QString msg = refusal(bytes.toStdString());
        QVERIFY2(msg.contains(says) && msg.contains("safetensors"), qPrintable(msg));
    }

    void missingFile() {
        QVERIFY_THROWS_EXCEPTION(sena::FormatError, SafetensorsFile(m_tmp.path().toStdString() + "/nope.safetensors"));
        QVERIFY_THROWS_EXCEPTION(sena::FormatError, SafetensorsFile(m_tmp.path().toStdString()));
    }

    void shardIndexValidation() {
        const std::string d = m_tmp.path().toStdString() + "/idx";
        fs::create_directories(d);
        SafetensorsWriter w;
        const std::uint8_t x = 1;
        w.add("present", DType::U8, {1}, &x, 1);
        w.write(d + "/part-1.safetensors");
        auto index = [&](const std::string& body) {
            std::ofstream(d + "/model.safetensors.index.json") << body;
        };
        index(R"({"weight_map":{"present":"part-1.safetensors"}})");
        auto ck = SafetensorsCheckpoint::open(d);
        QCOMPARE(ck.shardCount(), std::size_t(1));
        QVERIFY(ck.contains("present"));
        index(R"({"weight_map":{"absent":"part-1.safetensors"}})");
        QVERIFY_THROWS_EXCEPTION(sena::WeightsError, SafetensorsCheckpoint::open(d));
        index(R"({"weight_map":{"present":"../escape.safetensors"}})");
        QVERIFY_THROWS_EXCEPTION(sena::FormatError, SafetensorsCheckpoint::open(d));
        index(R"({"nothing":1})");
        QVERIFY_THROWS_EXCEPTION(sena::FormatError, SafetensorsCheckpoint::open(d));
        index("not json");
        QVERIFY_THROWS_EXCEPTION(sena::FormatError, SafetensorsCheckpoint::open(d));
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
