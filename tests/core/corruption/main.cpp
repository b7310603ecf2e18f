// Runs the corruption test classes in one executable; the exit code is non-zero if any test failed.
#include <QtTest>

int runDiffusionTests(int argc, char** argv);
int runImageCorruptionTests(int argc, char** argv);
int runCorruptionChainTests(int argc, char** argv);

int main(int argc, char** argv) {
    int failed = 0;
    failed += runDiffusionTests(argc, argv);
    failed += runImageCorruptionTests(argc, argv);
    failed += runCorruptionChainTests(argc, argv);
    return failed == 0 ? 0 : 1;
}
