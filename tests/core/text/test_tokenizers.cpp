// test_tokenizers: the core/text test suites, run one after another (Qt Test runs one class per
// qExec). Each suite lives in its own file.
#include <QCoreApplication>

int runSentencePieceTests(int argc, char** argv);
int runByteLevelBpeTests(int argc, char** argv);
int runChatTemplateTests(int argc, char** argv);
int runTokenizerLoadingTests(int argc, char** argv);

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    int failures = 0;
    failures += runSentencePieceTests(argc, argv);
    failures += runByteLevelBpeTests(argc, argv);
    failures += runChatTemplateTests(argc, argv);
    failures += runTokenizerLoadingTests(argc, argv);
    return failures == 0 ? 0 : 1;
}
