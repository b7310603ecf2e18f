// The native SentencePiece encoder: the HF fixture (ids and decode exact), hand-made models whose
// merges can be worked out by hand, the legacy rule, and refusal of what is not supported.
#include "SpmModelWriter.h"
#include "TextTestSupport.h"

#include "text/SentencePieceModel.h"
#include "text/SentencePieceTokenizer.h"
#include "text/Tokenizer.h"
#include "util/Error.h"

#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace sena;
using namespace sena::text;
using namespace sena::text::testing;

namespace {

const std::string kSpace = "\xE2\x96\x81";  // ▁

SentencePieceModel modelFrom(const SpmModelSpec& spec) {
    const std::string bytes = writeSpmModel(spec);
    return SentencePieceModel::fromBytes(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "test.model");
}

// Pieces whose merges can be followed by hand: "ab" outranks "▁a", which outranks "aa".
SpmModelSpec tinySpec() {
    SpmModelSpec spec;
    spec.pieces = {{"<unk>", 0, 2}, {"<s>", 0, 3},    {"</s>", 0, 3},     {kSpace, -10},
                   {"a", -10},      {"b", -10},       {"c", -10},         {kSpace + "a", -1},
                   {"ab", -0.5f},   {"aa", -2},       {"<sep>", 0, 4},    {"bc", -1}};
    return spec;
}

std::vector<std::size_t> topLevelFieldEnds(const std::string& bytes) {
    // Independent of the reader under test: walk the top-level fields of a well-formed message.
    std::vector<std::size_t> ends;
    std::size_t pos = 0;
    const auto varint = [&] {
        std::uint64_t value = 0;
        for (int shift = 0;; shift += 7) {
            const auto byte = static_cast<std::uint8_t>(bytes.at(pos++));
            value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
            if (!(byte & 0x80))
                return value;
        }
    };
    while (pos < bytes.size()) {
        const std::uint64_t key = varint();
        switch (key & 7) {
        case 0: varint(); break;
        case 1: pos += 8; break;
        case 2: pos += static_cast<std::size_t>(varint()); break;
        case 5: pos += 4; break;
        default: throw std::runtime_error("unexpected wire type in fixture");
        }
        ends.push_back(pos);
    }
    return ends;
}

}  // namespace

class SentencePieceTests : public QObject {
    Q_OBJECT

private slots:
    void fixtureHasAllStrings() {
        QCOMPARE(expectedJson().at("tests").size(), std::size_t(16));
        QCOMPARE(expectedJson().at("spm_encode").size(), std::size_t(16));
    }

    void fixtureEncodeAndDecodeExact() {
        const auto tokenizer = loadTokenizer(tokenizerFixture("spm.model"));
        const auto& model = dynamic_cast<const SentencePieceTokenizer&>(*tokenizer).model();
        const auto& tests = expectedJson().at("tests");
        for (std::size_t i = 0; i < tests.size(); ++i) {
            const std::string text = tests[i].get<std::string>();
            const std::vector<int> ids = tokenizer->encode(text, false);
            SENA_COMPARE_IDS(ids, expectedIds("spm_encode", i), "spm_encode[" + std::to_string(i) + "] " + text);
            const std::string roundTrip = expectedJson().at("spm_decode_roundtrip")[i].get<std::string>();
            QCOMPARE(QString::fromStdString(model.decode(ids)), QString::fromStdString(roundTrip));
            QCOMPARE(QString::fromStdString(tokenizer->decode(ids, true)), QString::fromStdString(roundTrip));
        }
    }

    void bosIsPrependedOnRequest() {
        const auto tokenizer = loadTokenizer(tokenizerFixture("spm.model"));
        QCOMPARE(tokenizer->bosId().value_or(-1), 1);
        QCOMPARE(tokenizer->eosId().value_or(-1), 2);
        QVERIFY(!tokenizer->padId());
        std::vector<int> expected = expectedIds("spm_encode", 0);
        expected.insert(expected.begin(), 1);
        SENA_COMPARE_IDS(tokenizer->encode("Hello world", true), expected, "Hello world with BOS");
        QCOMPARE(QString::fromStdString(tokenizer->decode(expected, true)), QString("Hello world"));
        QCOMPARE(QString::fromStdString(tokenizer->decode(expected, false)), QString("<s> Hello world"));
    }

    void addedTokenIsSplitOutAndLegacyRuleApplies() {
        auto tokenizer = std::make_unique<SentencePieceTokenizer>(SentencePieceModel::fromFile(tokenizerFixture("spm.model")));
        const SentencePieceModel& model = tokenizer->model();
        tokenizer->addSpecialToken("<image>", 800);
        QCOMPARE(tokenizer->vocabSize(), 801);
        QCOMPARE(tokenizer->tokenId("<image>"), 800);
        QCOMPARE(QString::fromStdString(tokenizer->tokenText(800)), QString("<image>"));
        QVERIFY(tokenizer->isSpecial(800));
        const std::string prompt = "USER: <image>\nWhat is this? ASSISTANT:";
        const std::string after = "\nWhat is this? ASSISTANT:";

        // Legacy (HF's default): the run after <image> is tokenised on its own, dummy prefix and all.
        QVERIFY(tokenizer->legacy());
        std::vector<int> expected{1};
        for (int id : model.encode("USER: ", true))
            expected.push_back(id);
        expected.push_back(800);
        for (int id : model.encode(after, true))
            expected.push_back(id);
        const std::vector<int> legacy = tokenizer->encode(prompt, true);
        SENA_COMPARE_IDS(legacy, expected, "legacy prompt");
        const auto image = std::find(legacy.begin(), legacy.end(), 800) - legacy.begin();
        QCOMPARE(QString::fromStdString(tokenizer->tokenText(legacy[image + 1])), QString::fromStdString(kSpace));
        QCOMPARE(QString::fromStdString(tokenizer->tokenText(legacy[image + 2])), QString("<0x0A>"));
        // Two spaces once <image> is skipped: the decoded form in HF's LLaVA docstring.
        QCOMPARE(QString::fromStdString(tokenizer->decode(legacy, true)), QString("USER:  \nWhat is this? ASSISTANT:"));

        // Non-legacy: only the start of the text gets the prefix.
        tokenizer->setLegacy(false);
        expected.resize(static_cast<std::size_t>(image) + 1);
        for (int id : model.encode(after, false))
            expected.push_back(id);
        const std::vector<int> modern = tokenizer->encode(prompt, true);
        SENA_COMPARE_IDS(modern, expected, "non-legacy prompt");
        QCOMPARE(QString::fromStdString(tokenizer->tokenText(modern[image + 1])), QString("<0x0A>"));
        QCOMPARE(QString::fromStdString(tokenizer->decode(modern, true)), QString("USER: \nWhat is this? ASSISTANT:"));
        // A text that starts with an added token has no run at its start, so no prefix at all.
        const std::vector<int> leading = tokenizer->encode("<image>\nHi", false);
        QCOMPARE(leading.front(), 800);
        QCOMPARE(QString::fromStdString(tokenizer->tokenText(leading[1])), QString("<0x0A>"));
        tokenizer->setLegacy(true);
        QCOMPARE(QString::fromStdString(tokenizer->tokenText(tokenizer->encode("<image>\nHi", false)[1])),
                 QString::fromStdString(kSpace));
    }

    void controlPiecesInRawTextAreNotMatchedWithoutConfig() {
        // SentencePieceProcessor semantics for a bare tokenizer.model: "<s>" typed in text is text.
        const auto tokenizer = loadTokenizer(tokenizerFixture("spm.model"));
        const std::vector<int> ids = tokenizer->encode("<s>literal special</s>", false);
        QVERIFY(std::find(ids.begin(), ids.end(), 1) == ids.end());
        QVERIFY(std::find(ids.begin(), ids.end(), 2) == ids.end());
    }

    void mergesFollowScoresThenLeftmost() {
        const SentencePieceModel model = modelFrom(tinySpec());
        QCOMPARE(QString::fromStdString(model.normalize("a b", true)), QString::fromStdString(kSpace + "a" + kSpace + "b"));
        // "ab" (−0.5) beats "▁a" (−1): ▁ a b → ▁ ab.
        SENA_COMPARE_IDS(model.encode("ab"), (std::vector<int>{3, 8}), "ab");
        // Equal-score pairs "aa" at positions 2 and 3: the leftmost merges first.
        SENA_COMPARE_IDS(model.encode("caaa"), (std::vector<int>{3, 6, 9, 4}), "caaa");
        // "▁a" (−1) beats "aa" (−2); then the remaining a a merge.
        SENA_COMPARE_IDS(model.encode("aaa"), (std::vector<int>{7, 9}), "aaa");
        // User-defined pieces are matched whole and never merged with neighbours.
        SENA_COMPARE_IDS(model.encode("a<sep>b"), (std::vector<int>{7, 10, 5}), "a<sep>b");
        QCOMPARE(QString::fromStdString(model.decode({7, 10, 5})), QString("a<sep>b"));
        // No byte fallback: an unknown character is unk and decodes to SentencePiece's " ⁇ ".
        SENA_COMPARE_IDS(model.encode("a\xE2\x98\x83"), (std::vector<int>{7, 0}), "a + snowman");
        QCOMPARE(QString::fromStdString(model.decode({7, 0})), QString::fromUtf8("a \xE2\x81\x87 "));
        // A run of unknown characters is one unk, as SentencePieceProcessor fuses them.
        SENA_COMPARE_IDS(model.encode("a\xE2\x98\x83\xE2\x98\x83" "b"), (std::vector<int>{7, 0, 5}), "two snowmen");
        // Without the dummy prefix the first "a" has no "▁" to merge with.
        SENA_COMPARE_IDS(model.encode("ab", false), (std::vector<int>{8}), "ab without prefix");
        SENA_COMPARE_IDS(model.encode(""), std::vector<int>{}, "empty");
    }

    void unusedPiecesAreSplitBack() {
        SpmModelSpec spec = tinySpec();
        spec.pieces[11].type = 5;  // "bc" unused: merged, then resegmented into b c
        SENA_COMPARE_IDS(modelFrom(spec).encode("bc"), (std::vector<int>{3, 5, 6}), "bc unused");
        SENA_COMPARE_IDS(modelFrom(tinySpec()).encode("bc"), (std::vector<int>{3, 11}), "bc normal");
    }

    void extraWhitespaceIsRemovedWhenAsked() {
        SpmModelSpec spec = tinySpec();
        spec.removeExtraWhitespaces = true;
        const SentencePieceModel model = modelFrom(spec);
        QCOMPARE(QString::fromStdString(model.normalize("  a   b  ", true)), QString::fromStdString(kSpace + "a" + kSpace + "b"));
        SENA_COMPARE_IDS(model.encode("  a   b  "), (std::vector<int>{7, 3, 5}), "collapsed spaces");
        SENA_COMPARE_IDS(model.encode("   "), std::vector<int>{}, "only spaces");
        SENA_COMPARE_IDS(modelFrom(tinySpec()).encode("a  b"), (std::vector<int>{7, 3, 3, 5}), "spaces kept");
    }

    void byteFallbackDecodesIllFormedBytesOneByOne() {
        const auto tokenizer = loadTokenizer(tokenizerFixture("spm.model"));
        const auto& model = dynamic_cast<const SentencePieceTokenizer&>(*tokenizer).model();
        const int e4 = model.pieceId("<0xE4>"), b8 = model.pieceId("<0xB8>"), x80 = model.pieceId("<0x80>");
        QVERIFY(e4 > 0 && b8 > 0 && x80 > 0);
        // E4 B8 80 is "一"; the first two bytes alone are ill-formed, one U+FFFD each.
        QCOMPARE(QString::fromStdString(model.decode({e4, b8, x80})), QString::fromUtf8("\xE4\xB8\x80"));
        QCOMPARE(QString::fromStdString(model.decode({e4, b8})), QString::fromUtf8("\xEF\xBF\xBD\xEF\xBF\xBD"));
        QCOMPARE(QString::fromStdString(tokenizer->decode({e4, b8}, true)), QString::fromUtf8("\xEF\xBF\xBD\xEF\xBF\xBD"));
    }

    void idsOutsideTheVocabulary() {
        const auto tokenizer = loadTokenizer(tokenizerFixture("spm.model"));
        QCOMPARE(tokenizer->vocabSize(), 800);
        QCOMPARE(tokenizer->tokenId("no such piece"), -1);
        QVERIFY_THROWS_EXCEPTION(InputError, tokenizer->tokenText(800));
        QVERIFY_THROWS_EXCEPTION(InputError, tokenizer->tokenText(-1));
        // HF drops ids past the tokenizer's vocabulary (padded embedding tables produce them).
        QCOMPARE(QString::fromStdString(tokenizer->decode({800, 5000}, true)), QString());
        const auto& model = dynamic_cast<const SentencePieceTokenizer&>(*tokenizer).model();
        QVERIFY_THROWS_EXCEPTION(InputError, model.decode({9999}));
    }

    void unsupportedModelsAreRefusedByName() {
        const auto refusal = [](const SpmModelSpec& spec, const QString& needle) {
            try {
                modelFrom(spec);
            } catch (const ConfigError& e) {
                QVERIFY2(QString(e.what()).contains(needle), e.what());
                QVERIFY2(QString(e.what()).contains("test.model"), e.what());
                return;
            }
            QFAIL(qPrintable("no ConfigError mentioning " + needle));
        };
        SpmModelSpec unigram = tinySpec();
        unigram.modelType = 1;
        refusal(unigram, "Unigram");
        SpmModelSpec nfkc = tinySpec();
        nfkc.normalizerName = "nmt_nfkc";
        nfkc.charsmap = std::string("\x10\x00\x00\x00 some table", 15);
        refusal(nfkc, "nmt_nfkc");
        SpmModelSpec suffix = tinySpec();
        suffix.treatWhitespaceAsSuffix = true;
        refusal(suffix, "treat_whitespace_as_suffix");

        SpmModelSpec noUnk = tinySpec();
        noUnk.pieces[0].type = 1;
        QVERIFY_THROWS_EXCEPTION(FormatError, modelFrom(noUnk));
        SpmModelSpec missingBytes = tinySpec();
        missingBytes.byteFallback = true;
        QVERIFY_THROWS_EXCEPTION(FormatError, modelFrom(missingBytes));
    }

    void truncatedFilesFailCleanly() {
        const std::string bytes = readFile(tokenizerFixture("spm.model"));
        QVERIFY(bytes.size() > 1000);
        const std::vector<std::size_t> ends = topLevelFieldEnds(bytes);
        QCOMPARE(ends.back(), bytes.size());
        int refused = 0;
        for (std::size_t length = 0; length < bytes.size(); ++length) {
            const bool atBoundary = length == 0 || std::find(ends.begin(), ends.end(), length) != ends.end();
            try {
                const SentencePieceModel model = SentencePieceModel::fromBytes(
                    reinterpret_cast<const std::uint8_t*>(bytes.data()), length, "spm.model");
                // Cut between whole fields the message is still valid protobuf; only then may it load.
                QVERIFY2(atBoundary, qPrintable(QString("truncation to %1 bytes was accepted").arg(length)));
                model.encode("Hello world");
            } catch (const sena::Error& e) {
                ++refused;
                if (!atBoundary && length > 0)
                    QVERIFY2(QString(e.what()).contains("spm.model"), e.what());
            }
        }
        QVERIFY(refused >= static_cast<int>(bytes.size() - ends.size()));
        const QTemporaryDir dir;
        const std::string empty = dir.path().toStdString() + "/tokenizer.model";
        writeFile(empty, "");
        QVERIFY_THROWS_EXCEPTION(FormatError, loadTokenizer(dir.path().toStdString()));
    }

    void corruptFilesNeverCrash() {
        const std::string original = readFile(tokenizerFixture("spm.model"));
        std::mt19937 random(20240611);
        int loaded = 0, refused = 0;
        for (int trial = 0; trial < 3000; ++trial) {
            std::string bytes = original;
            const int flips = 1 + static_cast<int>(random() % 4);
            for (int f = 0; f < flips; ++f)
                bytes[random() % bytes.size()] = static_cast<char>(random() % 256);
            try {
                const SentencePieceModel model = SentencePieceModel::fromBytes(
                    reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "corrupt.model");
                const std::vector<int> ids = model.encode("Hello world, caf\xC3\xA9 \xE4\xB8\x80!");
                for (int id : ids)
                    QVERIFY(id >= 0 && id < model.size());
                model.decode(ids);
                ++loaded;
            } catch (const sena::Error&) {
                ++refused;
            }
        }
        QVERIFY(refused > 0);
        QCOMPARE(loaded + refused, 3000);
    }
};

int runSentencePieceTests(int argc, char** argv) {
    SentencePieceTests suite;
    return QTest::qExec(&suite, argc, argv);
}

#include "SentencePieceTests.moc"
