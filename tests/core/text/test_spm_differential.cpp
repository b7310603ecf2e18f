// test_spm_differential: the native SentencePiece encoder against Debian's libsentencepiece, id for
// id. This executable links libsentencepiece and sena_text but never LibTorch (the two cannot
// share a process). Models: the HF fixture, plus models trained here by libsentencepiece with
// other options (no byte fallback, user-defined symbols, extra-whitespace removal, no dummy
// prefix); Unigram and NFKC models must be refused by name.
#include "TextTestSupport.h"

#include "text/SentencePieceModel.h"
#include "text/Utf8.h"
#include "util/Error.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fstream>
#include <random>

using namespace sena;
using namespace sena::text;
using namespace sena::text::testing;

namespace {

const char* const kWords[] = {"the", "image", "shows", "a", "cat", "sitting", "on", "table", "What", "is", "in",
                              "USER", "ASSISTANT", "Describe", "colour", "don't", "you're", "it's", "naïve",
                              "café", "résumé", "hello", "world", "<image>", "<sep>", "<s>", "</s>"};

std::string randomText(std::mt19937& random, bool allowIllFormed) {
    const auto pick = [&random](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    const auto codepoint = [&random](char32_t first, char32_t last) {
        return utf8::encode(first + static_cast<char32_t>(random() % (last - first + 1)));
    };
    std::string text;
    const int parts = 1 + pick(12);
    for (int p = 0; p < parts; ++p) {
        switch (pick(allowIllFormed ? 11 : 10)) {
        case 0:
        case 1: text += kWords[pick(static_cast<int>(std::size(kWords)))]; break;
        case 2: text += ".,;:!?'\"()[]{}-_/\\@#$%^&*+=<>|~`"[pick(33)]; break;
        case 3:
            for (int n = 1 + pick(6); n > 0; --n)
                text += static_cast<char>('0' + pick(10));
            break;
        case 4: {
            const char* const spaces[] = {" ", "  ", "    ", "\t", "\n", "\n\n", " \n ", "\r\n"};
            text += spaces[pick(8)];
            break;
        }
        case 5:
            for (int n = 1 + pick(4); n > 0; --n)
                text += codepoint(0x4E00, 0x9FFF);  // CJK: mostly byte fallback
            break;
        case 6:
            text += codepoint(0x1F600, 0x1F64F);
            if (pick(2))
                text += codepoint(0x1F3FB, 0x1F3FF);  // skin tone
            if (pick(3) == 0)
                text += "\xE2\x80\x8D" + codepoint(0x1F466, 0x1F469);  // ZWJ sequence
            break;
        case 7:
            text += static_cast<char>('a' + pick(26));
            for (int n = 1 + pick(2); n > 0; --n)
                text += codepoint(0x0300, 0x036F);  // combining marks
            break;
        case 8: {
            const std::pair<char32_t, char32_t> scripts[] = {
                {0x0400, 0x04FF}, {0x0370, 0x03FF}, {0x0600, 0x06FF}, {0x0900, 0x097F}, {0x10330, 0x1034A}, {0xAC00, 0xD7A3}};
            const auto& [first, last] = scripts[pick(6)];
            text += codepoint(first, last);
            break;
        }
        case 9: {
            const char* const odd[] = {"\xE2\x96\x81", "\xC2\xA0", "\xE2\x80\x8B", "\xEF\xBB\xBF", "\xE3\x80\x80", "\x01"};
            text += odd[pick(6)];
            break;
        }
        default: {
            const char* const illFormed[] = {"\xFF", "\x80", "\xC3", "\xE4\xB8", "\xED\xA0\x80", "\xF4\x90\x80\x80"};
            text += illFormed[pick(6)];
            break;
        }
        }
        if (pick(3) == 0)
            text += ' ';
    }
    return text;
}

std::vector<std::string> testStrings(bool allowIllFormed) {
    std::vector<std::string> strings;
    for (const auto& text : expectedJson().at("tests"))
        strings.push_back(text.get<std::string>());
    std::mt19937 random(allowIllFormed ? 7 : 11);
    for (int i = 0; i < 600; ++i)
        strings.push_back(randomText(random, allowIllFormed));
    return strings;
}

QString printable(const std::string& text) {
    QString out;
    for (unsigned char c : text)
        out += (c >= 0x20 && c < 0x7F) ? QString(QChar(c)) : QString("\\x%1").arg(c, 2, 16, QChar('0'));
    return out;
}

// How often the compared encodings used the model's special paths, to show they were exercised.
struct Coverage {
    int withUnknown = 0;
    int withBytes = 0;
    int withUserDefined = 0;
};

// Encodes and decodes every string with both implementations; all must agree exactly.
void compareOn(const std::string& modelPath, const std::vector<std::string>& strings, Coverage& coverage) {
    sentencepiece::SentencePieceProcessor reference;
    const auto status = reference.Load(modelPath);
    QVERIFY2(status.ok(), status.ToString().c_str());
    const SentencePieceModel native = SentencePieceModel::fromFile(modelPath);
    QCOMPARE(native.size(), reference.GetPieceSize());
    int compared = 0;
    for (const std::string& text : strings) {
        std::vector<int> expected;
        QVERIFY(reference.Encode(text, &expected).ok());
        const std::vector<int> actual = native.encode(text);
        SENA_COMPARE_IDS(actual, expected, "encode of \"" + printable(text).toStdString() + "\" with " + modelPath);
        const auto uses = [&](SentencePieceModel::PieceType type) {
            return std::any_of(actual.begin(), actual.end(), [&](int id) { return native.piece(id).type == type; });
        };
        coverage.withUnknown += uses(SentencePieceModel::PieceType::Unknown);
        coverage.withBytes += uses(SentencePieceModel::PieceType::Byte);
        coverage.withUserDefined += uses(SentencePieceModel::PieceType::UserDefined);
        std::string expectedText;
        QVERIFY(reference.Decode(expected, &expectedText).ok());
        if (native.decode(actual) != expectedText)
            QFAIL(qPrintable("decode differs for \"" + printable(text) + "\": \"" + printable(native.decode(actual)) +
                             "\" vs \"" + printable(expectedText) + "\""));
        ++compared;
    }
    QCOMPARE(compared, static_cast<int>(strings.size()));
}

// Decodes random id sequences (control, unknown, byte and normal pieces mixed) with both.
void compareDecodeOfRandomIds(const std::string& modelPath) {
    sentencepiece::SentencePieceProcessor reference;
    QVERIFY(reference.Load(modelPath).ok());
    const SentencePieceModel native = SentencePieceModel::fromFile(modelPath);
    std::mt19937 random(5);
    for (int trial = 0; trial < 5000; ++trial) {
        std::vector<int> ids(1 + random() % 6);
        for (int& id : ids)
            id = static_cast<int>(random() % 4 == 0 ? random() % 4 : random() % static_cast<unsigned>(native.size()));
        std::string expected;
        QVERIFY(reference.Decode(ids, &expected).ok());
        const std::string actual = native.decode(ids);
        if (actual != expected)
            QFAIL(qPrintable("decode of " + describe(ids) + " differs: \"" + printable(actual) + "\" vs \"" +
                             printable(expected) + "\""));
    }
}

}  // namespace

class SpmDifferentialTests : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // A training corpus of common words with a small fixed set of rarer characters, so that the
        // trained vocabularies are small and most generated test characters are unknown to them.
        const char* const extras[] = {"\xE4\xB8\x80\xE5\x8F\xAA\xE7\x8C\xAB", "\xF0\x9F\x99\x82", "12345", "3.14",
                                      "\t", "  ", "\xC3\xA9", "--", "?!"};
        std::mt19937 random(3);
        std::ofstream corpus(path("corpus.txt"));
        for (int line = 0; line < 3000; ++line) {
            for (int w = 0; w < 12; ++w) {
                corpus << kWords[random() % std::size(kWords)];
                corpus << (random() % 5 == 0 ? extras[random() % std::size(extras)] : " ");
            }
            corpus << '\n';
        }
    }

    void fixtureModelAgrees() {
        Coverage coverage;
        compareOn(tokenizerFixture("spm.model"), testStrings(true), coverage);
        QVERIFY(coverage.withBytes > 100);
        compareDecodeOfRandomIds(tokenizerFixture("spm.model"));
    }

    void noByteFallbackWithUserSymbolsAndWhitespaceRemoval() {
        QVERIFY(train("plain", "--model_type=bpe --vocab_size=500 --byte_fallback=false --remove_extra_whitespaces=true "
                       "--user_defined_symbols=<image>,<sep> --normalization_rule_name=identity "
                       "--character_coverage=0.98"));
        Coverage coverage;
        compareOn(path("plain.model"), testStrings(true), coverage);
        QVERIFY(coverage.withUnknown > 100);
        QVERIFY(coverage.withUserDefined > 20);
        QCOMPARE(coverage.withBytes, 0);
        compareDecodeOfRandomIds(path("plain.model"));
    }

    void byteFallbackWithoutDummyPrefix() {
        QVERIFY(train("noprefix", "--model_type=bpe --vocab_size=600 --byte_fallback=true --add_dummy_prefix=false "
                          "--remove_extra_whitespaces=false --allow_whitespace_only_pieces=true --split_digits=true "
                          "--normalization_rule_name=identity --character_coverage=0.9995 --control_symbols=<ctl>"));
        Coverage coverage;
        compareOn(path("noprefix.model"), testStrings(true), coverage);
        QVERIFY(coverage.withBytes > 100);
        QCOMPARE(coverage.withUnknown, 0);
    }

    void unigramAndNfkcModelsAreRefused() {
        QVERIFY(train("unigram", "--model_type=unigram --vocab_size=300 --normalization_rule_name=identity"));
        try {
            SentencePieceModel::fromFile(path("unigram.model"));
            QFAIL("a Unigram model was accepted");
        } catch (const ConfigError& e) {
            QVERIFY2(QString(e.what()).contains("Unigram"), e.what());
        }
        QVERIFY(train("nfkc", "--model_type=bpe --vocab_size=300 --normalization_rule_name=nmt_nfkc"));
        try {
            SentencePieceModel::fromFile(path("nfkc.model"));
            QFAIL("an NFKC model was accepted");
        } catch (const ConfigError& e) {
            QVERIFY2(QString(e.what()).contains("nmt_nfkc"), e.what());
        }
    }

private:
    std::string path(const std::string& name) const { return m_dir.path().toStdString() + "/" + name; }

    bool train(const std::string& name, const std::string& options) {
        const std::string args = "--input=" + path("corpus.txt") + " --model_prefix=" + path(name) +
                                 " --num_threads=2 --minloglevel=2 --hard_vocab_limit=false " + options;
        const auto status = sentencepiece::SentencePieceTrainer::Train(args);
        if (!status.ok())
            qWarning("training %s failed: %s", name.c_str(), status.ToString().c_str());
        return status.ok();
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(SpmDifferentialTests)

#include "test_spm_differential.moc"
