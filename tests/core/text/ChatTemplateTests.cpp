// Chat templates (exact rendered strings) and image-token expansion (exact ids).
#include "TextTestSupport.h"

#include "text/ChatTemplate.h"
#include "text/ImagePrompt.h"
#include "text/RegexSplitter.h"
#include "text/SentencePieceTokenizer.h"
#include "text/Tokenizer.h"
#include "util/Error.h"

#include <QObject>
#include <QTest>

using namespace sena;
using namespace sena::text;
using namespace sena::text::testing;

namespace {

QString render(const std::string& name, const std::vector<ChatMessage>& messages, bool generationPrompt = true) {
    return QString::fromStdString(ChatTemplate::builtin(name).render(messages, generationPrompt));
}

std::unique_ptr<SentencePieceTokenizer> spmWithImageToken(bool legacy) {
    auto tokenizer = std::make_unique<SentencePieceTokenizer>(SentencePieceModel::fromFile(tokenizerFixture("spm.model")));
    tokenizer->addSpecialToken("<image>", 800);
    tokenizer->setLegacy(legacy);
    return tokenizer;
}

}  // namespace

class ChatTemplateTests : public QObject {
    Q_OBJECT

private slots:
    void vicunaWithSystemSentence() {
        const ChatTemplate vicuna = ChatTemplate::builtin("llava-vicuna-v1");
        const QString system = QString::fromStdString(vicuna.defaultSystem());
        QVERIFY(system.size() > 40);
        QCOMPARE(render("llava-vicuna-v1", {{"user", "What is shown?", 1}}),
                 system + " USER: <image>\nWhat is shown? ASSISTANT:");
        QCOMPARE(render("llava-vicuna-v1", {{"user", "What is shown?", 1}, {"assistant", "A cat.", 0}, {"user", "Colour?", 0}}),
                 system + " USER: <image>\nWhat is shown? ASSISTANT: A cat.</s>USER: Colour? ASSISTANT:");
        QCOMPARE(render("llava-vicuna-v1", {{"system", "Be brief.", 0}, {"user", "Q", 0}}), QString("Be brief. USER: Q ASSISTANT:"));
        QCOMPARE(render("llava-vicuna-v1", {{"user", "Q", 1}, {"assistant", "A", 0}}, false),
                 system + " USER: <image>\nQ ASSISTANT: A</s>");
        QCOMPARE(QString::fromStdString(vicuna.assistantSuffix()), QString("</s>"));
    }

    void llavaHfWithoutSystemSentence() {
        QCOMPARE(render("llava-hf", {{"user", "What's the content of the image?", 1}}),
                 QString("USER: <image>\nWhat's the content of the image? ASSISTANT:"));
        QCOMPARE(render("llava-hf", {{"user", "Q", 1}, {"assistant", "A", 0}, {"user", "Q2", 0}}),
                 QString("USER: <image>\nQ ASSISTANT: A USER: Q2 ASSISTANT:"));
        QCOMPARE(render("llava-hf", {{"user", "Two images", 2}}), QString("USER: <image>\n<image>\nTwo images ASSISTANT:"));
    }

    void chatMl() {
        QCOMPARE(render("chatml", {{"system", "You describe images.", 0}, {"user", "What is this?", 1}}),
                 QString("<|im_start|>system\nYou describe images.<|im_end|>\n<|im_start|>user\n<image>\nWhat is this?"
                         "<|im_end|>\n<|im_start|>assistant\n"));
        QCOMPARE(render("chatml", {{"user", "Hi", 0}, {"assistant", "Hello", 0}}, false),
                 QString("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n"));
    }

    void templatesAreData() {
        for (const std::string& name : ChatTemplate::builtinNames()) {
            const ChatTemplate original = ChatTemplate::builtin(name);
            const ChatTemplate copy = ChatTemplate::fromJson(original.toJson(), "round trip");
            const std::vector<ChatMessage> messages{{"user", "Q", 1}, {"assistant", "A", 0}, {"user", "Q2", 0}};
            QCOMPARE(copy.render(messages, true), original.render(messages, true));
        }
        const util::Json custom = {{"name", "plain"},
                                   {"image", "[img]"},
                                   {"generation_prompt", "A:"},
                                   {"system", {{"prefix", "S:"}, {"suffix", "|"}}},
                                   {"user", {{"prefix", "U:"}, {"suffix", "|"}}},
                                   {"assistant", {{"prefix", "A:"}, {"suffix", "|"}}}};
        QCOMPARE(QString::fromStdString(ChatTemplate::fromJson(custom, "custom").render({{"user", "hi", 2}}, true)),
                 QString("U:[img][img]hi|A:"));
    }

    void badConversationsAndTemplatesAreRefused() {
        const ChatTemplate chat = ChatTemplate::builtin("chatml");
        QVERIFY_THROWS_EXCEPTION(InputError, chat.render({{"user", "Q", 0}, {"system", "late", 0}}, true));
        QVERIFY_THROWS_EXCEPTION(InputError, chat.render({{"tool", "Q", 0}}, true));
        QVERIFY_THROWS_EXCEPTION(InputError, chat.render({{"user", "Q", -1}}, true));
        QVERIFY_THROWS_EXCEPTION(ConfigError, ChatTemplate::builtin("jinja"));
        util::Json missingUser = chat.toJson();
        missingUser.erase("user");
        QVERIFY_THROWS_EXCEPTION(ConfigError, ChatTemplate::fromJson(missingUser, "custom"));
    }

    void placeholderStringsExpand() {
        QCOMPARE(countImagePlaceholders("a <image> b <image>", "<image>"), 2);
        QCOMPARE(QString::fromStdString(expandImagePlaceholders("x<image>y<image>", "<image>", 3)),
                 QString("x<image><image><image>y<image><image><image>"));
        QVERIFY_THROWS_EXCEPTION(ConfigError, expandImagePlaceholders("x", "<image>", 0));
    }

    void imageTokensExpandToExactIds() {
        if (!RegexSplitter::available())
            QSKIP("built without PCRE2: the byte-level fixture cannot load");
        const auto tokenizer = loadTokenizer(tokenizerFixture("bpe-tokenizer.json"));
        const std::string prompt = expectedJson().at("tests")[3].get<std::string>();  // "USER: <image>\n…"
        std::vector<int> expected;
        for (int id : expectedIds("bpe_encode", 3))
            expected.insert(expected.end(), id == 3 ? 4 : 1, id);
        const ImageTokenSpec spec{"<image>", 3, 4};
        SENA_COMPARE_IDS(encodePromptWithImages(*tokenizer, prompt, 1, spec, false), expected, "fixture prompt, 4 image tokens");
        // The processor's way (repeat the placeholder string, then tokenise) agrees.
        SENA_COMPARE_IDS(tokenizer->encode(expandImagePlaceholders(prompt, "<image>", 4), false), expected, "string expansion");
    }

    void imageExpansionAgreesForSentencePiece() {
        const ChatTemplate vicuna = ChatTemplate::builtin("llava-vicuna-v1");
        const std::string prompt = vicuna.render({{"user", "Describe both.", 2}}, true);
        for (bool legacy : {true, false}) {
            const auto tokenizer = spmWithImageToken(legacy);
            const ImageTokenSpec spec{"<image>", 800, 5};
            const std::vector<int> ids = encodePromptWithImages(*tokenizer, prompt, 2, spec, true);
            SENA_COMPARE_IDS(ids, tokenizer->encode(expandImagePlaceholders(prompt, "<image>", 5), true),
                             legacy ? "legacy" : "non-legacy");
            QCOMPARE(ids.front(), 1);
            QCOMPARE(std::count(ids.begin(), ids.end(), 800), 10);
            const auto first = std::find(ids.begin(), ids.end(), 800);
            QVERIFY(std::all_of(first, first + 5, [](int id) { return id == 800; }));
        }
    }

    void imageCountMismatchFailsLoudly() {
        const auto tokenizer = spmWithImageToken(true);
        const std::string prompt = "USER: <image>\nQ ASSISTANT:";
        const ImageTokenSpec spec{"<image>", 800, 4};
        QVERIFY_THROWS_EXCEPTION(InputError, encodePromptWithImages(*tokenizer, prompt, 2, spec, true));
        QVERIFY_THROWS_EXCEPTION(InputError, encodePromptWithImages(*tokenizer, prompt, 0, spec, true));
        const std::string expanded = expandImagePlaceholders(prompt, "<image>", 4);
        try {
            encodePromptWithImages(*tokenizer, expanded, 1, spec, true);
            QFAIL("an already expanded prompt was accepted");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("expanded already"), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(ConfigError, encodePromptWithImages(*tokenizer, prompt, 1, ImageTokenSpec{"<image>", 801, 4}, true));
        QVERIFY_THROWS_EXCEPTION(ConfigError, encodePromptWithImages(*tokenizer, prompt, 1, ImageTokenSpec{"<image>", 800, 0}, true));
        const auto bare = loadTokenizer(tokenizerFixture("spm.model"));
        QVERIFY_THROWS_EXCEPTION(ConfigError, encodePromptWithImages(*bare, prompt, 1, spec, true));
    }
};

int runChatTemplateTests(int argc, char** argv) {
    ChatTemplateTests suite;
    return QTest::qExec(&suite, argc, argv);
}

#include "ChatTemplateTests.moc"
