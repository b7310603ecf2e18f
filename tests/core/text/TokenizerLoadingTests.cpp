// loadTokenizer() on model folders laid out as Hugging Face writes them: tokenizer_config.json,
// special_tokens_map.json, added_tokens.json, and the choice between tokenizer.model and .json.
#include "TextTestSupport.h"

#include "text/BpeTokenizer.h"
#include "text/RegexSplitter.h"
#include "text/SentencePieceTokenizer.h"
#include "text/Tokenizer.h"
#include "util/Error.h"

#include <QObject>
#include <QTemporaryDir>
#include <QTest>

using namespace sena;
using namespace sena::text;
using namespace sena::text::testing;

namespace {

const std::string kSpace = "\xE2\x96\x81";

util::Json addedTokenJson(const std::string& content) {
    return {{"content", content}, {"lstrip", false}, {"normalized", false}, {"rstrip", false},
            {"single_word", false}, {"special", true}};
}

// A folder shaped like llava-hf/llava-1.5-7b-hf: tokenizer.model without <image>/<pad>, which
// tokenizer_config.json adds at the end of the vocabulary.
std::string makeLlavaFolder(const QTemporaryDir& dir, bool legacy) {
    const std::string folder = dir.path().toStdString();
    writeFile(folder + "/tokenizer.model", readFile(tokenizerFixture("spm.model")));
    const util::Json config = {
        {"added_tokens_decoder", {{"0", addedTokenJson("<unk>")}, {"1", addedTokenJson("<s>")}, {"2", addedTokenJson("</s>")},
                                  {"800", addedTokenJson("<image>")}, {"801", addedTokenJson("<pad>")}}},
        {"bos_token", "<s>"}, {"eos_token", "</s>"}, {"pad_token", "<pad>"}, {"unk_token", "<unk>"},
        {"add_bos_token", true}, {"add_eos_token", false}, {"legacy", legacy}, {"tokenizer_class", "LlamaTokenizer"}};
    writeFile(folder + "/tokenizer_config.json", config.dump(2));
    return folder;
}

template <typename Exception>
QString errorOf(const std::string& path) {
    try {
        loadTokenizer(path);
    } catch (const Exception& e) {
        return QString::fromUtf8(e.what());
    }
    return QString();
}

}  // namespace

class TokenizerLoadingTests : public QObject {
    Q_OBJECT

private slots:
    void llavaFolderAddsImageAndPadTokens() {
        const QTemporaryDir dir;
        const auto tokenizer = loadTokenizer(makeLlavaFolder(dir, false));
        QVERIFY(dynamic_cast<const SentencePieceTokenizer*>(tokenizer.get()));
        QCOMPARE(tokenizer->vocabSize(), 802);
        QCOMPARE(tokenizer->tokenId("<image>"), 800);
        QCOMPARE(tokenizer->padId().value_or(-1), 801);
        QCOMPARE(tokenizer->bosId().value_or(-1), 1);
        QCOMPARE(tokenizer->eosId().value_or(-1), 2);
        QVERIFY(tokenizer->isSpecial(801));
        // Listed in added_tokens_decoder, "<s>" in raw text is now the BOS id (HF's no-split rule).
        const std::vector<int> ids = tokenizer->encode("Hi <s>.", true);
        QCOMPARE(ids.front(), 1);
        QCOMPARE(std::count(ids.begin(), ids.end(), 1), 2);
        // legacy: false in the config: no "▁" after <image>.
        const std::vector<int> prompt = tokenizer->encode("USER: <image>\nQ", true);
        const auto image = std::find(prompt.begin(), prompt.end(), 800);
        QVERIFY(image != prompt.end());
        QCOMPARE(QString::fromStdString(tokenizer->tokenText(*(image + 1))), QString("<0x0A>"));
        QCOMPARE(QString::fromStdString(tokenizer->decode(prompt, true)), QString("USER: \nQ"));
    }

    void tokenizerJsonDecidesLegacy() {
        // HF loads tokenizer.json, not the config's `legacy`: a Prepend normaliser means legacy.
        const QTemporaryDir dir;
        const std::string folder = makeLlavaFolder(dir, false);
        const util::Json fast = {
            {"normalizer", {{"type", "Sequence"}, {"normalizers", {{{"type", "Prepend"}, {"prepend", kSpace}},
                                                                   {{"type", "Replace"}, {"content", kSpace}}}}}},
            {"model", {{"type", "BPE"}, {"byte_fallback", true}}}};
        writeFile(folder + "/tokenizer.json", fast.dump());
        const auto tokenizer = loadTokenizer(folder);
        QVERIFY(dynamic_cast<const SentencePieceTokenizer&>(*tokenizer).legacy());
        const std::vector<int> prompt = tokenizer->encode("USER: <image>\nQ", true);
        const auto image = std::find(prompt.begin(), prompt.end(), 800);
        QCOMPARE(QString::fromStdString(tokenizer->tokenText(*(image + 1))), QString::fromStdString(kSpace));
    }

    void olderFolderLayout() {
        const QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        writeFile(folder + "/tokenizer.model", readFile(tokenizerFixture("spm.model")));
        writeFile(folder + "/added_tokens.json", R"({"<image>": 800, "<pad>": 801, "<note>": 802})");
        writeFile(folder + "/special_tokens_map.json",
                  R"({"bos_token": {"content": "<s>", "lstrip": false, "normalized": false, "rstrip": false,
                      "single_word": false}, "pad_token": "<pad>", "additional_special_tokens": ["<image>"]})");
        const auto tokenizer = loadTokenizer(folder);
        QCOMPARE(tokenizer->vocabSize(), 803);
        QCOMPARE(tokenizer->padId().value_or(-1), 801);
        QVERIFY(tokenizer->isSpecial(800));
        QVERIFY(!tokenizer->isSpecial(802));  // added but not named special: kept by decode
        QCOMPARE(QString::fromStdString(tokenizer->decode(tokenizer->encode("a<note>b<image>", false), true)),
                 QString("a<note> b"));  // legacy: the run after an added token gets "▁"
    }

    void specialTokenListsInBothForms() {
        // transformers 5 writes extra_special_tokens as an object of name → token.
        for (const char* list : {R"({"extra_special_tokens": {"mark_token": "<mark>"}})",
                                 R"({"additional_special_tokens": ["<mark>"]})", R"({})"}) {
            const QTemporaryDir dir;
            const std::string folder = dir.path().toStdString();
            writeFile(folder + "/tokenizer.model", readFile(tokenizerFixture("spm.model")));
            writeFile(folder + "/added_tokens.json", R"({"<mark>": 800})");
            writeFile(folder + "/tokenizer_config.json", list);
            const auto tokenizer = loadTokenizer(folder);
            QCOMPARE(tokenizer->tokenId("<mark>"), 800);
            QCOMPARE(tokenizer->isSpecial(800), std::string(list) != "{}");
        }
    }

    void qwenFolderHasNoBos() {
        if (!RegexSplitter::available())
            QSKIP("built without PCRE2");
        const QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        writeFile(folder + "/tokenizer.json", readFile(tokenizerFixture("bpe-tokenizer.json")));
        writeFile(folder + "/tokenizer_config.json",
                  R"({"bos_token": null, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>", "add_bos_token": false})");
        const auto tokenizer = loadTokenizer(folder);
        QVERIFY(dynamic_cast<const BpeTokenizer*>(tokenizer.get()));
        QVERIFY(!tokenizer->bosId());
        QCOMPARE(tokenizer->eosId().value_or(-1), 2);
        QCOMPARE(tokenizer->padId().value_or(-1), 0);
        SENA_COMPARE_IDS(tokenizer->encode("Hello world", true), expectedIds("bpe_encode", 0), "no BOS");
    }

    void sentencePieceWinsInAFolderWithBoth() {
        const QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        writeFile(folder + "/tokenizer.model", readFile(tokenizerFixture("spm.model")));
        writeFile(folder + "/tokenizer.json", readFile(tokenizerFixture("bpe-tokenizer.json")));
        QVERIFY(dynamic_cast<const SentencePieceTokenizer*>(loadTokenizer(folder).get()));
    }

    void badFoldersAndConfigsNameTheFile() {
        QVERIFY(errorOf<ConfigError>("/nonexistent/model").contains("/nonexistent/model"));
        const QTemporaryDir empty;
        QVERIFY(errorOf<ConfigError>(empty.path().toStdString()).contains("tokenizer.model"));
        const QTemporaryDir other;
        writeFile(other.path().toStdString() + "/vocab.txt", "a\nb\n");
        QVERIFY(!errorOf<ConfigError>(other.path().toStdString() + "/vocab.txt").isEmpty());

        const QTemporaryDir dir;
        const std::string folder = makeLlavaFolder(dir, true);
        writeFile(folder + "/tokenizer_config.json", R"({"bos_token": "<nope>"})");
        const QString unknown = errorOf<ConfigError>(folder);
        QVERIFY2(unknown.contains("tokenizer_config.json") && unknown.contains("bos_token") && unknown.contains("<nope>"),
                 qPrintable(unknown));
        writeFile(folder + "/tokenizer_config.json", R"({"added_tokens_decoder": {"abc": {"content": "<x>"}}})");
        QVERIFY(errorOf<ConfigError>(folder).contains("abc"));
        writeFile(folder + "/tokenizer_config.json", R"({"add_bos_token": "yes"})");
        QVERIFY(errorOf<ConfigError>(folder).contains("add_bos_token"));
        writeFile(folder + "/tokenizer_config.json", R"({"bos_token": "<s>", )");
        QVERIFY(errorOf<FormatError>(folder).contains("tokenizer_config.json"));
    }
};

int runTokenizerLoadingTests(int argc, char** argv) {
    TokenizerLoadingTests suite;
    return QTest::qExec(&suite, argc, argv);
}

#include "TokenizerLoadingTests.moc"
