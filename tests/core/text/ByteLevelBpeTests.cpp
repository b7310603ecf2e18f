// Byte-level BPE from tokenizer.json: the HF fixture (ids and decode exact), both merges
// spellings, merge order, ignore_merges, added-token options, split behaviours, NFC, refusals.
#include "TextTestSupport.h"

#include "text/BpeTokenizer.h"
#include "text/Nfc.h"
#include "text/PreTokenizer.h"
#include "text/RegexSplitter.h"
#include "text/Tokenizer.h"
#include "util/Error.h"

#include <QObject>
#include <QTemporaryDir>
#include <QTest>

using namespace sena;
using namespace sena::text;
using namespace sena::text::testing;

namespace {

util::Json fixtureDocument() {
    return util::readJsonFile(tokenizerFixture("bpe-tokenizer.json"));
}

std::unique_ptr<BpeTokenizer> fromDocument(const util::Json& document) {
    return BpeTokenizer::fromJson(document, "test-tokenizer.json");
}

// A three-letter tokenizer whose merges can be followed by hand.
util::Json tinyDocument(const util::Json& merges, bool ignoreMerges) {
    return {{"model", {{"type", "BPE"},
                       {"vocab", {{"a", 0}, {"b", 1}, {"c", 2}, {"ab", 3}, {"bc", 4}, {"abc", 5}}},
                       {"merges", merges},
                       {"ignore_merges", ignoreMerges}}},
            {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}},
            {"decoder", {{"type", "ByteLevel"}}}};
}

template <typename Mutate>
QString refusalMessage(Mutate mutate) {
    util::Json document = fixtureDocument();
    mutate(document);
    try {
        fromDocument(document);
    } catch (const ConfigError& e) {
        return QString::fromUtf8(e.what());
    }
    return QString();
}

std::vector<int> concat(std::initializer_list<std::vector<int>> parts) {
    std::vector<int> out;
    for (const auto& part : parts)
        out.insert(out.end(), part.begin(), part.end());
    return out;
}

}  // namespace

class ByteLevelBpeTests : public QObject {
    Q_OBJECT

private slots:
    void init() {
        if (!RegexSplitter::available() && QByteArray(QTest::currentTestFunction()) != "nfcMatchesUnicode") {
            // The build has no PCRE2: the only promise is a clear refusal.
            try {
                loadTokenizer(tokenizerFixture("bpe-tokenizer.json"));
                QFAIL("a build without PCRE2 loaded a tokenizer.json");
            } catch (const ConfigError& e) {
                QVERIFY2(QString(e.what()).contains("PCRE2"), e.what());
            }
            QSKIP("built without PCRE2");
        }
    }

    void fixtureEncodeAndDecodeExact() {
        const auto tokenizer = loadTokenizer(tokenizerFixture("bpe-tokenizer.json"));
        const auto& tests = expectedJson().at("tests");
        QCOMPARE(expectedJson().at("bpe_encode").size(), tests.size());
        for (std::size_t i = 0; i < tests.size(); ++i) {
            const std::string text = tests[i].get<std::string>();
            const std::vector<int> ids = tokenizer->encode(text, false);
            SENA_COMPARE_IDS(ids, expectedIds("bpe_encode", i), "bpe_encode[" + std::to_string(i) + "] " + text);
            QCOMPARE(QString::fromStdString(tokenizer->decode(ids, true)),
                     QString::fromStdString(expectedJson().at("bpe_decode_roundtrip")[i].get<std::string>()));
            // Without skipping, added tokens come back too: the text is reproduced exactly.
            QCOMPARE(QString::fromStdString(tokenizer->decode(ids, false)), QString::fromStdString(text));
            // No BOS in this tokenizer, asked for or not.
            SENA_COMPARE_IDS(tokenizer->encode(text, true), ids, "with addBos");
        }
        QVERIFY(!tokenizer->bosId());
    }

    void addedTokensAreSplitOut() {
        const auto tokenizer = loadTokenizer(tokenizerFixture("bpe-tokenizer.json"));
        QCOMPARE(tokenizer->tokenId("<|im_start|>"), 1);
        QCOMPARE(tokenizer->tokenId("<image>"), 3);
        QVERIFY(tokenizer->isSpecial(2));
        const std::vector<int> ids = tokenizer->encode("<|im_start|>user\n<image>\nHi<|im_end|>\n", false);
        SENA_COMPARE_IDS(ids, concat({{1}, tokenizer->encode("user\n", false), {3}, tokenizer->encode("\nHi", false), {2},
                                      tokenizer->encode("\n", false)}),
                         "ChatML prompt");
        QCOMPARE(QString::fromStdString(tokenizer->decode(ids, true)), QString("user\n\nHi\n"));
    }

    void longestAddedTokenWinsAndStripOptionsApply() {
        auto tokenizer = BpeTokenizer::fromFile(tokenizerFixture("bpe-tokenizer.json"));
        tokenizer->addSpecialToken("<im", 901);
        SENA_COMPARE_IDS(tokenizer->encode("x<image>y", false),
                         concat({tokenizer->encode("x", false), {3}, tokenizer->encode("y", false)}), "longest match");
        SENA_COMPARE_IDS(tokenizer->encode("x<imy", false),
                         concat({tokenizer->encode("x", false), {901}, tokenizer->encode("y", false)}), "shorter token");
        AddedToken mask;
        mask.content = "<mask>";
        mask.id = 902;
        tokenizer->addToken(mask);
        const auto a = tokenizer->encode("a", false), aSpace = tokenizer->encode("a ", false);
        const auto b = tokenizer->encode("b", false), spaceB = tokenizer->encode(" b", false);
        SENA_COMPARE_IDS(tokenizer->encode("a <mask> b", false), concat({aSpace, {902}, spaceB}), "no strip");
        mask.lstrip = true;
        tokenizer->addToken(mask);
        SENA_COMPARE_IDS(tokenizer->encode("a <mask> b", false), concat({a, {902}, spaceB}), "lstrip");
        mask.lstrip = false;
        mask.rstrip = true;
        tokenizer->addToken(mask);
        SENA_COMPARE_IDS(tokenizer->encode("a <mask> b", false), concat({aSpace, {902}, b}), "rstrip");
        mask.rstrip = false;
        mask.singleWord = true;
        tokenizer->addToken(mask);
        // Glued to a word, a single_word token is not matched: "<mask>" is ordinary text then.
        const auto plain = BpeTokenizer::fromFile(tokenizerFixture("bpe-tokenizer.json"));
        SENA_COMPARE_IDS(tokenizer->encode("a<mask> b", false), plain->encode("a<mask> b", false), "single_word glued");
        QVERIFY(plain->encode("a<mask> b", false).size() > 3);
        SENA_COMPARE_IDS(tokenizer->encode("a <mask> b", false), concat({aSpace, {902}, spaceB}), "single word");
    }

    void bothMergesSpellingsGiveTheSameTokens() {
        const util::Json arrays = fixtureDocument();
        QVERIFY(arrays.at("model").at("merges").at(0).is_array());
        util::Json strings = arrays;
        for (util::Json& merge : strings["model"]["merges"])
            merge = merge[0].get<std::string>() + " " + merge[1].get<std::string>();
        const QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/tokenizer.json";
        writeFile(path, strings.dump());
        const auto fromStrings = loadTokenizer(dir.path().toStdString());
        const auto& tests = expectedJson().at("tests");
        for (std::size_t i = 0; i < tests.size(); ++i)
            SENA_COMPARE_IDS(fromStrings->encode(tests[i].get<std::string>(), false), expectedIds("bpe_encode", i),
                             "string merges, test " + std::to_string(i));
        util::Json broken = arrays;
        broken["model"]["merges"][5] = "nospace";
        QVERIFY_THROWS_EXCEPTION(ConfigError, fromDocument(broken));
        broken["model"]["merges"][5] = util::Json::array({"a"});
        QVERIFY_THROWS_EXCEPTION(ConfigError, fromDocument(broken));
    }

    void mergesApplyLowestRankFirst() {
        SENA_COMPARE_IDS(fromDocument(tinyDocument({"b c", "a b"}, false))->encode("abc", false), (std::vector<int>{0, 4}),
                         "b c ranks first");
        SENA_COMPARE_IDS(fromDocument(tinyDocument({"a b", "b c"}, false))->encode("abc", false), (std::vector<int>{3, 2}),
                         "a b ranks first");
        SENA_COMPARE_IDS(fromDocument(tinyDocument({"b c", "a b"}, true))->encode("abc", false), (std::vector<int>{5}),
                         "ignore_merges takes a whole-word vocabulary entry");
        QVERIFY_THROWS_EXCEPTION(ConfigError, fromDocument(tinyDocument({"a c"}, false)));  // "ac" not in vocab
    }

    void splitBehavioursMatchHfDocumentation() {
        const auto run = [](const char* behavior, bool invert) {
            const util::Json spec = {{"type", "Split"}, {"pattern", {{"String", "-"}}}, {"behavior", behavior}, {"invert", invert}};
            QStringList out;
            for (const std::string& piece : PreTokenizer::fromJson(spec, "test").split("the-final--countdown"))
                out << QString::fromStdString(piece);
            return out;
        };
        QCOMPARE(run("Removed", false), (QStringList{"the", "final", "countdown"}));
        QCOMPARE(run("Isolated", false), (QStringList{"the", "-", "final", "-", "-", "countdown"}));
        QCOMPARE(run("MergedWithPrevious", false), (QStringList{"the-", "final-", "-", "countdown"}));
        QCOMPARE(run("MergedWithNext", false), (QStringList{"the", "-final", "-", "-countdown"}));
        QCOMPARE(run("Contiguous", false), (QStringList{"the", "-", "final", "--", "countdown"}));
        QCOMPARE(run("Removed", true), (QStringList{"-", "-", "-"}));
    }

    void nfcMatchesUnicode() {
        const auto nfc = [](const char* text) { return QString::fromStdString(normalizeNfc(text)); };
        QCOMPARE(nfc("Cafe\xCC\x81"), QString::fromUtf8("Caf\xC3\xA9"));                        // e + acute → é
        QCOMPARE(nfc("\xE2\x84\xAB"), QString::fromUtf8("\xC3\x85"));                           // Å sign → Å
        QCOMPARE(nfc("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8"), QString::fromUtf8("\xEA\xB0\x81")); // jamo → 각
        QCOMPARE(nfc("a\xCC\x81\xCC\xA8"), QString::fromUtf8("\xC4\x85\xCC\x81"));              // reordered: ą + acute
        QCOMPARE(nfc("\xE0\xA5\x98"), QString::fromUtf8("\xE0\xA4\x95\xE0\xA4\xBC"));           // excluded: stays decomposed
        QCOMPARE(nfc("\xCD\x84"), QString::fromUtf8("\xCC\x88\xCC\x81"));                       // non-starter decomposition
        QCOMPARE(nfc("plain ASCII"), QString("plain ASCII"));
        QCOMPARE(nfc(""), QString());
    }

    void nfcRunsBeforeBpe() {
        util::Json document = fixtureDocument();
        const auto raw = fromDocument(document);
        document["normalizer"] = {{"type", "NFC"}};
        const auto normalized = fromDocument(document);
        QVERIFY(raw->encode("Cafe\xCC\x81", false) != raw->encode("Caf\xC3\xA9", false));
        SENA_COMPARE_IDS(normalized->encode("Cafe\xCC\x81", false), raw->encode("Caf\xC3\xA9", false), "NFC before BPE");
    }

    void templateProcessingGivesBos() {
        util::Json document = fixtureDocument();
        document["post_processor"] = {{"type", "TemplateProcessing"},
                                      {"single", {{{"SpecialToken", {{"id", "<|endoftext|>"}, {"type_id", 0}}}},
                                                  {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}}};
        const auto tokenizer = fromDocument(document);
        QCOMPARE(tokenizer->bosId().value_or(-1), 0);
        QCOMPARE(tokenizer->encode("Hi", true).front(), 0);
        QVERIFY(tokenizer->encode("Hi", false).front() != 0);
    }

    void unsupportedContentIsRefusedByName() {
        QVERIFY(refusalMessage([](util::Json& d) { d["model"]["type"] = "WordPiece"; }).contains("WordPiece"));
        QVERIFY(refusalMessage([](util::Json& d) {
                    d["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}};
                }).contains("Metaspace"));
        QVERIFY(refusalMessage([](util::Json& d) { d["normalizer"] = {{"type", "NFKC"}}; }).contains("NFKC"));
        QVERIFY(refusalMessage([](util::Json& d) { d["decoder"] = {{"type", "WordPiece"}}; }).contains("WordPiece"));
        QVERIFY(refusalMessage([](util::Json& d) { d["model"]["dropout"] = 0.1; }).contains("dropout"));
        QVERIFY(refusalMessage([](util::Json& d) {
                    d["post_processor"] = {{"type", "TemplateProcessing"},
                                           {"single", {{{"Sequence", {{"id", "A"}}}}, {{"SpecialToken", {{"id", "<|im_end|>"}}}}}}};
                }).contains("<|im_end|>"));
        QVERIFY(refusalMessage([](util::Json& d) { d["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(unclosed"; })
                    .contains("(unclosed"));
        QVERIFY(refusalMessage([](util::Json& d) { d.erase("model"); }).contains("model"));
    }

    void badFilesAndInputFailCleanly() {
        const std::string text = readFile(tokenizerFixture("bpe-tokenizer.json"));
        const QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/tokenizer.json";
        for (std::size_t length : {std::size_t(0), std::size_t(1), text.size() / 3, text.size() - 2}) {
            writeFile(path, text.substr(0, length));
            try {
                loadTokenizer(dir.path().toStdString());
                QFAIL("a truncated tokenizer.json loaded");
            } catch (const FormatError& e) {
                QVERIFY2(QString(e.what()).contains("tokenizer.json"), e.what());
            }
        }
        const auto tokenizer = loadTokenizer(tokenizerFixture("bpe-tokenizer.json"));
        QVERIFY_THROWS_EXCEPTION(InputError, tokenizer->encode("bad \xFF byte", false));
        QVERIFY_THROWS_EXCEPTION(InputError, tokenizer->tokenText(100000));
        // Ill-formed byte sequences decode lossily: "\xE4\xB8" (a cut-off 3-byte character) is one U+FFFD.
        const std::vector<int> cut = {tokenizer->tokenId("\xC3\xA4"), tokenizer->tokenId("\xC2\xB8")};
        QVERIFY(cut[0] >= 0 && cut[1] >= 0);
        QCOMPARE(QString::fromStdString(tokenizer->decode(cut, true)), QString::fromUtf8("\xEF\xBF\xBD"));
    }
};

int runByteLevelBpeTests(int argc, char** argv) {
    ByteLevelBpeTests suite;
    return QTest::qExec(&suite, argc, argv);
}

#include "ByteLevelBpeTests.moc"
